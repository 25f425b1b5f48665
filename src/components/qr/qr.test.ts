/// <reference types="mocha" />
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { correction, generate } from 'lean-qr';
import { toSvgPath } from 'lean-qr/extras/svg';
import { loadMessages, translate } from '../../core/i18n.ts';
import en from '../../core/locales/en.ts';
import './define.ts';
import type { KassaQr } from './qr.ts';
import { formatRemaining, safeDeepLink } from './qr-code.ts';

declare global {
  interface Window {
    __kassaPwned?: unknown;
  }
}

const SWISH = 'D5f2ba1f0c7e94c6b8d1a3e7f0b2c4d6e';
const SWISH_LINK = 'swish://paymentrequest?token=5f2ba1f0c7e9&callbackurl=https%3A%2F%2Fshop.example%2Freturn';

/**
 * Whether a node is missing. Assertions compare plain values, never DOM nodes: a failing chai assertion that holds
 * an element stalls web-test-runner until its 180 s timeout instead of failing (seen here).
 */
function absent(node: Node | null | undefined): boolean {
  return node == null;
}

function part<T extends Element = HTMLElement>(el: KassaQr, name: string): T | null {
  return el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

describe('kassa-qr', () => {
  beforeEach(() => {
    delete window.__kassaPwned;
  });

  it('draws the code lean-qr makes for the data, and every module reads back right', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} app="Swish"></kassa-qr>`);
    const code = generate(SWISH, { minCorrectionLevel: correction.M });
    const svgEl = part<SVGSVGElement>(el, 'code')!;
    expect(svgEl.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(svgEl.getAttribute('role')).to.equal('img');
    expect(svgEl.getAttribute('aria-label')).to.equal('QR code for paying with Swish');
    expect(svgEl.getAttribute('viewBox')).to.equal(`-4 -4 ${code.size + 8} ${code.size + 8}`);
    const path = svgEl.querySelector('path')!;
    expect(path.getAttribute('d')).to.equal(toSvgPath(code));

    // Decode what is drawn: the centre of each module is inside the dark fill exactly when lean-qr sets it.
    let wrong = 0;
    for (let y = -1; y <= code.size; y++) {
      for (let x = -1; x <= code.size; x++) {
        if (path.isPointInFill(new DOMPoint(x + 0.5, y + 0.5)) !== code.get(x, y)) wrong++;
      }
    }
    expect(wrong).to.equal(0);
    // Dark on a white quiet zone, whatever the theme.
    expect(getComputedStyle(path).fill).to.equal('rgb(0, 0, 0)');
    const quiet = svgEl.querySelector('rect')!;
    expect(getComputedStyle(quiet).fill).to.equal('rgb(255, 255, 255)');
    expect([quiet.getAttribute('x'), quiet.getAttribute('width')]).to.deep.equal(['-4', String(code.size + 8)]);
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal('Open Swish on your phone and scan the code.');
    await expect(el).to.be.accessible();
  });

  it('redraws when the data changes, and draws nothing for empty or oversized data', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data="first"></kassa-qr>`);
    const first = part(el, 'code')!.querySelector('path')!.getAttribute('d');
    el.data = 'https://app.example/pay/second';
    await el.updateComplete;
    const second = part(el, 'code')!.querySelector('path')!.getAttribute('d');
    expect(second).to.not.equal(first);
    expect(second).to.equal(toSvgPath(generate('https://app.example/pay/second', { minCorrectionLevel: correction.M })));
    el.data = '';
    await el.updateComplete;
    expect(absent(part(el, 'code'))).to.equal(true);
    el.data = 'x'.repeat(5000);
    await el.updateComplete;
    expect(absent(part(el, 'code'))).to.equal(true);
  });

  it('shows an "Open {app}" link for a payment-app deep link', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish"></kassa-qr>`);
    const link = part<HTMLAnchorElement>(el, 'open-app')!;
    expect(link.localName).to.equal('a');
    expect(link.getAttribute('href')).to.equal(new URL(SWISH_LINK).href);
    expect(link.textContent!.trim()).to.equal('Open Swish');
    await expect(el).to.be.accessible();

    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === link).to.equal(true);
  });

  it('keeps app, https and nothing else as deep links', () => {
    const rows: Array<[string, boolean]> = [
      ['swish://paymentrequest?token=abc', true],
      ['mobilepay://merchant_payments?payment_id=1', true],
      ['vipps://?token=abc', true],
      ['https://qr.vipps.no/p/abc', true],
      ['javascript:alert(1)', false],
      [' JavaScript:alert(1)', false],
      ['data:text/html,<script>alert(1)</script>', false],
      ['http://pay.example/', false],
      ['intent://pay#Intent;scheme=swish;end', false],
      ['https://user:pw@pay.example/', false],
      ['/relative', false],
      ['', false],
    ];
    for (const [link, kept] of rows) expect(safeDeepLink(link) !== undefined, link).to.equal(kept);
  });

  for (const link of ['javascript:alert(1)', 'data:text/html,<script>window.__kassaPwned=1</script>', 'http://pay.example/']) {
    it(`drops the deep link ${link}`, async () => {
      const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${link} app="Swish"></kassa-qr>`);
      expect(absent(part(el, 'open-app'))).to.equal(true);
      expect(absent(el.shadowRoot!.querySelector('a'))).to.equal(true);
      expect(absent(part(el, 'code'))).to.equal(false);
    });
  }

  it('renders a hostile app name as text and runs nothing', async () => {
    const name = '<img src=x onerror=window.__kassaPwned=1>';
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app=${name}></kassa-qr>`);
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal(`Open ${name} on your phone and scan the code.`);
    expect(part(el, 'open-app')!.textContent!.trim()).to.equal(`Open ${name}`);
    expect(part(el, 'code')!.getAttribute('aria-label')).to.equal(`QR code for paying with ${name}`);
    expect(absent(el.shadowRoot!.querySelector('img'))).to.equal(true);
    await aTimeout(50);
    expect(window.__kassaPwned).to.equal(undefined);
  });

  it('names no app when none is given', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH}></kassa-qr>`);
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal(translate(en, 'qr.instructions', { app: en['qr.appFallback'] }));
  });

  it('counts down every second without announcing it', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} app="Swish" expires-at=${inSeconds(65.5)}></kassa-qr>`);
    const countdown = part(el, 'countdown')!;
    const time = countdown.querySelector('[aria-live="off"]')!;
    const status = countdown.querySelector('[role="status"]')!;
    const first = time.textContent!.trim();
    expect(first).to.match(/^Expires in 1:0[56]$/);
    expect(status.textContent!.trim()).to.equal('');
    await waitUntil(() => time.textContent!.trim() !== first, 'the countdown did not move', { timeout: 2500 });
    expect(time.textContent!.trim()).to.match(/^Expires in 1:0[45]$/);
    expect(el.expired).to.equal(false);
    expect(el.hasAttribute('expired')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('at zero says the code expired (announced), removes the code and sets the expired attribute', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(1.2)}></kassa-qr>`);
    expect(absent(part(el, 'code'))).to.equal(false);
    const status = part(el, 'countdown')!.querySelector('[role="status"]')!;
    await waitUntil(() => el.hasAttribute('expired'), 'never expired', { timeout: 3000 });
    await el.updateComplete;
    expect(el.expired).to.equal(true);
    // The same live region that existed before now holds the message, so it is announced.
    expect(part(el, 'countdown')!.querySelector('[role="status"]') === status).to.equal(true);
    expect(status.textContent!.trim()).to.equal(en['qr.expired']);
    expect((part(el, 'countdown')!.querySelector('[aria-live="off"]') as HTMLElement).hidden).to.equal(true);
    expect(absent(part(el, 'code'))).to.equal(true);
    expect(absent(part(el, 'open-app'))).to.equal(true);
    expect(absent(part(el, 'instructions'))).to.equal(true);
    await expect(el).to.be.accessible();

    el.expiresAt = inSeconds(30); // a new code's time: live again
    await el.updateComplete;
    expect(el.hasAttribute('expired')).to.equal(false);
    expect(absent(part(el, 'code'))).to.equal(false);
  });

  it('is expired at once for a time already past, and shows no countdown without a readable time', async () => {
    const past = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} expires-at=${inSeconds(-5)}></kassa-qr>`);
    expect(past.hasAttribute('expired')).to.equal(true);
    expect(part(past, 'countdown')!.textContent).to.contain(en['qr.expired']);
    const none = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} expires-at="soon"></kassa-qr>`);
    expect(absent(part(none, 'countdown'))).to.equal(true);
    expect(none.expired).to.equal(false);
  });

  it('stops ticking when removed, and starts again when put back', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} expires-at=${inSeconds(120)}></kassa-qr>`);
    let ticks = 0;
    const requestUpdate = el.requestUpdate.bind(el);
    el.requestUpdate = (...args: Parameters<KassaQr['requestUpdate']>) => {
      ticks++;
      requestUpdate(...args);
    };
    const parent = el.parentElement!;
    el.remove();
    const text = part(el, 'countdown')!.textContent;
    await aTimeout(1300);
    expect(ticks).to.equal(0);
    expect(part(el, 'countdown')!.textContent).to.equal(text);

    parent.append(el);
    await waitUntil(() => ticks > 0 && part(el, 'countdown')!.textContent !== text, 'no tick after re-insertion', { timeout: 2500 });
  });

  it('speaks the locale it is given', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} app="Swish" locale="sv"></kassa-qr>`);
    const sv = await loadMessages('sv');
    await waitUntil(() => (el as unknown as { i18n: { locale: string } }).i18n.locale === 'sv');
    await el.updateComplete;
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal(translate(sv, 'qr.instructions', { app: 'Swish' }));
    expect(part(el, 'code')!.getAttribute('aria-label')).to.equal(translate(sv, 'qr.alt', { app: 'Swish' }));
  });

  it('writes the time left as m:ss or h:mm:ss', () => {
    expect([0, 5, 65, 600, 3599, 3600, 3725].map(formatRemaining)).to.deep.equal(['0:00', '0:05', '1:05', '10:00', '59:59', '1:00:00', '1:02:05']);
    expect(formatRemaining(-3)).to.equal('0:00');
  });
});
