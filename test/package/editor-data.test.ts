/**
 * What tools read from the package: custom-elements.json (valid against the official schema, typed events, literal
 * attribute values, paths of shipped files), the framework types generated from it (src/types/elements.d.ts), the
 * `kassa/define/<element>` types, and the editor data the build writes from it (VS Code HTML and CSS custom data,
 * JetBrains web-types), which must name every element, attribute, event, custom property and part, and ship.
 *
 * Like pack.test.ts: builds lib/ (and with it the editor data) when missing and removes what it built afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';

const root = fileURLToPath(new URL('../../', import.meta.url));
const EDITOR_FILES = ['vscode.html-custom-data.json', 'vscode.css-custom-data.json', 'web-types.json'];
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));

type Named = { name: string; description?: string; type?: { text?: string } };
type Element = Named & {
  tagName: string;
  customElement?: boolean;
  attributes?: Array<Named & { fieldName?: string }>;
  events?: Named[];
  cssProperties?: Named[];
  cssParts?: Named[];
};
type Manifest = { modules: Array<{ path: string; declarations?: Element[]; exports?: unknown[] }> };

const manifest = read('custom-elements.json') as Manifest;
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
const byTag = (tag: string) => elements.find((e) => e.tagName === tag)!;

function run(label: string, command: string, args: string[], cwd = root): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `${label} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Every `module` and `path` string in the manifest. */
function modulePaths(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => modulePaths(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'module' || key === 'path') && typeof child === 'string') found.push(child);
      else modulePaths(child, found);
    }
  }
  return found;
}

const built: string[] = [];
let packed = new Set<string>();

