/** The endpoint and one provider adapter as a Node shop imports them (`kassa/server`, `kassa/providers/<name>`). */
import { createServer } from 'node:http';
import { createKassaHandler, createNodeListener, OrderRefused, type KassaConfig } from 'kassa/server';
import { kronorProvider, type KronorConfig } from 'kassa/providers/kronor';
import type { KassaCheckout } from 'kassa';
import type {} from 'kassa/define';

const kronor: KronorConfig = { environment: 'sandbox', merchantToken: 'token', webhookSecret: 'secret' };
const config: KassaConfig = {
  secret: 'a-secret-of-at-least-thirty-two-characters',
  returnUrl: 'https://shop.example/return',
  resolveOrder: async (reference) => {
    if (reference !== 'A-1001') throw new OrderRefused(`no order ${reference}`, 404);
    return { reference, amount: 49_900, currency: 'SEK' };
  },
  providers: { kronor },
};
const listener = createNodeListener(createKassaHandler(config));
createServer((req, res) => void listener(req, res));
export const kronorSchema = kronorProvider.configSchema;

// The tag map comes with the classes.
export const tag: KassaCheckout | null = null as unknown as HTMLElementTagNameMap['kassa-checkout'];
