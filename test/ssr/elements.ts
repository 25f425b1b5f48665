/**
 * Each Kassa element in a state worth rendering on a server, for the render and hydration tests: its tag, the
 * attributes it is written with, and the properties a page (or a framework) gives it — set by Lit's renderer on the
 * server and by the page before the element is defined in the browser, so both render the same thing.
 */
import type { NextAction, PaymentMethod, SessionResponse } from '../../src/core/model.ts';

export interface ServerRenderedElement {
  tag: string;
  attributes: Record<string, string>;
  properties: Record<string, unknown>;
  /** Text the server's HTML must show inside the element's shadow root. */
  shows: string[];
}

const SWISH: PaymentMethod = {
  id: 'kronor:swish',
  provider: 'kronor',
  kind: 'mobile',
  type: 'swish',
  name: { en: 'Swish', sv: 'Swish' },
  fields: [{ key: 'phone', type: 'tel', kind: 'phone', label: { en: 'Mobile number' }, required: true }],
};
const CARD: PaymentMethod = { id: 'card', provider: 'whenthen', kind: 'card', type: 'card', name: { en: 'Card' }, brands: ['visa', 'mastercard'] };
const INVOICE: PaymentMethod = { id: 'hero:Pay30D', provider: 'hero', kind: 'invoice', type: 'b2b-pay-later', variant: 'Pay30D', name: { en: 'Pay in 30 days' } };

/** A session as `kassa.sessionJson` gives it (the token is only checked for its shape in the browser). */
export function serverSession(order: string, now = Date.now()): SessionResponse {
  return {
    token: 'eyJhbGciOiJFUzI1NiJ9.eyJvcmRlciI6IkEifQ.c2lnbmF0dXJl',
    order,
    amount: 4990,
    currency: 'EUR',
    amountText: '€49.90',
    locale: 'en',
    methods: [SWISH, CARD, INVOICE],
    expiresAt: new Date(now + 10 * 60_000).toISOString(),
  };
}

const FORM: NextAction = { type: 'form', url: 'https://pay.example/start', method: 'POST', fields: { session: 'abc' } };

export function serverRenderedElements(now = Date.now()): ServerRenderedElement[] {
  const session = serverSession('SSR-1', now);
  return [
    {
      tag: 'kassa-checkout',
      attributes: { endpoint: '/kassa', order: 'SSR-1' },
      properties: { session },
      shows: ['Total', '€49.90', 'Swish', 'Card', 'Pay in 30 days'],
    },
    { tag: 'kassa-method-picker', attributes: { value: 'card' }, properties: { methods: [SWISH, CARD, INVOICE] }, shows: ['Swish', 'Card'] },
    { tag: 'kassa-method-fields', attributes: {}, properties: { method: SWISH }, shows: ['Mobile number'] },
    { tag: 'kassa-redirect', attributes: { 'provider-name': 'MilkyPay', auto: 'false' }, properties: { action: FORM }, shows: ['Continue to payment'] },
    {
      tag: 'kassa-qr',
      attributes: { data: 'https://app.swish.nu/1/p/sw/?token=abc', app: 'Swish', 'expires-at': new Date(now + 5 * 60_000).toISOString() },
      properties: {},
      shows: ['Swish'],
    },
    { tag: 'kassa-status', attributes: { endpoint: '/kassa', reference: 'pay_ssr' }, properties: {}, shows: [] },
  ];
}

/** The HTML text and bound values of a Lit template for `element`: its attributes written out, its properties bound. */
export function templateParts(element: ServerRenderedElement): { strings: string[]; values: unknown[] } {
  const attributes = Object.entries(element.attributes)
    .map(([name, value]) => ` ${name}="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
    .join('');
  const names = Object.keys(element.properties);
  const strings = [`<${element.tag}${attributes}`, ...names.map(() => '')];
  names.forEach((name, i) => (strings[i] += ` .${name}=`));
  strings[strings.length - 1] += `></${element.tag}>`;
  return { strings, values: names.map((name) => element.properties[name]) };
}
