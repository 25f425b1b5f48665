import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentRefusal } from './document.ts';

const TEN_MB = 10 * 1024 * 1024;
const pdf = (size = 32) => {
  const content = new Uint8Array(size).fill(0x20);
  content.set(new TextEncoder().encode('%PDF-1.7').subarray(0, size));
  return content;
};
const text = (value: string) => new TextEncoder().encode(value);

describe('hi.health documents', () => {
  const rows: Array<[name: string, type: string, content: Uint8Array, maxBytes: number, refusal: RegExp | undefined]> = [
    ['an INVOICE PDF', 'INVOICE', pdf(), TEN_MB, undefined],
    ['an OTHER PDF', 'OTHER', pdf(), TEN_MB, undefined],
    ['a PRESCRIPTION PDF', 'PRESCRIPTION', pdf(), TEN_MB, undefined],
    ['a CERTIFICATE PDF', 'CERTIFICATE', pdf(), TEN_MB, undefined],
    ['a TEST_RESULT PDF', 'TEST_RESULT', pdf(), TEN_MB, undefined],
    ['a PDF of exactly the limit', 'INVOICE', pdf(TEN_MB), TEN_MB, undefined],
    ['the bare header', 'INVOICE', text('%PDF-'), TEN_MB, undefined],
    ['a PDF one byte over the limit', 'INVOICE', pdf(TEN_MB + 1), TEN_MB, /at most 10 MB/],
    ['a PDF over a configured limit', 'INVOICE', pdf(2000), 1000, /at most 1000 bytes/],
    ['an empty file', 'INVOICE', new Uint8Array(0), TEN_MB, /empty/],
    ['a PNG', 'INVOICE', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), TEN_MB, /PDF only/],
    ['%PDF without the dash', 'INVOICE', text('%PDF1.7'), TEN_MB, /PDF only/],
    ['a header not at the start', 'INVOICE', text('\n%PDF-1.7'), TEN_MB, /PDF only/],
    ['a lower-case header', 'INVOICE', text('%pdf-1.7'), TEN_MB, /PDF only/],
    ['a file shorter than the header', 'INVOICE', text('%PD'), TEN_MB, /PDF only/],
    ['an unknown type', 'RECEIPT', pdf(), TEN_MB, /types OTHER, INVOICE, PRESCRIPTION, CERTIFICATE, TEST_RESULT/],
    ['a lower-case type', 'invoice', pdf(), TEN_MB, /types/],
    ['a type that would change the path', 'INVOICE/../../x', pdf(), TEN_MB, /types/],
  ];
  for (const [name, type, content, maxBytes, refusal] of rows) {
    it(`${refusal ? 'refuses' : 'takes'} ${name}`, () => {
      const answer = documentRefusal(type, content, maxBytes);
      if (refusal) assert.match(answer ?? '', refusal);
      else assert.equal(answer, undefined);
    });
  }
});
