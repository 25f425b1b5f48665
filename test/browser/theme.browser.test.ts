/// <reference types="mocha" />
/**
 * The elements take their look from the shop's page: its `color-scheme` decides light or dark (not the device alone),
 * a merchant can pin one with the `theme` attribute, text grows with the shopper's preferred font size, borders and a
 * disabled Pay button stay legible, and axe finds nothing in either scheme.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../src/components/checkout/define.ts';
import type { KassaCheckout } from '../../src/components/checkout/checkout.ts';
import '../../src/components/method-fields/define.ts';
import '../../src/components/method-picker/define.ts';
import '../../src/components/qr/define.ts';
import '../../src/components/redirect/define.ts';
import '../../src/components/status/define.ts';
import type { PaymentMethod } from '../../src/core/model.ts';
import { backgroundBehind, composite, contrastRatio, luminance, parseColor, type Rgba } from './contrast.ts';
import { freshOrder, testEnv } from './env.ts';

type Scheme = 'light' | 'dark';
type Theme = 'light' | 'dark' | 'auto' | undefined;

const SWISH: PaymentMethod = {
  id: 'kronor:swish',
  provider: 'kronor',
  kind: 'mobile',
  name: { en: 'Swish' },
  fields: [{ key: 'phone', type: 'tel', kind: 'phone', label: { en: 'Mobile number' }, required: true }],
};
const METHODS: PaymentMethod[] = [
  { id: 'milkypay:card', provider: 'milkypay', kind: 'card', name: { en: 'Card' }, brands: ['visa', 'mastercard'] },
  SWISH,
  { id: 'kronor:bank', provider: 'kronor', kind: 'bank', name: { en: 'Bank transfer' } },
];

/** Each element in a state that shows its text, borders and controls, with `theme` when given. */
const ELEMENTS: Record<string, (theme: Theme) => Promise<HTMLElement>> = {
  'kassa-checkout': async (theme) => {
    const { endpointUrl } = await testEnv();
    const el = await fixture<KassaCheckout>(html`<kassa-checkout theme=${ifDefined(theme)} endpoint=${endpointUrl} order=${freshOrder('DEMO-EUR')} locale="en"></kassa-checkout>`);
    await waitUntil(() => el.shadowRoot!.querySelector('kassa-method-picker')?.shadowRoot?.querySelector('[role=radio]'), 'the methods', { timeout: 10_000 });
    return el;
  },
  'kassa-method-picker': (theme) => mount(html`<kassa-method-picker theme=${ifDefined(theme)} locale="en" value="kronor:swish" .methods=${METHODS}></kassa-method-picker>`),
  'kassa-method-fields': (theme) => mount(html`<kassa-method-fields theme=${ifDefined(theme)} locale="en" .method=${SWISH}></kassa-method-fields>`),
  'kassa-redirect': (theme) =>
    mount(
      html`<kassa-redirect
        theme=${ifDefined(theme)}
        locale="en"
        provider-name="MilkyPay"
        .navigate=${() => undefined}
        .action=${{ type: 'redirect', url: 'https://pay.example/hpp/1' }}
      ></kassa-redirect>`,
    ),
  'kassa-qr': (theme) =>
    mount(
      html`<kassa-qr
        theme=${ifDefined(theme)}
        locale="en"
        app="Swish"
        data="D5f2ba1f0c7e94c6b8d1a3e7f0b2c4d6e"
        deep-link="swish://paymentrequest?token=5f2ba1f0c7e9"
        expires-at=${new Date(Date.now() + 180_000).toISOString()}
      ></kassa-qr>`,
    ),
  'kassa-status': (theme) => mount(html`<kassa-status theme=${ifDefined(theme)} locale="en"></kassa-status>`),
};

async function mount(template: TemplateResult): Promise<HTMLElement> {
  const el = await fixture<HTMLElement>(template);
  await waitUntil(() => el.shadowRoot?.textContent?.trim(), `<${el.localName}> renders text`, { timeout: 5_000 });
  return el;
}

/**
 * The page's own `color-scheme` (on the root element), or none. Its background is named too: the browser paints the
 * canvas in the scheme's colour anyway, but axe assumes white behind a page that names none.
 */
function pageScheme(value: string): void {
  document.documentElement.style.colorScheme = value;
  document.documentElement.style.backgroundColor = value ? 'Canvas' : '';
}

/** Every Kassa element in `host`'s composed tree, `host` first. */
function kassaHosts(host: Element): HTMLElement[] {
  const found: HTMLElement[] = [host as HTMLElement];
  for (const inner of host.shadowRoot?.querySelectorAll('*') ?? []) if (inner.localName.startsWith('kassa-')) found.push(...kassaHosts(inner));
  return found;
}

/** Every element with visible text of its own in `host`'s composed tree (SVG titles aside). */
function textElements(host: Element): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE && node.textContent!.trim() && node.parentElement && !node.parentElement.closest('svg')) {
      if (node.parentElement.checkVisibility({ visibilityProperty: true }) && !node.parentElement.closest('.visually-hidden')) found.push(node.parentElement);
    }
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(host);
  return [...new Set(found)];
}

