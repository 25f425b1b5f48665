/**
 * Every entry point of the package imports in Node without a DOM — what a server-rendering framework (Next.js,
 * Nuxt, SvelteKit, Angular) does with `import 'kassa/define'` before its first render. Each is imported from its
 * source (lib/ is tsc's one-to-one output of src/) in a Node process of its own, with no `document` or `window`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, unknown> };

/** The module Node loads for an export (its `node` or `default` target), or undefined for types or data only. */
function nodeTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  const conditions = value as Record<string, unknown>;
  return nodeTarget(conditions.node ?? conditions.import ?? conditions.default);
}

/** lib/…/x.js is compiled from src/…/x.ts. */
function sourceOf(target: string): string {
  return target.replace(/^\.\/lib\//, 'src/').replace(/\.js$/, '.ts');
}

const entries = Object.entries(pkg.exports)
  .map(([name, value]) => ({ name, target: nodeTarget(value) }))
  .filter((entry): entry is { name: string; target: string } => entry.target !== undefined && entry.target.endsWith('.js'));

describe('entry points in Node without a DOM', () => {
  it('covers every entry that has JavaScript, the script-tag bundle included (Node gets its module form)', () => {
    const names = entries.map((e) => e.name);
    for (const name of ['.', './define', './define/checkout', './server', './providers/kronor/browser', './kassa.js']) assert.ok(names.includes(name), name);
    for (const { name, target } of entries) assert.match(target, /^\.\/lib\//, `${name} gives Node a module from lib/`);
  });

  for (const { name, target } of entries) {
    it(`imports kassa${name.slice(1)}`, async () => {
      const script = `await import(${JSON.stringify(`${root}${sourceOf(target)}`)});
if (typeof document !== 'undefined' || typeof window !== 'undefined') throw new Error('a DOM global was left behind');`;
      const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
      assert.equal(stderr, '');
    });
  }
});