before(() => {
  if (!existsSync(join(root, 'lib/index.js'))) {
    run('npm run build:lib', process.execPath, [join(root, 'scripts/build.mjs'), '--lib']);
    built.push('lib', ...EDITOR_FILES);
  } else if (EDITOR_FILES.some((file) => !existsSync(join(root, file)))) {
    run('editor data', process.execPath, [join(root, 'scripts/editor-data.mjs')]);
    built.push(...EDITOR_FILES);
  }
  const [report] = JSON.parse(run('npm pack', 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'])) as Array<{ files: Array<{ path: string }> }>;
  packed = new Set(report!.files.map((file) => file.path));
});

after(() => {
  for (const path of built) rmSync(join(root, path), { recursive: true, force: true });
});

describe('custom-elements.json', () => {
  it('is valid against the official schema', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/custom-elements-manifest/schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    assert.ok(validate(manifest), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  it('names shipped files in every module path and reference, never the TypeScript sources', () => {
    const paths = modulePaths(manifest);
    assert.ok(paths.length > 100, `${paths.length} paths`);
    for (const path of paths) {
      assert.doesNotMatch(path, /(^|\/)src\/|\.ts$/, path);
      assert.ok(packed.has(path), `${path} ships`);
    }
  });

  it('types every event with a class `kassa` exports (or the DOM Event)', async () => {
    const kassa = (await import(join(root, 'lib/components/index.js'))) as Record<string, unknown>;
    const events = elements.flatMap((e) => (e.events ?? []).map((event) => ({ tag: e.tagName, ...event })));
    assert.ok(events.length >= 12, `${events.length} events`);
    for (const event of events) {
      const type = event.type?.text;
      assert.ok(type, `${event.tag} ${event.name} has a type`);
      assert.ok(type === 'Event' || typeof kassa[type] === 'function', `${event.tag} ${event.name}: ${type} is exported`);
      if (type !== 'Event') assert.equal((kassa[type] as { type?: string }).type, event.name, `${type} is the ${event.name} event`);
    }
  });

  it('writes attributes whose values are a fixed set as that set, not as an alias or `string`', () => {
    const attribute = (tag: string, name: string) => byTag(tag).attributes?.find((a) => a.name === name)?.type?.text;
    assert.equal(attribute('kassa-checkout', 'group-by'), "'kind' | 'provider' | undefined");
    assert.equal(attribute('kassa-method-picker', 'group-by'), "'kind' | 'provider'");
    assert.match(attribute('kassa-status', 'state') ?? '', /^'created' \| .*'paid' \| .*\| undefined$/);
    for (const element of elements) {
      for (const a of element.attributes ?? []) {
        const parts = (a.type?.text ?? '').split(' | ');
        // Anything but primitives and quoted literals would be an alias an editor cannot offer values from.
        for (const part of parts) assert.match(part, /^('[^']*'|string|boolean|number|undefined)$/, `${element.tagName} ${a.name}: ${a.type?.text}`);
      }
    }
  });
});

describe('framework types from the manifest', () => {
  it('src/types/elements.d.ts is what scripts/element-types.mjs makes of custom-elements.json', () => {
    run('element-types --check', process.execPath, [join(root, 'scripts/element-types.mjs'), '--check']);
    const types = readFileSync(join(root, 'src/types/elements.d.ts'), 'utf8');
    for (const element of elements) {
      assert.ok(types.includes(`'${element.tagName}': {`), element.tagName);
      for (const event of element.events ?? []) assert.match(types, new RegExp(`'?${event.name}'?: ${event.type?.text};`), `${element.tagName} ${event.name}`);
    }
  });

  it('React and Vue list every element (Svelte maps the generated list)', () => {
    for (const file of ['jsx.d.ts', 'vue.d.ts']) {
      const types = readFileSync(join(root, 'src/types', file), 'utf8');
      for (const element of elements) assert.ok(types.includes(`'${element.tagName}': Kassa`), `${file}: ${element.tagName}`);
    }
    assert.match(readFileSync(join(root, 'src/types/svelte.d.ts'), 'utf8'), /\[Tag in KassaTag\]: KassaSvelteAttributes<Tag>/);
  });

  it('`kassa/svelte` and the `kassa/define/<element>` types ship and type a page that imports them', () => {
    assert.ok(packed.has('lib/types/svelte.d.ts'), 'lib/types/svelte.d.ts ships');
    // A shop's project with the package installed (a link to this checkout), type-checked by tsc.
    const app = mkdtempSync(join(tmpdir(), 'kassa-define-types-'));
    try {
      mkdirSync(join(app, 'node_modules'));
      symlinkSync(root, join(app, 'node_modules/kassa'), 'junction');
      const lines = [`import type {} from 'kassa/svelte';`];
      for (const element of elements) {
        const dir = element.tagName.replace(/^kassa-/, '');
        lines.push(
          `import { ${element.name} } from 'kassa/define/${dir}';`,
          `const ${element.name}Found: ${element.name} | null = document.querySelector('${element.tagName}');`,
          `export const ${element.name}Checked = ${element.name}Found instanceof ${element.name};`,
        );
      }
      // A tag the page does not define is only an Element: proves the map entries above come from the imports.
      lines.push(`// @ts-expect-error not a Kassa tag\nexport const unknown: HTMLDivElement = document.querySelector('kassa-nothing');`);
      writeFileSync(join(app, 'page.ts'), lines.join('\n'));
      writeFileSync(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false },
          files: ['page.ts'],
        }),
      );
      run('tsc (define types)', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')], app);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

describe('editor data', () => {
  const html = () => read('vscode.html-custom-data.json') as { tags: Array<{ name: string; description: string; attributes: Array<{ name: string; values?: Named[]; valueSet?: string }> }> };
  const css = () => read('vscode.css-custom-data.json') as { properties: Named[]; pseudoElements: Named[] };
  type WebElement = { name: string; attributes: Named[]; events: Named[]; js: { properties: Named[]; events: Named[] }; source?: { module: string; symbol: string } };
  const webTypes = () =>
    read('web-types.json') as { name: string; version: string; contributions: { html: { elements: WebElement[] }; css: { properties: Named[]; 'pseudo-elements': Named[] } } };

  it('VS Code HTML data has every element, attribute (with its values) and event', () => {
    const tags = html().tags;
    assert.equal(tags.length, elements.length);
    for (const element of elements) {
      const tag = tags.find((t) => t.name === element.tagName);
      assert.ok(tag, element.tagName);
      for (const attribute of element.attributes ?? []) assert.ok(tag.attributes.some((a) => a.name === attribute.name), `${element.tagName} ${attribute.name}`);
      for (const event of element.events ?? []) assert.ok(tag.description.includes(`**${event.name}**`), `${element.tagName} ${event.name}`);
    }
    const groupBy = tags.find((t) => t.name === 'kassa-checkout')!.attributes.find((a) => a.name === 'group-by')!;
    assert.deepEqual(groupBy.values?.map((v) => v.name), ['kind', 'provider']);
    assert.equal(tags.find((t) => t.name === 'kassa-redirect')!.attributes.find((a) => a.name === 'auto')!.valueSet, 'v');
  });

  it('VS Code CSS data has every custom property and part, once each', () => {
    const data = css();
    const properties = new Set(elements.flatMap((e) => (e.cssProperties ?? []).map((p) => p.name)));
    const parts = new Set(elements.flatMap((e) => (e.cssParts ?? []).map((p) => `::part(${p.name})`)));
    assert.deepEqual(data.properties.map((p) => p.name).sort(), [...properties].sort());
    assert.deepEqual(data.pseudoElements.map((p) => p.name).sort(), [...parts].sort());
  });

  it('web-types has every element, attribute, event, custom property and part, and each element’s class', () => {
    const data = webTypes();
    const pkg = read('package.json') as { name: string; version: string };
    assert.equal(data.name, pkg.name);
    assert.equal(data.version, pkg.version);
    for (const element of elements) {
      const found = data.contributions.html.elements.find((e) => e.name === element.tagName);
      assert.ok(found, element.tagName);
      for (const attribute of element.attributes ?? []) assert.ok(found.attributes.some((a) => a.name === attribute.name), `${element.tagName} ${attribute.name}`);
      for (const event of element.events ?? []) {
        assert.equal(found.events.find((e) => e.name === event.name)?.type, event.type?.text, `${element.tagName} ${event.name}`);
      }
      assert.equal(found.source?.symbol, element.name);
      assert.ok(packed.has(found.source!.module.replace(/^\.\//, '')), `${found.source!.module} ships`);
    }
    const properties = new Set(elements.flatMap((e) => (e.cssProperties ?? []).map((p) => p.name)));
    assert.deepEqual(data.contributions.css.properties.map((p) => p.name).sort(), [...properties].sort());
    const parts = new Set(elements.flatMap((e) => (e.cssParts ?? []).map((p) => `part(${p.name})`)));
    assert.deepEqual(data.contributions.css['pseudo-elements'].map((p) => p.name).sort(), [...parts].sort());
  });

  it('ships the three files, and package.json `web-types` names the shipped one', () => {
    for (const file of EDITOR_FILES) assert.ok(packed.has(file), `${file} ships`);
    const pkg = read('package.json') as { 'web-types'?: string };
    assert.ok(pkg['web-types'], 'package.json has web-types');
    assert.ok(packed.has(pkg['web-types'].replace(/^\.\//, '')), `${pkg['web-types']} ships`);
  });
});
