/**
 * Bundle size: gzip (level 9) and brotli (quality 11) bytes of the script-tag bundle dist/kassa.js (what a shop
 * loads first: the checkout and the picker, with any chunk it imports statically) and of the Kronor chunk (Apollo +
 * graphql-ws, loaded only when a Kronor payment is made or tracked) and the logo marks' chunk (loaded after the first
 * paint), against their budgets; the chunks of the other elements (loaded on demand) and the
 * languages; then each element's `define.ts` bundled alone with esbuild (minified ESM, dynamic imports split off),
 * gzip of what loads first. `npm test` runs this (without `--compare`) after building, so a change over budget fails.
 *
 * `--compare` also measures Adyen Web (all components; Checkout + Redirect only), installed at bench time into a
 * temporary folder (never into Kassa's dependencies) and bundled with the same esbuild settings.
 *
 *   npx tsx bench/size.ts [--compare]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { report } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const KB = 1000;
/**
 * 20 kB until the elements learnt 25 languages (the table of their chunks, +0.3 kB), plural forms, right to left and
 * the merchant's own messages (+0.3 kB), and hydrating a server-rendered page (+0.2 kB, its templates kept as
 * written): still 0.11× Adyen Web's Drop-in with every component (`--compare`).
 */
const BUDGET_INITIAL_GZIP = 21 * KB;
const BUDGET_KRONOR_GZIP = 75 * KB;
/** Kassa's logo marks (SVG), loaded by the picker after its first paint. */
const BUDGET_LOGOS_GZIP = 6 * KB;
const ELEMENT_CHUNK = /^(method-fields|redirect|qr|status)-[\w-]{8}\.js$/;
const LOGOS_CHUNK = /^logos-marks-[\w-]{8}\.js$/;
const LANGUAGE_CHUNK = /^[a-z]{2}(-[A-Z]{2})?-[\w-]{8}\.js$/;
const HYDRATE_CHUNK = /^hydrate-[\w-]{8}\.js$/;

const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes: Uint8Array) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kB = (n: number) => n / KB;

/**
 * Minified ESM of one entry, every dependency bundled in, dynamic imports split into chunks as a shop's bundler
 * would: `initial` is the entry and what it imports statically, `lazy` the rest.
 */
async function bundle(entry: string, options: { tsconfig?: string; cwd?: string } = {}): Promise<{ initial: Uint8Array; lazy: Uint8Array }> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: options.cwd ?? root,
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: 'out',
    metafile: true,
    logLevel: 'silent',
    ...(options.tsconfig ? { tsconfig: options.tsconfig } : {}),
    loader: { '.css': 'text' },
  });
  const outputs = result.metafile.outputs;
  const entryOut = Object.keys(outputs).find((path) => outputs[path]?.entryPoint === relative(options.cwd ?? root, entry));
  const initialPaths = new Set<string>();
  const visit = (path: string | undefined) => {
    if (!path || initialPaths.has(path)) return;
    initialPaths.add(path);
    for (const i of outputs[path]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entryOut);
  let initial: Uint8Array = new Uint8Array();
  let lazy: Uint8Array = new Uint8Array();
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.js')) continue;
    if ([...initialPaths].some((path) => join(options.cwd ?? root, path) === file.path)) initial = concat(initial, file.contents);
    else lazy = concat(lazy, file.contents);
  }
  return { initial, lazy };
}

