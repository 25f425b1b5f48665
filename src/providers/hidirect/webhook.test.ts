import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebhookRejected } from '../../server/provider.ts';
import { decodeSignature, hashAlgorithmNamed, readSignature, signatureFormatNamed } from './webhook.ts';

describe('hi.health signature headers', () => {
  // Every spelling node:crypto and its users write for RSA with a SHA-2 hash; nothing weaker.
  const hashes: Array<[header: string, hash: string | undefined]> = [
    ['SHA256', 'SHA256'],
    ['sha256', 'SHA256'],
    ['SHA-256', 'SHA256'],
    ['sha_256', 'SHA256'],
    ['RSA-SHA256', 'SHA256'],
    ['rsa-sha384', 'SHA384'],
    ['sha256WithRSAEncryption', 'SHA256'],
    ['sha512WithRSAEncryption', 'SHA512'],
    ['SHA384withRSA', 'SHA384'],
    ['RS256', 'SHA256'],
    ['RS512', 'SHA512'],
    [' SHA512 ', 'SHA512'],
    ['SHA1', undefined],
    ['RSA-SHA1', undefined],
    ['MD5', undefined],
    ['SHA224', undefined],
    ['SHA3-256', undefined],
    ['SHA512-256', undefined],
    ['ES256', undefined],
    ['PS256', undefined],
    ['HS256', undefined],
    ['', undefined],
  ];
  for (const [header, hash] of hashes) {
    it(`reads the hash ${JSON.stringify(header)} as ${hash}`, () => assert.equal(hashAlgorithmNamed(header), hash));
  }

  const formats: Array<[header: string, format: string | undefined]> = [
    ['base64', 'base64'],
    ['BASE64', 'base64'],
    ['base64url', 'base64url'],
    ['hex', 'hex'],
    ['Hex', 'hex'],
    ['latin1', undefined],
    ['binary', undefined],
    ['utf8', undefined],
    ['base-64', undefined],
  ];
  for (const [header, format] of formats) {
    it(`reads the encoding ${JSON.stringify(header)} as ${format}`, () => assert.equal(signatureFormatNamed(header), format));
  }

  it('decodes a signature only in the encoding it is written in', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x00, 0x3e]);
    assert.deepEqual(decodeSignature(bytes.toString('base64'), 'base64'), bytes);
    assert.deepEqual(decodeSignature(bytes.toString('base64url'), 'base64url'), bytes);
    // node:crypto reads either base64 alphabet under either name; so does Kassa.
    assert.deepEqual(decodeSignature(bytes.toString('base64url'), 'base64'), bytes);
    assert.deepEqual(decodeSignature(bytes.toString('hex'), 'hex'), bytes);
    assert.deepEqual(decodeSignature(bytes.toString('hex').toUpperCase(), 'hex'), bytes);
    assert.equal(decodeSignature('abc', 'hex'), undefined, 'odd length');
    assert.equal(decodeSignature(bytes.toString('base64'), 'hex'), undefined);
    assert.equal(decodeSignature('a b', 'base64'), undefined);
    assert.equal(decodeSignature('abc!', 'base64url'), undefined);
  });

  const all = { formats: ['base64', 'base64url', 'hex'], hashAlgorithms: ['SHA256', 'SHA384', 'SHA512'] } as const;
  const headers = (values: Record<string, string>) => new Headers(values);

  it('tries only what the headers name, and everything accepted where they are silent', () => {
    const named = readSignature(headers({ 'hi-api-signature': 'abcd', 'hi-api-signature-format': 'hex', 'hi-api-hash-algorithm': 'SHA384' }), all);
    assert.deepEqual(named.readings, [{ hashAlgorithm: 'SHA384', signature: Buffer.from('abcd', 'hex') }]);
    const silent = readSignature(headers({ 'hi-api-signature': 'abcd' }), all);
    // "abcd" reads as base64 (twice: both alphabets) and as hex, under each of the three hashes.
    assert.equal(silent.readings.length, 9);
    const hexOnly = readSignature(headers({ 'hi-api-signature': 'abcd' }), { formats: ['hex'], hashAlgorithms: ['SHA256'] });
    assert.deepEqual(hexOnly.readings, [{ hashAlgorithm: 'SHA256', signature: Buffer.from('abcd', 'hex') }]);
  });

  const refused: Array<[name: string, values: Record<string, string>]> = [
    ['no signature', { 'hi-api-hash-algorithm': 'SHA256' }],
    ['an empty signature', { 'hi-api-signature': ' ' }],
    ['a signature far too long for any RSA key', { 'hi-api-signature': 'A'.repeat(2049) }],
    ['a signature in no accepted encoding', { 'hi-api-signature': 'not*a*signature' }],
    ['a declared encoding the signature is not in', { 'hi-api-signature': 'zz==', 'hi-api-signature-format': 'hex' }],
    ['an encoding no header should name', { 'hi-api-signature': 'abcd', 'hi-api-signature-format': 'latin1' }],
    ['an empty encoding header', { 'hi-api-signature': 'abcd', 'hi-api-signature-format': '' }],
    ['a weak hash', { 'hi-api-signature': 'abcd', 'hi-api-hash-algorithm': 'SHA1' }],
    ['an empty hash header', { 'hi-api-signature': 'abcd', 'hi-api-hash-algorithm': '' }],
  ];
  for (const [name, values] of refused) {
    it(`rejects ${name}`, () => assert.throws(() => readSignature(headers(values), all), WebhookRejected));
  }

  it('rejects an encoding or hash the merchant does not accept, though hi.health could name it', () => {
    const strict = { formats: ['base64'], hashAlgorithms: ['SHA256'] } as const;
    assert.throws(() => readSignature(headers({ 'hi-api-signature': 'abcd', 'hi-api-signature-format': 'hex' }), strict), /unsupported signature format/);
    assert.throws(() => readSignature(headers({ 'hi-api-signature': 'abcd', 'hi-api-hash-algorithm': 'RS512' }), strict), /unsupported hash algorithm/);
  });
});
