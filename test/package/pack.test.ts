/**
 * The npm package as it would be published. `npm pack --dry-run` lists what ships: lib/ (the compiled modules),
 * dist/kassa.js with its chunks, custom-elements.json, README.md, LICENSE and package.json, and nothing else (no
 * tests, sources, sandbox, demo, stories, scripts). Every `exports` target ships; bundlers honour `sideEffects`;
 * the server entries resolve for Node and Fetch runtimes and refuse browser bundles; the shipped types compile as
 * a shop's project sees them (test/package/.types: React 19 JSX, Vue templates, the endpoint under Node ESM).
 *
 * lib/ is a build output: when it is missing this file builds it (`npm run build:lib`) and removes it afterwards,
 * leaving the checkout as it found it; dist/ is built when missing (`npm test` builds it before the Node tests).
 * The one test that runs the prepack build runs it in a temporary copy, leaving the checkout's dist/ and lib/ alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { build, type BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  module: string;
  types: string;
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const ELEMENTS = ['checkout', 'method-picker', 'method-fields', 'redirect', 'qr', 'status'];
const PROVIDERS = ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor'];

function run(label: string, command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `${label} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every string target in a conditional `exports` value (null targets mean "not exported here"). */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

/** Where esbuild (with these platform and conditions) resolves `specifier` from the package root, or its error. */
async function resolveWith(specifier: string, options: BuildOptions): Promise<string> {
  let answer = '';
  await build({
    ...options,
    stdin: { contents: '', resolveDir: root },
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'resolve-probe',
        setup(probe) {
          probe.onStart(async () => {
            const result = await probe.resolve(specifier, { kind: 'import-statement', resolveDir: root });
            const error = result.errors[0];
            answer = error ? `error: ${error.text} ${error.notes.map((note) => note.text).join(' ')}` : relative(root, result.path);
          });
        },
      },
    ],
  });
  return answer;
}

/** A browser bundle of `source` (written as if in a shop's code) with Kassa in it and its dependencies left out. */
/** Bundles `source` as a shop's bundler would, with code splitting: `initial` is what runs at import, `all` adds the chunks loaded on demand. */
async function bundleSplit(source: string): Promise<{ initial: string; all: string }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    write: false,
    splitting: true,
    outdir: join(root, '.pack-test-out'),
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
    plugins: [
      {
        name: 'dependencies-outside',
        setup(outside) {
          outside.onResolve({ filter: /^[^./]/ }, ({ path }) => (path === 'kassa' || path.startsWith('kassa/') ? undefined : { external: true }));
        },
      },
    ],
  });
  const files = new Map(result.outputFiles.map((file) => [relative(join(root, '.pack-test-out'), file.path), file.text]));
  // The entry and the chunks it imports statically (`from "./chunk.js"`, not `import("./chunk.js")`).
  const initial = new Set<string>(['stdin.js']);
  for (const name of initial) {
    for (const [, imported] of (files.get(name) ?? '').matchAll(/from\s*"\.\/([^"]+)"/g)) initial.add(imported!);
  }
  return { initial: [...initial].map((name) => files.get(name) ?? '').join('\n'), all: [...files.values()].join('\n') };
}

async function bundle(source: string): Promise<string> {
  return (await bundleSplit(source)).all;
}

let builtLib = false;
let packed = new Set<string>();

