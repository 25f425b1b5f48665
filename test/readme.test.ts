/**
 * The README's sandbox examples work as written: each `sh` block preceded by `<!-- expect: … -->` is run against a
 * fresh sandbox (its address put in place of 127.0.0.1:4010) and must print what it expects.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { useSandbox } from '../sandbox/testing.ts';

const run = promisify(execFile);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/<!-- expect: (.+?) -->\n```sh\n([\s\S]+?)\n```/g)].map((m) => ({ expect: m[1]!, command: m[2]! }));

describe('README sandbox examples', () => {
  const sb = useSandbox();

  it('has one for every provider and for the control API', () => {
    assert.ok(examples.length >= 6);
    for (const prefix of ['/hero/', '/milkypay/', '/hidirect/', '/whenthen/', '/kronor/', '/_sandbox/']) {
      assert.ok(examples.some((e) => e.command.includes(prefix)), `an example for ${prefix}`);
    }
  });

  for (const example of examples) {
    it(example.command.slice(0, 90), async () => {
      const command = example.command.replaceAll('http://127.0.0.1:4010', sb.url);
      const { stdout } = await run('sh', ['-c', command], { timeout: 10_000 });
      assert.ok(stdout.includes(example.expect), `expected ${example.expect} in: ${stdout.slice(0, 300)}`);
      assert.doesNotMatch(stdout, /"errors"\s*:/);
    });
  }
});

describe('README element reference', () => {
  it('matches custom-elements.json, which matches the classes', async () => {
    // cem writes its --outdir relative to the project, so a scratch folder under node_modules/.cache.
    const dir = await mkdtemp('node_modules/.cache-kassa-cem-');
    // The analyzer also writes its output path into package.json ("customElements"): put the file back afterwards.
    const packageJson = readFileSync(new URL('../package.json', import.meta.url));
    try {
      await run('npx', ['cem', 'analyze', '--litelement', '--globs', 'src/components/**/*.ts', '--exclude', 'src/components/**/*.test.ts', '--outdir', dir], { timeout: 60_000 });
      // The analyzer lists modules in file-system order, which differs between machines: compare by path.
      const byPath = (m: { modules: Array<{ path: string }> }) => m.modules.sort((a, b) => a.path.localeCompare(b.path));
      const fresh = byPath(JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8')));
      const committed = byPath(JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8')));
      assert.deepEqual(committed, fresh, 'custom-elements.json is out of date: run `npm run analyze`');
      await run('node', ['scripts/elements-reference.mjs', '--check']);
    } finally {
      writeFileSync(new URL('../package.json', import.meta.url), packageJson);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
