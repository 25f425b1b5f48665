/** Placeholder until the hero simulator lands in this folder. */
import type { SandboxContext, Simulator } from '../core/context.ts';
import { UnknownPayment } from '../core/context.ts';

export function create(_ctx: SandboxContext): Simulator {
  return {
    name: 'hero',
    statuses: [],
    payments: () => [],
    decide: async (id) => {
      throw new UnknownPayment('hero', id);
    },
    setStatus: async (id) => {
      throw new UnknownPayment('hero', id);
    },
    reset: () => {},
  };
}
