/** retryableImport: a failed import is tried again at the failed module's URL with a fresh query; a success is kept. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { moduleUrl, retryableImport } from './retryable-import.ts';

const dir = mkdtempSync(join(tmpdir(), 'kassa-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('moduleUrl', () => {
  const cases: Array<[string, unknown, string | undefined]> = [
    ['Chromium', new TypeError('Failed to fetch dynamically imported module: https://cdn.example/kassa/chunks/qr-D4rlw-Hu.js'), 'https://cdn.example/kassa/chunks/qr-D4rlw-Hu.js'],
    ['a retried URL loses its query', new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1:4000/assets/chunks/sv-1.js?retry=2'), 'http://127.0.0.1:4000/assets/chunks/sv-1.js'],
    ['Firefox', new TypeError('error loading dynamically imported module: https://shop.example/a.js'), 'https://shop.example/a.js'],
    ['Safari names no URL', new TypeError('Importing a module script failed.'), undefined],
    ['not an error', 'offline', undefined],
  ];
  for (const [name, error, expected] of cases) it(name, () => assert.equal(moduleUrl(error), expected));
});

describe('retryableImport', () => {
  it('after a failure naming the module, imports that URL with a fresh query; then keeps the success', async () => {
    const file = join(dir, 'part.mjs');
    writeFileSync(file, 'export const loadedFrom = import.meta.url;\n');
    const url = pathToFileURL(file).href;
    let plainCalls = 0;
    const load = retryableImport<{ loadedFrom: string }>(() => {
      plainCalls++;
      return Promise.reject(new TypeError(`Failed to fetch dynamically imported module: ${url}`));
    });
    await assert.rejects(load(), /Failed to fetch/);
    const module = await load();
    assert.equal(module.loadedFrom, `${url}?retry=1`);
    assert.equal(await load(), module, 'the success is kept');
    assert.equal(plainCalls, 1, 'the remembered failure is not asked again');
  });

  it('without a URL in the error, tries the import again as it is; one load for concurrent callers', async () => {
    let calls = 0;
    const load = retryableImport(async () => {
      calls++;
      if (calls === 1) throw new TypeError('Importing a module script failed.');
      return { ok: true };
    });
    await assert.rejects(load());
    const [a, b] = await Promise.all([load(), load()]);
    assert.equal(a, b);
    assert.equal(calls, 2);
  });
});
