/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import { siAmericanexpress, siKlarna, siMastercard, siPaypal, siVisa } from 'simple-icons';
import { CARD_BRANDS, METHOD_TYPES, type PaymentMethod } from '../../core/model.ts';
import { LOGO_IDS, SIMPLE_ICONS, cardBrands, isLogoId, logoMark, methodLogo, type MethodLogo } from './logos-marks.ts';
import { loadLogoMarks, loadedLogoMarks } from './logos.ts';

const URL_LOGO = 'https://cdn.example/logos/card.svg';

/** Relative luminance and contrast ratio (WCAG 2). */
function luminance(colour: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('logos', () => {
  describe('methodLogo', () => {
    const rows: Array<[method: Pick<PaymentMethod, 'logo' | 'type'>, logo: MethodLogo]> = [
      [{ type: 'card', logo: 'kassa:card' }, { mark: 'card' }],
      [{ type: 'card', logo: 'kassa:visa' }, { mark: 'visa' }],
      [{ type: 'paypal' }, { mark: 'paypal' }],
      [{ type: 'blik', logo: 'kassa:applepay' }, { mark: 'blik' }],
      [{ type: 'card', logo: URL_LOGO }, { url: URL_LOGO, mark: 'card' }],
      [{ type: 'card', logo: 'javascript:alert(1)' }, { mark: 'card' }],
      [{ type: 'card', logo: 'data:image/svg+xml,<svg/>' }, { mark: 'card' }],
      [{ type: 'card', logo: 'http://cdn.example/x.png' }, { mark: 'card' }],
      [{ type: 'other', logo: 'kassa:other' }, { mark: 'other' }],
      [{}, { mark: 'other' }],
      [{ type: 'crypto' as never }, { mark: 'other' }],
      [{ type: 'visa' as never }, { mark: 'other' }],
      [{ type: '__proto__' as never, logo: 'kassa:__proto__' }, { mark: 'other' }],
    ];
    for (const [method, logo] of rows) {
      it(`${JSON.stringify(method)} → ${JSON.stringify(logo)}`, () => expect(methodLogo(method)).to.deep.equal(logo));
    }
  });

  it('cardBrands keeps the brands Kassa has marks for, once each, in order', () => {
    expect(cardBrands({ brands: ['mastercard', 'visa', 'mastercard', 'diners' as never, 'amex'] })).to.deep.equal(['mastercard', 'visa', 'amex']);
    expect(cardBrands({})).to.deep.equal([]);
    expect(cardBrands({ brands: 'visa' as never })).to.deep.equal([]);
  });

  it('has a mark for every method type and every card brand, and nothing else', () => {
    expect([...LOGO_IDS].sort()).to.deep.equal([...METHOD_TYPES, ...CARD_BRANDS].sort());
    expect(isLogoId('toString')).to.equal(false);
  });

  it('draws the Simple Icons marks path for path', () => {
    expect(SIMPLE_ICONS.visa.path).to.equal(siVisa.path);
    expect(SIMPLE_ICONS.mastercard.path).to.equal(siMastercard.path);
    expect(SIMPLE_ICONS.paypal.path).to.equal(siPaypal.path);
    expect(SIMPLE_ICONS.klarna.path).to.equal(siKlarna.path);
    expect(SIMPLE_ICONS.amex.path).to.equal(siAmericanexpress.path);
    // Brand colours as Simple Icons gives them, but Klarna's pink, which is its chip instead.
    expect([SIMPLE_ICONS.visa.hex, SIMPLE_ICONS.mastercard.hex, SIMPLE_ICONS.paypal.hex, SIMPLE_ICONS.amex.hex]).to.deep.equal([
      siVisa.hex,
      siMastercard.hex,
      siPaypal.hex,
      siAmericanexpress.hex,
    ]);
  });

  for (const id of LOGO_IDS) {
    it(`draws ${id}: a decorative SVG whose drawing stays inside a bordered chip that reads on light and dark pages`, async () => {
      const host = await fixture<HTMLDivElement>(html`<div>${logoMark(id)}</div>`);
      const svg = host.querySelector('svg')!;
      expect(svg.getAttribute('aria-hidden')).to.equal('true');
      expect(svg.getAttribute('viewBox')).to.equal('0 0 50 32');
      expect(svg.dataset.mark).to.equal(id);
      expect(svg.querySelector('title, [style]')).to.equal(null);
      const chip = svg.firstElementChild as SVGRectElement;
      expect(chip.localName).to.equal('rect');
      const border = chip.getAttribute('stroke')!;
      expect(contrast(border, '#ffffff'), 'border on a light page').to.be.at.least(3);
      expect(contrast(border, '#16181c'), 'border on a dark page').to.be.at.least(3);
      const drawing = [...svg.children].slice(1) as SVGGraphicsElement[];
      expect(drawing.length).to.be.above(0);
      for (const part of drawing) {
        const box = part.getBBox();
        expect(box.width * box.height, `${part.localName} is drawn`).to.be.above(0);
        expect(box.x).to.be.at.least(0);
        expect(box.y).to.be.at.least(0);
        expect(box.x + box.width).to.be.at.most(50);
        expect(box.y + box.height).to.be.at.most(32);
      }
    });
  }

  it('loads the marks once, from their own chunk, and shares them', async () => {
    const first = await loadLogoMarks();
    expect(loadedLogoMarks()).to.equal(first);
    expect(await loadLogoMarks()).to.equal(first);
    expect(first.logoMark).to.equal(logoMark);
  });
});
