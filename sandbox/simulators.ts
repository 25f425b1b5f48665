/** The explicit list of provider simulators; each folder exports `create(ctx): Simulator`. */
import type { ProviderName, SandboxContext, Simulator } from './core/context.ts';
import { create as hero } from './hero/index.ts';
import { create as hidirect } from './hidirect/index.ts';
import { create as kronor } from './kronor/index.ts';
import { create as milkypay } from './milkypay/index.ts';
import { create as whenthen } from './whenthen/index.ts';

export const SIMULATORS: Record<ProviderName, (ctx: SandboxContext) => Simulator> = {
  hero,
  milkypay,
  hidirect,
  whenthen,
  kronor,
};
