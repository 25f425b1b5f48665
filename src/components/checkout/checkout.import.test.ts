/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { KassaCheckout } from './checkout.ts';

describe('kassa-checkout module', () => {
  it('importing the class registers nothing: neither the checkout nor the elements it renders', () => {
    expect(KassaCheckout).to.be.a('function');
    for (const tag of ['kassa-checkout', 'kassa-method-picker', 'kassa-method-fields', 'kassa-redirect', 'kassa-qr', 'kassa-status']) {
      expect(customElements.get(tag), tag).to.equal(undefined);
    }
  });
});
