/**
 * The demo's endpoint configuration: every provider in the `sandbox` environment with the sandbox's fixed, obviously
 * fake test credentials (sandbox/README.md). A real shop puts its own keys here, read from its environment.
 */
import type { KassaConfig } from '../src/server/config.ts';
import { resolveDemoOrder } from './catalogue.ts';

/** Demo only: a real shop sets a long random secret from its environment. */
export const DEMO_SECRET = 'kassa-demo-secret-not-for-production-0123456789';

export function demoKassaConfig(options: { sandboxUrl: string; shopUrl: string; allowedOrigins?: string[] }): KassaConfig {
  return {
    secret: DEMO_SECRET,
    resolveOrder: (reference) => resolveDemoOrder(reference),
    returnUrl: `${options.shopUrl}/return.html`,
    basePath: '/kassa',
    publicUrl: `${options.shopUrl}/kassa`,
    sandboxUrl: options.sandboxUrl,
    allowedOrigins: options.allowedOrigins ?? [],
    // Cards go to WhenThen first, then Kronor, then MilkyPay; every other method to the providers that offer it, in
    // the order below. The session lists one entry per method.
    routing: { methods: { card: ['whenthen', 'kronor', 'milkypay'] } },
    providers: {
      hero: { environment: 'sandbox', apiKey: 'sandbox-hero-key' },
      milkypay: {
        environment: 'sandbox',
        publicKey: 'pk_test_sandbox',
        accountId: 'sandbox-account',
        apiKey: 'sandbox-milkypay-key',
        callbackSecret: 'sandbox-milkypay-secret',
      },
      hidirect: { environment: 'sandbox', apiKey: 'sandbox-hidirect-key' },
      whenthen: { environment: 'sandbox', apiKey: 'sandbox-whenthen-key', webhookSecret: 'sandbox-whenthen-webhook-secret' },
      kronor: { environment: 'sandbox', merchantToken: 'sandbox-kronor-merchant-token', webhookSecret: 'sandbox-kronor-webhook-secret' },
    },
  };
}
