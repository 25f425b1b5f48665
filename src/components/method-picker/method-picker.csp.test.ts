/// <reference types="mocha" />
/**
 * The picker and Kassa's logo marks under a strict Content-Security-Policy with Trusted Types enforced, as the demo
 * shop serves them: no inline style or script, no eval. The policy is set for this page (its own test file) before
 * the marks' chunk is first loaded, and every violation is collected.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { PaymentMethod } from '../../core/model.ts';
import './define.ts';
import type { KassaMethodPicker } from './method-picker.ts';

const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

const METHODS: PaymentMethod[] = [
  { id: 'card', type: 'card', provider: 'milkypay', kind: 'card', name: { en: 'Card' }, logo: 'kassa:card', brands: ['visa', 'mastercard', 'amex', 'maestro'] },
  { id: 'paypal', type: 'paypal', provider: 'whenthen', kind: 'wallet', name: { en: 'PayPal' }, logo: 'kassa:paypal' },
  { id: 'blik', type: 'blik', provider: 'milkypay', kind: 'mobile', name: { en: 'BLIK' } },
  { id: 'swish', type: 'swish', provider: 'kronor', kind: 'mobile', name: { en: 'Swish' } },
  { id: 'mobilepay', type: 'mobilepay', provider: 'kronor', kind: 'mobile', name: { en: 'MobilePay' } },
  { id: 'vipps', type: 'vipps', provider: 'kronor', kind: 'mobile', name: { en: 'Vipps' } },
  { id: 'mbway', type: 'mbway', provider: 'milkypay', kind: 'mobile', name: { en: 'MB WAY' } },
  { id: 'p24', type: 'p24', provider: 'kronor', kind: 'bank', name: { en: 'Przelewy24' } },
  { id: 'klarna', type: 'klarna', provider: 'whenthen', kind: 'invoice', name: { en: 'Klarna' } },
  { id: 'bank-transfer', type: 'bank-transfer', provider: 'kronor', kind: 'bank', name: { en: 'Bank transfer' } },
  { id: 'b2b-pay-later.Pay30D', type: 'b2b-pay-later', variant: 'Pay30D', provider: 'hero', kind: 'invoice', name: { en: 'Pay in 30 days' } },
  { id: 'hi-health', type: 'hi-health', provider: 'hidirect', kind: 'health', name: { en: 'hi.health' } },
  { id: 'milkypay:x', type: 'other', provider: 'milkypay', kind: 'other', name: { en: 'Other' } },
  // A provider's image the page's img-src refuses: it fails to load, and the type's mark stands in.
  { id: 'kronor:creditCard', type: 'card', provider: 'kronor', kind: 'card', name: { en: 'Card (Kronor)' }, logo: 'http://127.0.0.1:9/missing.png' },
];

describe('kassa-method-picker under a strict Content-Security-Policy with Trusted Types', () => {
  const violations: string[] = [];
  const record = (event: SecurityPolicyViolationEvent) => violations.push(`${event.effectiveDirective}: ${event.blockedURI} ${event.sample}`);

  before(() => {
    document.addEventListener('securitypolicyviolation', record);
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = POLICY;
    document.head.append(meta);
  });
  after(async () => {
    document.removeEventListener('securitypolicyviolation', record);
    await emulateMedia({ colorScheme: 'light' });
  });

  it('enforces the policy on this page (an inline style is refused, innerHTML needs Trusted Types)', async () => {
    const probe = document.createElement('div');
    expect(() => {
      probe.innerHTML = '<b>x</b>';
    }).to.throw(TypeError);
    await waitUntil(() => violations.some((v) => v.startsWith('require-trusted-types-for')), 'no Trusted Types violation reported');
    violations.length = 0;
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`draws every mark with no violation, and a refused image falls back to its type's mark (${scheme})`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const el = await fixture<KassaMethodPicker>(html`<kassa-method-picker locale="en"></kassa-method-picker>`);
      el.methods = METHODS;
      await el.updateComplete;
      const root = el.shadowRoot!;
      const img = root.querySelector('img');
      if (img) img.loading = 'eager';
      await waitUntil(() => !root.querySelector('img') && [...root.querySelectorAll('[part="logo"]')].every((logo) => logo.querySelector('svg')), 'marks not drawn', {
        timeout: 5000,
      });
      const marks = [...root.querySelectorAll<SVGSVGElement>('[part="logo"] > svg')].map((svg) => svg.dataset.mark);
      expect(marks).to.have.length(METHODS.length);
      expect(new Set(marks)).to.deep.equal(new Set(['card', 'paypal', 'blik', 'swish', 'mobilepay', 'vipps', 'mbway', 'p24', 'klarna', 'bank-transfer', 'b2b-pay-later', 'hi-health', 'other']));
      expect([...root.querySelectorAll<SVGSVGElement>('.brand > svg')].map((svg) => svg.dataset.mark)).to.deep.equal(['visa', 'mastercard', 'amex', 'maestro']);
      for (const svg of root.querySelectorAll('[part="logo"] > svg')) expect(svg.getBoundingClientRect().width).to.be.above(30);
      expect(root.querySelector('[style]')).to.equal(null);
      expect(violations.filter((v) => v !== 'img-src: http://127.0.0.1:9/missing.png ')).to.deep.equal([]);
      violations.length = 0;
    });
  }
});
