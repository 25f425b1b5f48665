/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { KassaQr } from './qr.ts';

describe('kassa-qr module', () => {
  it('importing the class registers nothing', () => {
    expect(KassaQr).to.be.a('function');
    expect(customElements.get('kassa-qr')).to.equal(undefined);
  });
});
