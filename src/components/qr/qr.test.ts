/// <reference types="mocha" />
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { correction, generate } from 'lean-qr';
import { toSvgPath } from 'lean-qr/extras/svg';
import { loadMessages, translate } from '../../core/i18n.ts';
import en from '../../core/locales/en.ts';
import './define.ts';
import type { KassaQr } from './qr.ts';
import { formatRemaining, safeDeepLink } from './qr-code.ts';
import { emulateDesktop, emulatePhone } from '../../../test/browser/phone.ts';

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
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal('Scan the code with Swish on your phone.');
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

  it('shows an "Open {app} on this device" link for a payment-app deep link', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish"></kassa-qr>`);
    const link = part<HTMLAnchorElement>(el, 'open-app')!;
    expect(link.localName).to.equal('a');
    expect(link.getAttribute('href')).to.equal(new URL(SWISH_LINK).href);
    expect(link.textContent!.trim()).to.equal('Open Swish on this device');
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
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal(`Scan the code with ${name} on your phone.`);
    expect(part(el, 'open-app')!.textContent!.trim()).to.equal(`Open ${name} on this device`);
    expect(part(el, 'code')!.getAttribute('aria-label')).to.equal(`QR code for paying with ${name}`);
    expect(absent(el.shadowRoot!.querySelector('img'))).to.equal(true);
    await aTimeout(50);
    expect(window.__kassaPwned).to.equal(undefined);
  });

  it('names no app when none is given', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH}></kassa-qr>`);
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal(en['qr.instructionsAnyApp']);
    expect(part(el, 'code')!.getAttribute('aria-label')).to.equal(translate(en, 'qr.alt', { app: en['qr.appFallback'] }));
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

/** The element's first control a keyboard (or a thumb reading top-down) reaches. */
function firstControl(el: KassaQr): Element | null {
  return el.shadowRoot!.querySelector('a[href], button');
}

/** Whether a node is laid out and painted (not inside `hidden`, not `display: none`). */
function shown(node: Element | null): boolean {
  return node !== null && node.checkVisibility();
}

/** Distance between the horizontal centres of two boxes, in CSS pixels. */
function centreOffset(a: Element, b: Element): number {
  const ra = a.getBoundingClientRect();
  const rb = b.getBoundingClientRect();
  return Math.abs(ra.left + ra.width / 2 - (rb.left + rb.width / 2));
}

describe('kassa-qr on a phone', () => {
  beforeEach(async () => {
    await emulatePhone();
  });
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    await emulateDesktop();
  });

  it('leads with a big "Open {app}" button to the deep link, and names the app to approve in', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish"></kassa-qr>`);
    const link = part<HTMLAnchorElement>(el, 'open-app')!;
    expect(firstControl(el) === link).to.equal(true);
    expect(link.getAttribute('href')).to.equal(new URL(SWISH_LINK).href);
    expect(link.textContent!.trim()).to.equal('Open Swish');
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal('Approve the payment in Swish.');
    // A button, not a link in the text: filled, as wide as the element, tall enough for a thumb.
    const box = link.getBoundingClientRect();
    expect(box.height).to.be.at.least(48);
    expect(Math.round(box.width)).to.equal(Math.round(el.getBoundingClientRect().width));
    expect(getComputedStyle(link).backgroundColor).to.not.equal('rgba(0, 0, 0, 0)');
    // The phone cannot scan its own screen: no code in sight.
    expect(shown(part(el, 'code'))).to.equal(false);
    expect((el.shadowRoot!.querySelector('.qr') as HTMLElement).innerText).to.not.contain('Scan the code');
    await expect(el).to.be.accessible();
  });

  it('keeps the code behind "Paying on another device? Show the QR code" until it is opened', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish"></kassa-qr>`);
    const toggle = part<HTMLButtonElement>(el, 'show-code')!;
    expect([toggle.localName, toggle.type, toggle.textContent!.trim()]).to.deep.equal(['button', 'button', 'Paying on another device? Show the QR code']);
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    const box = el.shadowRoot!.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(box.hidden).to.equal(true);
    expect(shown(part(el, 'code'))).to.equal(false);

    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(box.hidden).to.equal(false);
    const code = part<SVGSVGElement>(el, 'code')!;
    expect(shown(code)).to.equal(true);
    expect(code.querySelector('path')!.getAttribute('d')).to.equal(toSvgPath(generate(SWISH, { minCorrectionLevel: correction.M })));
    expect(box.textContent!.trim()).to.equal('Scan the code with Swish on your phone.');
    await expect(el).to.be.accessible();

    // From the keyboard too: Tab past the app button to the toggle, Enter closes it.
    part(el, 'open-app')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === toggle).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect([toggle.getAttribute('aria-expanded'), box.hidden, shown(part(el, 'code'))]).to.deep.equal(['false', true, false]);
  });

  it('shows the time left as m:ss under the app button', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(125.5)}></kassa-qr>`);
    const countdown = part(el, 'countdown')!;
    expect(shown(countdown)).to.equal(true);
    expect(countdown.textContent!.trim()).to.match(/^Expires in 2:0[56]$/);
    const order = [...el.shadowRoot!.querySelectorAll('[part]')].map((node) => node.getAttribute('part'));
    expect(order.slice(0, 4)).to.deep.equal(['instructions', 'open-app', 'countdown', 'show-code']);
  });

  it('at zero leaves only the announced expiry', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(1.2)}></kassa-qr>`);
    const status = part(el, 'countdown')!.querySelector('[role="status"]')!;
    await waitUntil(() => el.hasAttribute('expired'), 'never expired', { timeout: 3000 });
    await el.updateComplete;
    expect(part(el, 'countdown')!.querySelector('[role="status"]') === status).to.equal(true);
    expect(status.textContent!.trim()).to.equal(en['qr.expired']);
    expect(['open-app', 'show-code', 'code', 'instructions'].map((name) => absent(part(el, name)))).to.deep.equal([true, true, true, true]);
  });

  it('lets the code lead when asked (layout="qr") or when there is no app link to open', async () => {
    for (const el of [
      await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" layout="qr"></kassa-qr>`),
      await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link="javascript:alert(1)" app="Swish"></kassa-qr>`),
    ]) {
      expect(shown(part(el, 'code'))).to.equal(true);
      expect(absent(part(el, 'show-code'))).to.equal(true);
      expect(part(el, 'instructions')!.textContent!.trim()).to.equal('Scan the code with Swish on your phone.');
    }
  });

  it('names no app it does not know', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK}></kassa-qr>`);
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal(en['qr.approveAnyApp']);
    expect(part(el, 'open-app')!.textContent!.trim()).to.equal(translate(en, 'qr.openApp', { app: en['qr.appFallback'] }));
  });

  it('starts text at the left like the other views, with the opened code centred in its own box', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(300)}></kassa-qr>`);
    part<HTMLButtonElement>(el, 'show-code')!.click();
    await el.updateComplete;
    const left = el.getBoundingClientRect().left;
    for (const name of ['instructions', 'countdown', 'show-code']) {
      const node = part(el, name)!;
      expect([name, ['start', 'left'].includes(getComputedStyle(node).textAlign)]).to.deep.equal([name, true]);
      expect([name, Math.round(node.getBoundingClientRect().left - left)]).to.deep.equal([name, 0]);
    }
    const code = part(el, 'code')!;
    expect(centreOffset(code, code.parentElement!)).to.be.below(1);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`passes axe app-first, closed and open, in ${scheme}`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const page = await fixture<HTMLDivElement>(
        html`<div><kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(300)} theme="auto"></kassa-qr></div>`,
      );
      // The shop's page in the same scheme, so contrast is measured against what a shopper sees.
      page.style.setProperty('color-scheme', scheme);
      page.style.setProperty('background', scheme === 'dark' ? '#16181c' : '#ffffff');
      const el = page.querySelector('kassa-qr')!;
      await el.updateComplete;
      await expect(page).to.be.accessible();
      part<HTMLButtonElement>(el, 'show-code')!.click();
      await el.updateComplete;
      await expect(page).to.be.accessible();
    });
  }
});

describe('kassa-qr on a desktop', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  it('leads with the code to scan, and offers the app on this device as a plain link after it', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(65.5)}></kassa-qr>`);
    const order = [...el.shadowRoot!.querySelectorAll('[part]')].map((node) => node.getAttribute('part'));
    expect(order).to.deep.equal(['instructions', 'code', 'countdown', 'open-app']);
    expect(part(el, 'instructions')!.textContent!.trim()).to.equal('Scan the code with Swish on your phone.');
    expect(shown(part(el, 'code'))).to.equal(true);
    expect(part(el, 'countdown')!.textContent!.trim()).to.match(/^Expires in 1:0[56]$/);
    const link = part<HTMLAnchorElement>(el, 'open-app')!;
    expect([link.textContent!.trim(), link.getAttribute('href')]).to.deep.equal(['Open Swish on this device', new URL(SWISH_LINK).href]);
    // Plain: no filled button competing with the code.
    expect(getComputedStyle(link).backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    expect(getComputedStyle(link).textDecorationLine).to.equal('underline');
    expect(absent(part(el, 'show-code'))).to.equal(true);
  });

  it('leads with the app when asked (layout="app")', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" layout="app"></kassa-qr>`);
    expect(firstControl(el) === part(el, 'open-app')).to.equal(true);
    expect(part(el, 'open-app')!.textContent!.trim()).to.equal('Open Swish');
    expect(part(el, 'show-code')!.getAttribute('aria-expanded')).to.equal('false');
    expect(shown(part(el, 'code'))).to.equal(false);
  });

  it('starts text at the left like the other views, with the code centred in its own box', async () => {
    const el = await fixture<KassaQr>(html`<kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(300)}></kassa-qr>`);
    const left = el.getBoundingClientRect().left;
    for (const name of ['instructions', 'countdown', 'open-app']) {
      const node = part(el, name)!;
      expect([name, ['start', 'left'].includes(getComputedStyle(node).textAlign)]).to.deep.equal([name, true]);
      expect([name, Math.round(node.getBoundingClientRect().left - left)]).to.deep.equal([name, 0]);
    }
    const code = part(el, 'code')!;
    // The box spans the element; the code sits in its middle.
    expect(Math.round(code.parentElement!.getBoundingClientRect().width)).to.equal(Math.round(el.getBoundingClientRect().width));
    expect(centreOffset(code, code.parentElement!)).to.be.below(1);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`passes axe code-first in ${scheme}`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const page = await fixture<HTMLDivElement>(
        html`<div><kassa-qr data=${SWISH} deep-link=${SWISH_LINK} app="Swish" expires-at=${inSeconds(300)} theme="auto"></kassa-qr></div>`,
      );
      page.style.setProperty('color-scheme', scheme);
      page.style.setProperty('background', scheme === 'dark' ? '#16181c' : '#ffffff');
      await page.querySelector('kassa-qr')!.updateComplete;
      await expect(page).to.be.accessible();
    });
  }
});
