/**
 * The styling surface is documented exactly: every `--kassa-*` property an element's styles read is in its JSDoc
 * (and so in custom-elements.json), and every documented one is read. Same for parts: every documented part is
 * rendered by the element's source.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', root), 'utf8'));
const elements = manifest.modules.flatMap((m: any) => (m.declarations ?? []).map((d: any) => ({ ...d, path: m.path }))).filter((d: any) => d.tagName);

function source(dir: string, pattern: RegExp): string {
  const folder = new URL(`src/components/${dir}/`, root);
  return readdirSync(folder)
    .filter((f) => pattern.test(f) && !f.includes('.test.'))
    .map((f) => readFileSync(new URL(f, folder), 'utf8'))
    .join('\n');
}

const themeSource = readFileSync(new URL('src/components/shared/theme.ts', root), 'utf8');
const usedByTheme = new Set(themeSource.match(/var\((--kassa-[a-z-]+)/g)?.map((m) => m.slice(4)) ?? []);

describe('styling surface', () => {
  it('has six elements in the manifest', () => assert.equal(elements.length, 6));

  for (const element of elements) {
    const dir = element.path.split('/')[2];
    it(`<${element.tagName}> documents exactly the custom properties it reads`, () => {
      const own = source(dir, /\.styles\.ts$/).match(/var\((--kassa-[a-z-]+)/g)?.map((m) => m.slice(4)) ?? [];
      const used = new Set([...usedByTheme, ...own]);
      const documented = new Set((element.cssProperties ?? []).map((p: any) => p.name));
      assert.deepEqual([...documented].sort(), [...used].sort());
    });

    it(`<${element.tagName}> renders every part it documents`, () => {
      // Lines that set a part (part="…", part=${…}) or list exported parts.
      const partLines = source(dir, /\.ts$/).split('\n').filter((line) => /part=|PARTS|exportparts/.test(line) && !line.trim().startsWith('*'));
      for (const part of element.cssParts ?? []) {
        const token = new RegExp(`(?<![\\w-])${part.name}(?![\\w-])`);
        assert.ok(partLines.some((line) => token.test(line)), `${part.name} not rendered`);
      }
    });
  }
});
