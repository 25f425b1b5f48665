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
import type { ProviderModule } from './provider.ts';

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
