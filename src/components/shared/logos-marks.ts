/**
 * Which logo a method shows, and Kassa's logo marks: a chunk of its own, loaded after the first paint (logos.ts).
 *
 * A method's `logo` is an image URL (shown only when `safeImageUrl` accepts it) or a Kassa mark `kassa:<method type
 * or card brand>`; without one, with an unknown id, or when its image fails, the method shows the mark of its type.
 *
 * Each mark is an SVG drawn on
 * its own light chip with a mid-grey border, so it reads the same on a light or a dark page (the border keeps 3:1
 * against both) and stays sharp at any zoom. Colours are SVG attributes, never `style`, so a strict
 * Content-Security-Policy has nothing to refuse.
 *
 * Brand marks come from Simple Icons (https://simpleicons.org, the `simple-icons` npm package, CC0-1.0; the brands
 * remain their owners' trademarks): Visa, Mastercard, PayPal, Klarna and American Express, path for path (a test
 * compares them with the package). Simple Icons has no Swish, MobilePay, Vipps, BLIK, MB WAY, Przelewy24 or Maestro,
 * and no marks for cards in general, bank transfer, invoices, health accounts or other methods: Kassa draws simple
 * marks of its own for those (a wordmark in the brand's colours, or a plain pictogram).
 */
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { CardBrand, MethodType, PaymentMethod } from '../../core/model.ts';
import { safeImageUrl } from '../../core/url-safety.ts';

/** A Kassa mark: one per method type (`other` included) and one per card brand. */
export type LogoId = MethodType | CardBrand;

const KASSA_PREFIX = 'kassa:';

/** What a method's logo is: the image URL to try first (if any) and the Kassa mark that stands in when it fails. */
export interface MethodLogo {
  url?: string;
  mark: LogoId;
}

/**
 * `kassa:<id>` → that mark; an https (or loopback) URL → that image, with the mark of the method's type behind it;
 * anything else (no logo, an unknown id, a refused URL) → the mark of the method's type (`other` when it has none).
 */
export function methodLogo(method: Pick<PaymentMethod, 'logo' | 'type'>): MethodLogo {
  const mark: LogoId = isLogoId(method.type) && !isCardBrand(method.type) ? method.type : 'other';
  const logo = method.logo;
  if (typeof logo === 'string' && logo.startsWith(KASSA_PREFIX)) {
    const id = logo.slice(KASSA_PREFIX.length);
    return { mark: isLogoId(id) ? id : mark };
  }
  const url = safeImageUrl(logo);
  return url ? { url, mark } : { mark };
}

/** A method's card brands Kassa has marks for, each once, in the given order. */
export function cardBrands(method: Pick<PaymentMethod, 'brands'>): CardBrand[] {
  const brands: unknown[] = Array.isArray(method.brands) ? method.brands : [];
  return brands.filter((brand, i): brand is CardBrand => isCardBrand(brand) && brands.indexOf(brand) === i);
}

/** Every mark's drawing area: 50 × 32, the 2.5em × 1.6em a logo takes. */
const VIEW_BOX = '0 0 50 32';
/** #767676: 4.5:1 against white, 3.9:1 against Kassa's dark background. */
const BORDER = '#767676';
const WORDMARK_FONT = 'Arial, Helvetica, sans-serif';

/** A Simple Icons path (drawn on a 24 × 24 grid), with the part of that grid it covers, in the brand's colour. */
interface SimpleIcon {
  path: string;
  hex: string;
  /** The path's bounding box on the 24 × 24 grid, so a wide mark (Visa) fills the chip's width. */
  crop: string;
}