before(() => {
  if (!existsSync(join(root, 'dist/kassa.js'))) run('vite build', process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
  if (!existsSync(join(root, 'lib/index.js'))) {
    run('npm run build:lib', process.execPath, [join(root, 'scripts/build.mjs'), '--lib']);
    builtLib = true;
  }
  // --ignore-scripts: prepack would rebuild everything; the files are built above.
  const [report] = JSON.parse(run('npm pack', 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'])) as Array<{ files: Array<{ path: string }> }>;
  packed = new Set(report!.files.map((file) => file.path));
});

after(() => {
  if (builtLib) rmSync(join(root, 'lib'), { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships lib/, the script-tag bundle and every chunk, the manifest, README, LICENSE and package.json', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'custom-elements.json', 'dist/kassa.js', 'lib/index.js', 'lib/types/jsx.d.ts', 'lib/types/vue.d.ts']) {
      assert.ok(packed.has(file), `${file} ships`);
    }
    const lib = filesUnder('lib');
    assert.ok(lib.length > 200, `lib/ has the modules (${lib.length} files)`);
    for (const file of lib) assert.ok(packed.has(file), `${file} ships`);
    const chunks = filesUnder('dist/chunks').filter((file) => file.endsWith('.js'));
    assert.ok(chunks.length >= 9, `the Kronor chunk and the language chunks (${chunks.length})`);
    for (const file of chunks) assert.ok(packed.has(file), `${file} ships`);
    assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /MIT License[\s\S]*Kassa developers/);
  });

  it('`npm pack --json` prints only JSON on stdout, prepack build included', () => {
    // prepack runs the build, which reports sizes and progress; npm writes its JSON to the same stdout, so the
    // build must print elsewhere. In a copy of what the build reads, without dist/ and lib/, so the build runs.
    const copy = mkdtempSync(join(tmpdir(), 'kassa-pack-'));
    try {
      for (const entry of ['package.json', 'README.md', 'LICENSE', 'custom-elements.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'src', 'scripts']) {
        cpSync(join(root, entry), join(copy, entry), { recursive: true });
      }
      symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'junction');
      const result = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: copy, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      assert.equal(result.status, 0, `npm pack failed:\n${result.stdout}\n${result.stderr}`);
      let report: Array<{ files: Array<{ path: string }> }>;
      try {
        report = JSON.parse(result.stdout) as typeof report;
      } catch {
        assert.fail(`npm pack --json printed more than JSON on stdout:\n${result.stdout.slice(0, 1000)}`);
      }
      const files = report[0]!.files.map((file) => file.path);
      assert.ok(files.includes('dist/kassa.js') && files.includes('lib/index.js'), 'the prepack build ran');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('ships nothing else: no tests, sources, sandbox, demo, stories, benchmarks or scripts', () => {
    const allowed = /^(lib\/.+\.(js|d\.ts|js\.map)|dist\/kassa\.js(\.map)?|dist\/chunks\/[^/]+\.js(\.map)?|custom-elements\.json|vscode\.(html|css)-custom-data\.json|web-types\.json|README\.md|LICENSE|package\.json)$/;
    const stray = [...packed].filter((file) => !allowed.test(file));
    assert.deepEqual(stray, []);
    const forbidden = [...packed].filter(
      (file) => /\.test\.|(^|\/)(test|testing)[./]|^(src|sandbox|demo|stories|bench|scripts|tmp)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts')),
    );
    assert.deepEqual(forbidden, []);
  });

  it('ships every file that exports, main, module, types and typesVersions name', () => {
    const named = [
      ...targets(pkg.exports),
      pkg.main,
      pkg.module,
      pkg.types,
      ...Object.values(pkg.typesVersions['*']!).flat().filter((path) => !path.includes('*')),
    ];
    for (const el of ELEMENTS) named.push(`./lib/components/${el}/define.js`, `./lib/components/${el}/define.d.ts`);
    for (const provider of PROVIDERS) named.push(`./lib/providers/${provider}/server.js`, `./lib/providers/${provider}/server.d.ts`);
    for (const target of named) assert.ok(packed.has(target.replace(/^\.\//, '')), `${target} ships`);
    for (const [key, value] of Object.entries(pkg.exports)) {
      if (typeof value === 'object' && value) assert.equal(Object.keys(value)[0], 'types', `${key}: "types" comes first`);
    }
  });

  it('lib/ names .js files in every relative import and carries its sources in the maps', () => {
    const tsImport = /(?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]+\.ts['"]/;
    for (const file of filesUnder('lib').filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      assert.doesNotMatch(readFileSync(join(root, file), 'utf8'), tsImport, file);
    }
    const map = JSON.parse(readFileSync(join(root, 'lib/components/checkout/checkout.js.map'), 'utf8'));
    assert.match(map.sourcesContent?.[0] ?? '', /class KassaCheckout/);
  });
});

describe('the package in bundlers and runtimes', () => {
  it('`kassa/define` keeps every define module in a bundle; `kassa` alone defines nothing', async () => {
    const all = await bundle(`import 'kassa/define';`);
    for (const el of ELEMENTS) assert.ok(all.includes(`defineElement("kassa-${el}"`), `kassa/define defines kassa-${el}`);
    const one = await bundle(`import 'kassa/define/qr';`);
    assert.ok(one.includes('defineElement("kassa-qr"'), 'kassa/define/qr defines kassa-qr');
    assert.ok(!one.includes('"kassa-checkout"'), 'and nothing of the checkout');
    const classes = await bundleSplit(`import { KassaCheckout, KassaQr } from 'kassa'; console.log(KassaCheckout, KassaQr);`);
    assert.ok(/KassaCheckout = class|class KassaCheckout/.test(classes.initial), 'the classes are bundled');
    // The checkout registers its on-demand parts when it shows methods (parts.ts): only ever in a lazy chunk.
    assert.ok(!/defineElement\("kassa-|customElements\.define\("kassa-/.test(classes.initial), 'and nothing defines them at import');
    assert.ok(classes.all.includes('defineElement("kassa-status"'), 'the checkout can load its parts on demand');
  });

  it('the endpoint and the adapters resolve for Node, Deno-style, Cloudflare and Vercel Edge, and never in a browser bundle', async () => {
    for (const [specifier, file] of [['kassa/server', 'lib/server/index.js'], ...PROVIDERS.map((p) => [`kassa/providers/${p}`, `lib/providers/${p}/server.js`])] as const) {
      assert.equal(await resolveWith(specifier, { platform: 'node' }), file, `${specifier} on Node`);
      assert.equal(await resolveWith(specifier, { platform: 'neutral' }), file, `${specifier} without conditions`);
      assert.equal(await resolveWith(specifier, { platform: 'browser', conditions: ['workerd', 'worker'] }), file, `${specifier} on Cloudflare`);
      assert.equal(await resolveWith(specifier, { platform: 'browser', conditions: ['edge-light'] }), file, `${specifier} on Vercel Edge`);
      assert.match(await resolveWith(specifier, { platform: 'browser' }), /^error: Could not resolve/, `${specifier} in a browser bundle`);
    }
    assert.equal(await resolveWith('kassa/providers/kronor/browser', { platform: 'browser' }), 'lib/providers/kronor/browser.js');
    assert.equal(await resolveWith('kassa', { platform: 'browser' }), 'lib/components/index.js');
    assert.equal(await resolveWith('kassa/kassa.js', { platform: 'browser' }), 'dist/kassa.js');
    assert.equal(await resolveWith('kassa/custom-elements.json', { platform: 'browser' }), 'custom-elements.json');
  });

  it('Node runs the compiled endpoint and adapters', async () => {
    // By the package's name, as a shop imports it (through a variable: the project's type check runs without lib/).
    const load = (specifier: string) => import(specifier) as Promise<Record<string, { create?: unknown } | undefined>>;
    const server = await load('kassa/server');
    assert.equal(typeof server.createKassaHandler, 'function');
    assert.equal(typeof server.createNodeListener, 'function');
    for (const provider of PROVIDERS) {
      const adapter = await load(`kassa/providers/${provider}`);
      assert.equal(typeof adapter[`${provider}Provider`]?.create, 'function', provider);
    }
  });

  it('the React, Vue and endpoint types compile through the exports, and a wrong value is refused', () => {
    // Each fixture holds `@ts-expect-error` lines: if a wrong attribute or event type were accepted, tsc would fail.
    run('tsc -p test/package/.types', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'test/package/.types/tsconfig.json']);
    // A real Vue template (Checkout.vue), through Vue's own type checker.
    run('vue-tsc -p test/package/.types/tsconfig.vue.json', process.execPath, [join(root, 'node_modules/vue-tsc/bin/vue-tsc.js'), '-p', 'test/package/.types/tsconfig.vue.json']);
  });
});