/** The opacity `element` is drawn with: its own times its ancestors'. */
function opacityOf(element: Element): number {
  let opacity = 1;
  for (let node: Element | null = element; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) {
    opacity *= Number(getComputedStyle(node).opacity);
  }
  return opacity;
}

/** A colour of `element` (its text, a border) as drawn: faded by its opacity over what is behind it. */
function drawn(element: Element, colour: string): { fore: Rgba; back: Rgba } {
  const opacity = opacityOf(element);
  const back = backgroundBehind(element);
  const page = backgroundBehind(element.parentElement ?? (element.getRootNode() as ShadowRoot).host);
  const fadedBack = composite({ ...back, a: opacity }, page);
  const fore = parseColor(colour);
  return { fore: composite({ ...fore, a: fore.a * opacity }, fadedBack), back: fadedBack };
}

/** Which scheme a Kassa element's own text colour belongs to: dark text is the light scheme. */
function schemeOf(host: HTMLElement): Scheme | 'unclear' {
  const text = luminance(parseColor(getComputedStyle(host).color));
  return text < 0.2 ? 'light' : text > 0.5 ? 'dark' : 'unclear';
}

/** `<tag>: scheme` for the element and every element inside it, and any text a shopper cannot read (below 4.5:1). */
function rendered(host: HTMLElement): { schemes: string[]; illegible: string[] } {
  const schemes = kassaHosts(host).map((inner) => `${inner.localName}: ${schemeOf(inner)}`);
  const illegible = textElements(host).flatMap((element) => {
    const { fore, back } = drawn(element, getComputedStyle(element).color);
    const ratio = contrastRatio(fore, back);
    return ratio < 4.5 ? [`"${element.textContent!.trim().slice(0, 40)}" ${ratio.toFixed(2)}:1`] : [];
  });
  return { schemes, illegible };
}

function expectScheme(host: HTMLElement, scheme: Scheme, label: string): void {
  const { schemes, illegible } = rendered(host);
  expect(schemes, label).to.deep.equal(kassaHosts(host).map((inner) => `${inner.localName}: ${scheme}`));
  expect(illegible, `${label}: text below 4.5:1`).to.deep.equal([]);
}

afterEach(async () => {
  pageScheme('');
  document.documentElement.style.fontSize = '';
  await emulateMedia({ colorScheme: 'light' });
});

describe('contrastRatio', () => {
  const table: Array<[first: string, second: string, ratio: number]> = [
    ['rgb(0, 0, 0)', 'rgb(255, 255, 255)', 21],
    ['rgb(255, 255, 255)', 'rgb(0, 0, 0)', 21],
    ['rgb(118, 118, 118)', 'rgb(255, 255, 255)', 4.54],
    ['rgb(128, 128, 128)', 'rgb(255, 255, 255)', 3.95],
    ['rgba(47, 85, 212, 1)', 'rgb(47, 85, 212)', 1],
    ['rgb(27, 29, 33)', 'rgb(245, 246, 248)', 15.61],
  ];
  for (const [first, second, ratio] of table) {
    it(`${first} against ${second} is ${ratio}:1`, () => expect(contrastRatio(first, second)).to.be.closeTo(ratio, 0.01));
  }

  it('reads computed colours with alpha and refuses other forms', () => {
    expect(parseColor('rgba(10, 20, 30, 0.5)')).to.deep.equal({ r: 10, g: 20, b: 30, a: 0.5 });
    expect(parseColor('rgb(10 20 30 / 25%)')).to.deep.equal({ r: 10, g: 20, b: 30, a: 0.25 });
    expect(() => parseColor('light-dark(#fff, #000)')).to.throw(/not a computed sRGB colour/);
  });

  it('composites a half-transparent black over white to mid grey', () => {
    expect(composite({ r: 0, g: 0, b: 0, a: 0.5 }, { r: 255, g: 255, b: 255, a: 1 })).to.deep.equal({ r: 127.5, g: 127.5, b: 127.5, a: 1 });
  });
});

describe("the elements follow the page's color-scheme", () => {
  const cases: Array<[page: string, device: Scheme, shown: Scheme]> = [
    ['', 'dark', 'light'],
    ['light', 'dark', 'light'],
    ['light dark', 'dark', 'dark'],
    ['light dark', 'light', 'light'],
    ['dark', 'light', 'dark'],
  ];
  for (const [page, device, shown] of cases) {
    it(`a page with ${page ? `color-scheme: ${page}` : 'no color-scheme'} on a ${device} device shows every element ${shown}`, async () => {
      pageScheme(page);
      await emulateMedia({ colorScheme: device });
      for (const [tag, make] of Object.entries(ELEMENTS)) expectScheme(await make(undefined), shown, tag);
    });
  }
});