/** Simple Icons 16.37.0 (CC0-1.0): `siVisa`, `siMastercard`, `siPaypal`, `siKlarna`, `siAmericanexpress`. */
export const SIMPLE_ICONS = {
  visa: {
    hex: '1A1F71',
    crop: '0 8.1 24 7.8',
    path: 'M9.112 8.262L5.97 15.758H3.92L2.374 9.775c-.094-.368-.175-.503-.461-.658C1.447 8.864.677 8.627 0 8.479l.046-.217h3.3a.904.904 0 01.894.764l.817 4.338 2.018-5.102zm8.033 5.049c.008-1.979-2.736-2.088-2.717-2.972.006-.269.262-.555.822-.628a3.66 3.66 0 011.913.336l.34-1.59a5.207 5.207 0 00-1.814-.333c-1.917 0-3.266 1.02-3.278 2.479-.012 1.079.963 1.68 1.698 2.04.756.367 1.01.603 1.006.931-.005.504-.602.725-1.16.734-.975.015-1.54-.263-1.992-.473l-.351 1.642c.453.208 1.289.39 2.156.398 2.037 0 3.37-1.006 3.377-2.564m5.061 2.447H24l-1.565-7.496h-1.656a.883.883 0 00-.826.55l-2.909 6.946h2.036l.405-1.12h2.488zm-2.163-2.656l1.02-2.815.588 2.815zm-8.16-4.84l-1.603 7.496H8.34l1.605-7.496z',
  },
  mastercard: {
    hex: 'EB001B',
    crop: '0 4.5 24 15',
    path: 'M11.343 18.031c.058.049.12.098.181.146-1.177.783-2.59 1.238-4.107 1.238C3.32 19.416 0 16.096 0 12c0-4.095 3.32-7.416 7.416-7.416 1.518 0 2.931.456 4.105 1.238-.06.051-.12.098-.165.15C9.6 7.489 8.595 9.688 8.595 12c0 2.311 1.001 4.51 2.748 6.031zm5.241-13.447c-1.52 0-2.931.456-4.105 1.238.06.051.12.098.165.15C14.4 7.489 15.405 9.688 15.405 12c0 2.31-1.001 4.507-2.748 6.031-.058.049-.12.098-.181.146 1.177.783 2.588 1.238 4.107 1.238C20.68 19.416 24 16.096 24 12c0-4.094-3.32-7.416-7.416-7.416zM12 6.174c-.096.075-.189.15-.28.231C10.156 7.764 9.169 9.765 9.169 12c0 2.236.987 4.236 2.551 5.595.09.08.185.158.28.232.096-.074.189-.152.28-.232 1.563-1.359 2.551-3.359 2.551-5.595 0-2.235-.987-4.236-2.551-5.595-.09-.08-.184-.156-.28-.231z',
  },
  paypal: {
    hex: '002991',
    crop: '1.8 0 20.4 24',
    path: 'M15.607 4.653H8.941L6.645 19.251H1.82L4.862 0h7.995c3.754 0 6.375 2.294 6.473 5.513-.648-.478-2.105-.86-3.722-.86m6.57 5.546c0 3.41-3.01 6.853-6.958 6.853h-2.493L11.595 24H6.74l1.845-11.538h3.592c4.208 0 7.346-3.634 7.153-6.949a5.24 5.24 0 0 1 2.848 4.686M9.653 5.546h6.408c.907 0 1.942.222 2.363.541-.195 2.741-2.655 5.483-6.441 5.483H8.714Z',
  },
  klarna: {
    // Klarna's pink (#FFB3C7) is the chip; the mark is black on it, as Klarna shows it.
    hex: '0B051D',
    crop: '0 2 24 20',
    path: 'M4.592 2v20H0V2h4.592zm11.46 0c0 4.194-1.583 8.105-4.415 11.068l-.278.283L17.702 22h-5.668l-6.893-9.4 1.779-1.332c2.858-2.14 4.535-5.378 4.637-8.924L11.562 2h4.49zM21.5 17a2.5 2.5 0 110 5 2.5 2.5 0 010-5z',
  },
  amex: {
    hex: '2E77BC',
    crop: '0 0 24 24',
    path: 'M16.015 14.378c0-.32-.135-.496-.344-.622-.21-.12-.464-.135-.81-.135h-1.543v2.82h.675v-1.027h.72c.24 0 .39.024.478.125.12.13.104.38.104.55v.35h.66v-.555c-.002-.25-.017-.376-.108-.516-.06-.08-.18-.18-.33-.234l.02-.008c.18-.072.48-.297.48-.747zm-.87.407l-.028-.002c-.09.053-.195.058-.33.058h-.81v-.63h.824c.12 0 .24 0 .33.05.098.048.156.147.15.255 0 .12-.045.215-.134.27zM20.297 15.837H19v.6h1.304c.676 0 1.05-.278 1.05-.884 0-.28-.066-.448-.187-.582-.153-.133-.392-.193-.73-.207l-.376-.015c-.104 0-.18 0-.255-.03-.09-.03-.15-.105-.15-.21 0-.09.017-.166.09-.21.083-.046.177-.066.272-.06h1.23v-.602h-1.35c-.704 0-.958.437-.958.84 0 .9.776.855 1.407.87.104 0 .18.015.225.06.046.03.082.106.082.18 0 .077-.035.15-.08.18-.06.053-.15.07-.277.07zM0 0v10.096L.81 8.22h1.75l.225.464V8.22h2.043l.45 1.02.437-1.013h6.502c.295 0 .56.057.756.236v-.23h1.787v.23c.307-.17.686-.23 1.12-.23h2.606l.24.466v-.466h1.918l.254.465v-.466h1.858v3.948H20.87l-.36-.6v.585h-2.353l-.256-.63h-.583l-.27.614h-1.213c-.48 0-.84-.104-1.08-.24v.24h-2.89v-.884c0-.12-.03-.12-.105-.135h-.105v1.036H6.067v-.48l-.21.48H4.69l-.202-.48v.465H2.235l-.256-.624H1.4l-.256.624H0V24h23.786v-7.108c-.27.135-.613.18-.973.18H21.09v-.255c-.21.165-.57.255-.914.255H14.71v-.9c0-.12-.018-.12-.12-.12h-.075v1.022h-1.8v-1.066c-.298.136-.643.15-.928.136h-.214v.915h-2.18l-.54-.617-.57.6H4.742v-3.93h3.61l.518.602.554-.6h2.412c.28 0 .74.03.942.225v-.24h2.177c.202 0 .644.045.903.225v-.24h3.265v.24c.163-.164.508-.24.803-.24h1.89v.24c.194-.15.464-.24.84-.24h1.176V0H0zM21.156 14.955c.004.005.006.012.01.016.01.01.024.01.032.02l-.042-.035zM23.828 13.082h.065v.555h-.065zM23.865 15.03v-.005c-.03-.025-.046-.048-.075-.07-.15-.153-.39-.215-.764-.225l-.36-.012c-.12 0-.194-.007-.27-.03-.09-.03-.15-.105-.15-.21 0-.09.03-.16.09-.204.076-.045.15-.05.27-.05h1.223v-.588h-1.283c-.69 0-.96.437-.96.84 0 .9.78.855 1.41.87.104 0 .18.015.224.06.046.03.076.106.076.18 0 .07-.034.138-.09.18-.045.056-.136.07-.27.07h-1.288v.605h1.287c.42 0 .734-.118.9-.36h.03c.09-.134.135-.3.135-.523 0-.24-.045-.39-.135-.526zM18.597 14.208v-.583h-2.235V16.458h2.235v-.585h-1.57v-.57h1.533v-.584h-1.532v-.51M13.51 8.787h.685V11.6h-.684zM13.126 9.543l-.007.006c0-.314-.13-.5-.34-.624-.217-.125-.47-.135-.81-.135H10.43v2.82h.674v-1.034h.72c.24 0 .39.03.487.12.122.136.107.378.107.548v.354h.677v-.553c0-.25-.016-.375-.11-.516-.09-.107-.202-.19-.33-.237.172-.07.472-.3.472-.75zm-.855.396h-.015c-.09.054-.195.056-.33.056H11.1v-.623h.825c.12 0 .24.004.33.05.09.04.15.128.15.25s-.047.22-.134.266zM15.92 9.373h.632v-.6h-.644c-.464 0-.804.105-1.02.33-.286.3-.362.69-.362 1.11 0 .512.123.833.36 1.074.232.238.645.31.97.31h.78l.255-.627h1.39l.262.627h1.36v-2.11l1.272 2.11h.95l.002.002V8.786h-.684v1.963l-1.18-1.96h-1.02V11.4L18.11 8.744h-1.004l-.943 2.22h-.3c-.177 0-.362-.03-.468-.134-.125-.15-.186-.36-.186-.662 0-.285.08-.51.194-.63.133-.135.272-.165.516-.165zm1.668-.108l.464 1.118v.002h-.93l.466-1.12zM2.38 10.97l.254.628H4V9.393l.972 2.205h.584l.973-2.202.015 2.202h.69v-2.81H6.118l-.807 1.904-.876-1.905H3.343v2.663L2.205 8.787h-.997L.01 11.597h.72l.26-.626h1.39zm-.688-1.705l.46 1.118-.003.002h-.915l.457-1.12zM11.856 13.62H9.714l-.85.923-.825-.922H5.346v2.82H8l.855-.932.824.93h1.302v-.94h.838c.6 0 1.17-.164 1.17-.945l-.006-.003c0-.78-.598-.93-1.128-.93zM7.67 15.853l-.014-.002H6.02v-.557h1.47v-.574H6.02v-.51H7.7l.733.82-.764.824zm2.642.33l-1.03-1.147 1.03-1.108v2.253zm1.553-1.258h-.885v-.717h.885c.24 0 .42.098.42.344 0 .243-.15.372-.42.372zM9.967 9.373v-.586H7.73V11.6h2.237v-.58H8.4v-.564h1.527V9.88H8.4v-.507',
  },
} satisfies Record<string, SimpleIcon>;

