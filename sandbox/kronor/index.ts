/** Placeholder until the kronor simulator lands in this folder. */
import type { SandboxContext, Simulator } from '../core/context.ts';
import { UnknownPayment } from '../core/context.ts';

export function create(_ctx: SandboxContext): Simulator {
  return {
    name: 'kronor',
    statuses: [],
    payments: () => [],
    decide: async (id) => {
      throw new UnknownPayment('kronor', id);
    },
    setStatus: async (id) => {
      throw new UnknownPayment('kronor', id);
    },
    reset: () => {},
  };
}