describe('the theme attribute', () => {
  const cases: Array<[theme: Theme, page: string, device: Scheme, shown: Scheme]> = [
    ['dark', 'light', 'light', 'dark'],
    ['light', 'dark', 'dark', 'light'],
    ['auto', 'light', 'dark', 'dark'],
    ['auto', 'dark', 'light', 'light'],
  ];
  for (const [theme, page, device, shown] of cases) {
    it(`theme="${theme}" on a color-scheme: ${page} page on a ${device} device shows every element ${shown}`, async () => {
      pageScheme(page);
      await emulateMedia({ colorScheme: device });
      for (const [tag, make] of Object.entries(ELEMENTS)) expectScheme(await make(theme), shown, tag);
    });
  }

  it('is a reflected property on every element', async () => {
    for (const tag of Object.keys(ELEMENTS)) {
      const el = document.createElement(tag) as HTMLElement & { theme?: Theme; updateComplete: Promise<unknown> };
      await fixture(html`<div></div>`).then((host) => host.append(el));
      el.theme = 'dark';
      await el.updateComplete;
      expect(el.getAttribute('theme'), tag).to.equal('dark');
      expect(getComputedStyle(el).colorScheme, tag).to.equal('dark');
      el.setAttribute('theme', 'auto');
      await el.updateComplete;
      expect(el.theme, tag).to.equal('auto');
      expect(getComputedStyle(el).colorScheme, tag).to.equal('light dark');
    }
  });
});

describe("text follows the shopper's font size", () => {
  it('every element is set in the root font size, with no fixed pixel font size in its styles', async () => {
    document.documentElement.style.fontSize = '20px';
    for (const [tag, make] of Object.entries(ELEMENTS)) {
      const el = await make(undefined);
      for (const host of kassaHosts(el)) {
        expect(getComputedStyle(host).fontSize, host.localName).to.equal('20px');
        const pixelSizes = host
          .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
          .flatMap((rule) => (rule instanceof CSSStyleRule && /px/.test(rule.style.fontSize) ? [`${rule.selectorText} { font-size: ${rule.style.fontSize} }`] : []));
        expect(pixelSizes, `${tag} > ${host.localName}`).to.deep.equal([]);
      }
    }
  });
});

describe('borders and the disabled Pay button are legible', () => {
  for (const scheme of ['light', 'dark'] as const) {
    describe(`in ${scheme}`, () => {
      beforeEach(() => pageScheme(scheme));

      it('method rows and their radios stand out 3:1 from the background', async () => {
        const picker = await ELEMENTS['kassa-method-picker']!(undefined);
        const rows = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role=radio]')];
        const unchecked = rows.find((row) => row.getAttribute('aria-checked') === 'false')!;
        const checked = rows.find((row) => row.getAttribute('aria-checked') === 'true')!;
        for (const [label, row] of [
          ['unchecked', unchecked],
          ['checked', checked],
        ] as const) {
          const border = getComputedStyle(row).borderTopColor;
          expect(contrastRatio(border, backgroundBehind(row)), `${label} row border against the row`).to.be.at.least(3);
          expect(contrastRatio(border, backgroundBehind(picker)), `${label} row border against the page`).to.be.at.least(3);
          const dot = row.querySelector('.dot')!;
          expect(contrastRatio(getComputedStyle(dot).borderTopColor, backgroundBehind(row)), `${label} radio against the row`).to.be.at.least(3);
        }
      });

      it('inputs stand out 3:1 from the background', async () => {
        const fields = await ELEMENTS['kassa-method-fields']!(undefined);
        const input = fields.shadowRoot!.querySelector('input')!;
        const border = getComputedStyle(input).borderTopColor;
        expect(contrastRatio(border, backgroundBehind(input)), 'against the input').to.be.at.least(3);
        expect(contrastRatio(border, backgroundBehind(fields)), 'against the page').to.be.at.least(3);
      });

      it("a disabled Pay button's text reads 4.5:1", async () => {
        const checkout = await ELEMENTS['kassa-checkout']!(undefined);
        const pay = checkout.shadowRoot!.querySelector<HTMLElement>('[part~=pay-button]')!;
        expect(pay.getAttribute('aria-disabled')).to.equal('true');
        await Promise.all(pay.getAnimations().map((animation) => animation.finished));
        const { fore, back } = drawn(pay, getComputedStyle(pay).color);
        expect(contrastRatio(fore, back)).to.be.at.least(4.5);
      });
    });
  }
});

describe('axe finds nothing in either scheme', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const tag of Object.keys(ELEMENTS)) {
      it(`<${tag}> on a color-scheme: ${scheme} page`, async () => {
        pageScheme(scheme);
        await emulateMedia({ colorScheme: scheme });
        const el = await ELEMENTS[tag]!(undefined);
        await expect(el).to.be.accessible();
      });
    }
    it(`<kassa-checkout theme="${scheme}"> on a page of the other scheme`, async () => {
      pageScheme(scheme === 'light' ? 'dark' : 'light');
      const el = await ELEMENTS['kassa-checkout']!(scheme);
      await expect(el).to.be.accessible();
    });
  }
});