function chip(fill = '#FFFFFF'): SVGTemplateResult {
  return svg`<rect x="0.5" y="0.5" width="49" height="31" rx="5" fill=${fill} stroke=${BORDER}></rect>`;
}

/** A Simple Icons mark, fitted into the chip's inner box (x 6–44, y 5–27) without distortion. */
function simpleIcon(icon: SimpleIcon, box = { x: 6, y: 5, width: 38, height: 22 }): SVGTemplateResult {
  return svg`<svg x=${box.x} y=${box.y} width=${box.width} height=${box.height} viewBox=${icon.crop}><path d=${icon.path} fill=${`#${icon.hex}`}></path></svg>`;
}

/** A brand's name as its mark, squeezed to the chip's width whatever the font. */
function wordmark(parts: ReadonlyArray<[text: string, colour: string]>, width: number, size = 12): SVGTemplateResult {
  return svg`<text x="25" y="16.5" text-anchor="middle" dominant-baseline="central" font-family=${WORDMARK_FONT} font-size=${size} font-weight="700" textLength=${width} lengthAdjust="spacingAndGlyphs">${parts.map(
    ([text, colour]) => svg`<tspan fill=${colour}>${text}</tspan>`,
  )}</text>`;
}

const INK = '#2F3B52';

const MARKS: Record<LogoId, () => SVGTemplateResult> = {
  card: () => svg`${chip()}
    <rect x="11" y="7" width="28" height="18" rx="3" fill="none" stroke=${INK} stroke-width="2"></rect>
    <rect x="11" y="11" width="28" height="3.5" fill=${INK}></rect>
    <rect x="15" y="18" width="7" height="3" rx="1" fill=${INK}></rect>`,
  paypal: () => svg`${chip()}${simpleIcon(SIMPLE_ICONS.paypal)}`,
  klarna: () => svg`${chip('#FFB3C7')}${simpleIcon(SIMPLE_ICONS.klarna, { x: 8, y: 7, width: 34, height: 18 })}`,
  swish: () => svg`${chip()}${wordmark([['Swish', '#1B1B1B']], 32)}
    <path d="M13 24.5c6 2 18 2 24 0" fill="none" stroke="#39B54A" stroke-width="2" stroke-linecap="round"></path>`,
  mobilepay: () => svg`${chip('#5A78FF')}${wordmark([['MobilePay', '#FFFFFF']], 40, 11)}`,
  vipps: () => svg`${chip('#FF5B24')}${wordmark([['vipps', '#FFFFFF']], 30, 13)}`,
  blik: () => svg`${chip()}${wordmark([['blik', '#000000']], 26, 14)}
    <circle cx="40" cy="10" r="3" fill="#E4003A"></circle>`,
  mbway: () => svg`${chip()}${wordmark([['MB ', '#D60510'], ['WAY', '#1B1B1B']], 38, 11)}`,
  p24: () => svg`${chip()}${wordmark([['P', '#D13239'], ['24', '#4D4D4D']], 30, 15)}`,
  'bank-transfer': () => svg`${chip()}
    <path d="M25 4.5 39 11H11z" fill="#1F4E79"></path>
    <rect x="13.5" y="13" width="3.5" height="9" fill="#1F4E79"></rect>
    <rect x="20.5" y="13" width="3.5" height="9" fill="#1F4E79"></rect>
    <rect x="27" y="13" width="3.5" height="9" fill="#1F4E79"></rect>
    <rect x="33.5" y="13" width="3.5" height="9" fill="#1F4E79"></rect>
    <rect x="11" y="23.5" width="28" height="3" fill="#1F4E79"></rect>`,
  'b2b-pay-later': () => svg`${chip()}
    <path d="M12 5h12l5 5v17H12z" fill="none" stroke="#5B3F8C" stroke-width="2" stroke-linejoin="round"></path>
    <rect x="15.5" y="13" width="10" height="2" fill="#5B3F8C"></rect>
    <rect x="15.5" y="18" width="7" height="2" fill="#5B3F8C"></rect>
    <circle cx="33" cy="20" r="6.5" fill="#5B3F8C"></circle>
    <path d="M33 16.5V20h3" fill="none" stroke="#FFFFFF" stroke-width="1.6" stroke-linecap="round"></path>`,
  'hi-health': () => svg`${chip()}
    <circle cx="25" cy="16" r="11" fill="#0B7A5A"></circle>
    <rect x="23" y="9.5" width="4" height="13" rx="1" fill="#FFFFFF"></rect>
    <rect x="18.5" y="14" width="13" height="4" rx="1" fill="#FFFFFF"></rect>`,
  other: () => svg`${chip()}
    <rect x="11" y="8" width="28" height="17" rx="3" fill="none" stroke="#4B5563" stroke-width="2"></rect>
    <rect x="28" y="13" width="11" height="7" rx="2" fill="#4B5563"></rect>
    <circle cx="32.5" cy="16.5" r="1.5" fill="#FFFFFF"></circle>`,
  visa: () => svg`${chip()}${simpleIcon(SIMPLE_ICONS.visa)}`,
  mastercard: () => svg`${chip()}${simpleIcon(SIMPLE_ICONS.mastercard)}`,
  amex: () => svg`${chip()}${simpleIcon(SIMPLE_ICONS.amex, { x: 14, y: 5, width: 22, height: 22 })}`,
  // Two overlapping circles in Maestro's blue and red.
  maestro: () => svg`${chip()}
    <circle cx="20" cy="16" r="8.5" fill="#0099DF"></circle>
    <circle cx="30" cy="16" r="8.5" fill="#EB001B"></circle>
    <path d="M25 9.13A8.5 8.5 0 0 1 25 22.87 8.5 8.5 0 0 1 25 9.13z" fill="#6C6BBD"></path>`,
};

/** The marks Kassa draws, for tests and stories. */
export const LOGO_IDS = Object.keys(MARKS) as LogoId[];

const BRAND_MARKS: Readonly<Record<CardBrand, true>> = { visa: true, mastercard: true, amex: true, maestro: true };

export function isLogoId(value: unknown): value is LogoId {
  return typeof value === 'string' && Object.hasOwn(MARKS, value);
}

function isCardBrand(value: unknown): value is CardBrand {
  return typeof value === 'string' && Object.hasOwn(BRAND_MARKS, value);
}

/** A mark as a decorative SVG (hidden from assistive technology: the method's name stands beside it). */
export function logoMark(id: LogoId): TemplateResult {
  const draw = MARKS[id] ?? MARKS.other;
  return html`<svg viewBox=${VIEW_BOX} width="100%" height="100%" aria-hidden="true" focusable="false" data-mark=${id}>${draw()}</svg>`;
}
