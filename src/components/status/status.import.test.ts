/// <reference types="mocha" />
/** Importing the class registers nothing: only define.ts defines `kassa-status`. */
import { expect } from '@open-wc/testing';
import { KassaStatus } from './status.ts';

describe('kassa-status import', () => {
  it('leaves the tag undefined until define.ts runs', async () => {
    expect(KassaStatus).to.be.a('function');
    expect(customElements.get('kassa-status')).to.equal(undefined);
    await import('./define.ts');
    expect(customElements.get('kassa-status')).to.equal(KassaStatus);
  });
});
