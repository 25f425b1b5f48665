/** Placeholder until the whenthen simulator lands in this folder. */
import type { SandboxContext, Simulator } from '../core/context.ts';
import { UnknownPayment } from '../core/context.ts';

export function create(_ctx: SandboxContext): Simulator {
  return {
    name: 'whenthen',
    statuses: [],
    payments: () => [],
    decide: async (id) => {
      throw new UnknownPayment('whenthen', id);
    },
    setStatus: async (id) => {
      throw new UnknownPayment('whenthen', id);
    },
    reset: () => {},
  };
}
