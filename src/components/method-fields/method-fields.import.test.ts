/// <reference types="mocha" />
// Importing the class must not register the tag: only define.ts does. This file imports nothing else.
import { expect } from '@open-wc/testing';
import { KassaMethodFields } from './method-fields.ts';

describe('kassa-method-fields module', () => {
  it('registers nothing when the class is imported', () => {
    expect(KassaMethodFields).to.be.a('function');
    expect(customElements.get('kassa-method-fields')).to.equal(undefined);
  });
});
