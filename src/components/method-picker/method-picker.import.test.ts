/// <reference types="mocha" />
// Importing the class must not register the tag: only define.ts does. This file imports nothing else.
import { expect } from '@open-wc/testing';
import { KassaMethodPicker } from './method-picker.ts';

describe('kassa-method-picker module', () => {
  it('registers nothing when the class is imported', () => {
    expect(KassaMethodPicker).to.be.a('function');
    expect(customElements.get('kassa-method-picker')).to.equal(undefined);
  });
});
