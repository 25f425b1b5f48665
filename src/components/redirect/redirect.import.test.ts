/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { KassaRedirect } from './redirect.ts';

describe('kassa-redirect module', () => {
  it('importing the class registers nothing', () => {
    expect(KassaRedirect).to.be.a('function');
    expect(customElements.get('kassa-redirect')).to.equal(undefined);
  });
});
