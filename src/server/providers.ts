/**
 * The explicit list of providers the endpoint can enable. A merchant's bundle includes every adapter here, but the
 * endpoint only creates the ones its configuration enables.
 */
import type { ProviderName } from '../core/model.ts';
import { heroProvider, type HeroConfig } from '../providers/hero/server.ts';
import { hidirectProvider, type HidirectConfig } from '../providers/hidirect/server.ts';
import { kronorProvider, type KronorConfig } from '../providers/kronor/server.ts';
import { milkypayProvider, type MilkypayConfig } from '../providers/milkypay/server.ts';
import { whenthenProvider, type WhenthenConfig } from '../providers/whenthen/server.ts';
import type { ProviderAdapter, ProviderDeps, ProviderModule } from './provider.ts';

export interface ProviderConfigs {
  hero?: HeroConfig;
  milkypay?: MilkypayConfig;
  hidirect?: HidirectConfig;
  whenthen?: WhenthenConfig;
  kronor?: KronorConfig;
}

export const PROVIDER_MODULES: { [P in ProviderName]: ProviderModule<NonNullable<ProviderConfigs[P]>> } = {
  hero: heroProvider,
  milkypay: milkypayProvider,
  hidirect: hidirectProvider,
  whenthen: whenthenProvider,
  kronor: kronorProvider,
};

/** The enabled providers' adapters, by name. */
export type Adapters = ReadonlyMap<ProviderName, ProviderAdapter>;

/** Creates an adapter for each provider the configuration enables, in the configuration's order. */
export function createAdapters(enabled: readonly ProviderName[], configs: ProviderConfigs, deps: ProviderDeps): Adapters {
  const adapters = new Map<ProviderName, ProviderAdapter>();
  for (const name of enabled) {
    const module = PROVIDER_MODULES[name] as ProviderModule<unknown>;
    adapters.set(name, module.create(configs[name], deps));
  }
  return adapters;
}