/** The chunks a module imports statically (`import{…}from"./chunks/x.js"`, `import"./chunks/x.js"`). */
function staticImports(code: string): string[] {
  return [...code.matchAll(/\bimport\s*(?:[\w{},*\s$]*\bfrom\s*)?["'`]\.\/chunks\/([\w.-]+\.js)["'`]/g)].map((m) => m[1]!);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export async function measureSizes(compare: boolean): Promise<boolean> {
  let ok = true;
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'kassa.js'))) {
    console.log('dist/kassa.js is missing: running `npx vite build` first');
    const built = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('vite build failed');
  }

  console.log('\nScript-tag bundle (dist/)');
  // What loads first is kassa.js and any chunk it imports statically: the bundler may move shared modules into such
  // a chunk, which would shrink kassa.js without shrinking the first load.
  const entry = readFileSync(join(dist, 'kassa.js'));
  const staticChunks = staticImports(entry.toString('utf8'));
  let initial: Uint8Array = entry;
  for (const name of staticChunks) initial = concat(initial, readFileSync(join(dist, 'chunks', name)));
  if (staticChunks.length) console.log(`  dist/kassa.js imports ${staticChunks.join(', ')} statically: counted as initial`);
  console.log(`  dist/kassa.js: ${initial.length.toLocaleString('en-US')} B raw, brotli ${brotli(initial).toLocaleString('en-US')} B`);
  ok = report({ name: 'initial dist/kassa.js gzip', value: kB(gzip(initial)), unit: 'kB', budget: kB(BUDGET_INITIAL_GZIP) }) && ok;
  report({ name: 'initial dist/kassa.js brotli', value: kB(brotli(initial)), unit: 'kB' });

  const chunks = readdirSync(join(dist, 'chunks')).filter((name) => name.endsWith('.js'));
  const kronor = chunks.find((name) => readFileSync(join(dist, 'chunks', name), 'utf8').includes('@apollo'));
  if (!kronor) {
    console.log('  no chunk in dist/chunks mentions @apollo: the Kronor chunk was not found');
    ok = false;
  } else {
    const bytes = readFileSync(join(dist, 'chunks', kronor));
    console.log(`  dist/chunks/${kronor}: ${bytes.length.toLocaleString('en-US')} B raw`);
    ok = report({ name: 'Kronor chunk gzip', value: kB(gzip(bytes)), unit: 'kB', budget: kB(BUDGET_KRONOR_GZIP) }) && ok;
    report({ name: 'Kronor chunk brotli', value: kB(brotli(bytes)), unit: 'kB' });
  }
  // The other elements' chunks, named after their folders (vite.config.ts): loaded when a checkout needs them.
  const languages = chunks.filter((name) => LANGUAGE_CHUNK.test(name) && !ELEMENT_CHUNK.test(name));
  let everything = gzip(initial);
  for (const name of chunks.filter((name) => name !== kronor && !languages.includes(name) && !staticChunks.includes(name)).sort()) {
    const size = gzip(readFileSync(join(dist, 'chunks', name)));
    everything += size;
    if (ELEMENT_CHUNK.test(name)) report({ name: `chunk ${name.replace(/-[\w-]{8}\.js$/, '')} gzip (on demand)`, value: kB(size), unit: 'kB' });
    if (LOGOS_CHUNK.test(name)) ok = report({ name: 'chunk logos-marks gzip (after the first paint)', value: kB(size), unit: 'kB', budget: kB(BUDGET_LOGOS_GZIP) });
    if (HYDRATE_CHUNK.test(name)) report({ name: 'chunk hydrate gzip (pages rendered on the server only)', value: kB(size), unit: 'kB' });
  }
  report({ name: 'kassa.js + every chunk but Kronor and languages gzip', value: kB(everything), unit: 'kB' });
  if (languages.length) {
    const sizes = languages.map((name) => gzip(readFileSync(join(dist, 'chunks', name))));
    report({ name: `language chunks (${languages.length}), largest gzip`, value: kB(Math.max(...sizes)), unit: 'kB' });
  }

  console.log('\nEach element alone (src/components/<e>/define.ts, esbuild bundle + minify, ESM)');
  const components = join(root, 'src/components');
  for (const element of readdirSync(components).sort()) {
    const entry = join(components, element, 'define.ts');
    if (element === 'shared' || !existsSync(entry)) continue;
    const { initial: bytes, lazy } = await bundle(entry, { tsconfig: join(root, 'tsconfig.json') });
    const lazyNote = lazy.length ? `, + ${kB(gzip(lazy)).toFixed(1)} kB gzip loaded on demand (other elements, languages, Kronor)` : '';
    report({ name: `element ${element} gzip`, value: kB(gzip(bytes)), unit: 'kB', note: `brotli ${kB(brotli(bytes)).toFixed(1)} kB${lazyNote}` });
  }

  if (compare) await compareAdyen();
  return ok;
}

/** Adyen Web, installed into a temporary folder now and removed after; skipped (with a word) if that fails. */
async function compareAdyen(): Promise<void> {
  console.log('\nFor comparison: Adyen Web (installed into a temporary folder, same esbuild settings)');
  const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-adyen-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kassa-bench-adyen', private: true, type: 'module' }));
    const installed = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', '@adyen/adyen-web'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (installed.status !== 0) {
      console.log(`  skipped: npm install @adyen/adyen-web failed (${(installed.stderr || installed.error?.message || '').trim().split('\n').slice(-2).join(' ')})`);
      return;
    }
    const version = JSON.parse(readFileSync(join(dir, 'node_modules/@adyen/adyen-web/package.json'), 'utf8')).version as string;
    writeFileSync(join(dir, 'all.js'), "import { AdyenCheckout } from '@adyen/adyen-web/auto';\nwindow.__adyen = AdyenCheckout;\n");
    writeFileSync(join(dir, 'some.js'), "import { AdyenCheckout, Redirect } from '@adyen/adyen-web';\nwindow.__adyen = [AdyenCheckout, Redirect];\n");
    for (const [label, entry] of [['all components', 'all.js'], ['Checkout + Redirect only', 'some.js']] as const) {
      try {
        const { initial, lazy } = await bundle(join(dir, entry), { cwd: dir });
        const bytes = concat(initial, lazy);
        report({ name: `Adyen Web ${version} ${label} gzip`, value: kB(gzip(bytes)), unit: 'kB', note: `brotli ${kB(brotli(bytes)).toFixed(1)} kB` });
      } catch (error) {
        console.log(`  Adyen Web ${label}: could not bundle (${(error as Error).message.split('\n')[0]})`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: size');
  const ok = await measureSizes(process.argv.includes('--compare'));
  process.exitCode = ok ? 0 : 1;
}
