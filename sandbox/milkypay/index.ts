/** Placeholder until the milkypay simulator lands in this folder. */
import type { SandboxContext, Simulator } from '../core/context.ts';
import { UnknownPayment } from '../core/context.ts';

export function create(_ctx: SandboxContext): Simulator {
  return {
    name: 'milkypay',
    statuses: [],
    payments: () => [],
    decide: async (id) => {
      throw new UnknownPayment('milkypay', id);
    },
    setStatus: async (id) => {
      throw new UnknownPayment('milkypay', id);
    },
    reset: () => {},
  };
}
