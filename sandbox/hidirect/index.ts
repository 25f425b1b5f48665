/** Placeholder until the hidirect simulator lands in this folder. */
import type { SandboxContext, Simulator } from '../core/context.ts';
import { UnknownPayment } from '../core/context.ts';

export function create(_ctx: SandboxContext): Simulator {
  return {
    name: 'hidirect',
    statuses: [],
    payments: () => [],
    decide: async (id) => {
      throw new UnknownPayment('hidirect', id);
    },
    setStatus: async (id) => {
      throw new UnknownPayment('hidirect', id);
    },
    reset: () => {},
  };
}
