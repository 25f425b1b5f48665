/**
 * What each kind of app needs of Kassa's dependencies. A browser-only app bundles `kassa/define`; a server-only app
 * imports `kassa/server` and the five provider entries. For each, from esbuild's metafile (browser: bundled for the
 * browser, dynamic imports split off; server: bundled for Node, everything reachable, dynamic imports included):
 * which of Kassa's dependencies it reaches, the installed size of those with their own dependencies (from
 * node_modules), the gzip of the browser bundle (what loads first, and everything) and the bytes of the server's
 * module graph. The full install (`npm install kassa`: every dependency with its own) is measured in the same run;
 * the installed sizes are budgeted as ratios to it.
 *
 *   npx tsx bench/install-size.ts
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { report } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const KB = 1000;
const PROVIDERS = ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor'];
/** Dependencies only a browser needs, and only a server: reaching one from the other side is a regression. */
const BROWSER_ONLY = ['lit', '@apollo/client', 'rxjs', 'lean-qr'];
const SERVER_ONLY = ['zod', 'jose', 'ws'];
/** Installed size needed, as a share of the full install. */
const BUDGET_BROWSER_SHARE = 0.85;
const BUDGET_SERVER_SHARE = 0.4;
const BUDGET_BROWSER_INITIAL_GZIP = 30 * KB;

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
const kassa = readJson(join(root, 'package.json'));
const direct = Object.keys(kassa.dependencies ?? {});

/** Where Node finds `name` from a package installed at `from`: its own node_modules first, then upwards. */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir)) return undefined;
  }
}

/** Bytes on disk of a package's own files (its nested node_modules are packages of their own). */
function ownBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    const stat = lstatSync(path);
    total += stat.isDirectory() ? ownBytes(path) : stat.size;
  }
  return total;
}

/**
 * Peers count only when required: npm 7+ installs a required peer, never an optional one. Optional peers present in
 * node_modules (React for Apollo, say) are the project's own devDependencies, not part of Kassa's install.
 */
function installed(names: readonly string[]): { bytes: number; packages: number } {
  const dirs = closureRequiredPeers(names);
  let bytes = 0;
  for (const dir of dirs) bytes += ownBytes(dir);
  return { bytes, packages: dirs.size };
}

function closureRequiredPeers(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    const dir = packageDir(name, from);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const pkg = readJson(join(dir, 'package.json'));
    const peers = Object.keys(pkg.peerDependencies ?? {}).filter((dep) => !pkg.peerDependenciesMeta?.[dep]?.optional);
    for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...peers]) visit(dep, dir);
  };
  for (const name of names) visit(name, root);
  return seen;
}

/** The package a bundled input belongs to (`@scope/name` or `name`), or undefined for Kassa's own files. */
function packageOf(input: string): string | undefined {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

/** Kassa's direct dependencies with at least one module in the bundle. */
function directReached(metafile: Metafile): string[] {
  const reachedPackages = new Set(Object.keys(metafile.inputs).map(packageOf));
  return direct.filter((dep) => reachedPackages.has(dep));
}

async function browserConsumer() {
  const result = await build({
    entryPoints: { define: join(root, 'src/index.ts') },
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    tsconfig: join(root, 'tsconfig.json'),
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const initialNames = new Set<string>();
  const outputs = result.metafile.outputs;
  const addStatic = (path: string) => {
    if (initialNames.has(path)) return;
    initialNames.add(path);
    for (const imported of outputs[path]?.imports ?? []) if (imported.kind === 'import-statement') addStatic(imported.path);
  };
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint?.endsWith('src/index.ts'));
  if (!entry) throw new Error('no output for src/index.ts');
  addStatic(entry);
  let initial = 0;
  let all = 0;
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.js')) continue;
    const gz = gzipSync(file.contents, { level: 9 }).length;
    all += gz;
    const key = Object.keys(outputs).find((path) => file.path.endsWith(path.replace(/^out\//, `/out/`)) || file.path.endsWith(`/${path}`));
    if (key && initialNames.has(key)) initial += gz;
  }
  return { initial, all, reached: directReached(result.metafile) };
}

async function serverConsumer() {
  const result = await build({
    entryPoints: [join(root, 'src/server/index.ts'), ...PROVIDERS.map((p) => join(root, `src/providers/${p}/server.ts`))],
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const graphBytes = Object.values(result.metafile.inputs).reduce((sum, input) => sum + input.bytes, 0);
  return { graphBytes, modules: Object.keys(result.metafile.inputs).length, reached: directReached(result.metafile) };
}

const full = installed(direct);
const browser = await browserConsumer();
const server = await serverConsumer();
const browserInstall = installed(browser.reached);
const serverInstall = installed(server.reached);
const mb = (bytes: number) => bytes / 1e6;
const share = (part: number) => Math.round((part / full.bytes) * 1000) / 1000;

console.log(`Install size of Kassa's dependencies (node_modules, each with its own dependencies)`);
console.log(`  full install (npm install kassa): ${direct.join(', ')}`);
console.log(`  browser-only app reaches: ${browser.reached.join(', ')}`);
console.log(`  server-only app reaches:  ${server.reached.join(', ')}`);
for (const dep of direct) {
  const alone = installed([dep]);
  console.log(`    ${dep.padEnd(16)} ${mb(alone.bytes).toFixed(2).padStart(6)} MB with its own dependencies (${alone.packages} packages)`);
}
let ok = true;
ok = report({ name: 'full install: dependencies with their own', value: mb(full.bytes), unit: 'MB', note: `${full.packages} packages` }) && ok;
ok = report({ name: 'browser-only app: installed size needed', value: mb(browserInstall.bytes), unit: 'MB', note: `${browserInstall.packages} packages` }) && ok;
ok = report({ name: 'browser-only app: share of the full install', value: share(browserInstall.bytes), unit: '×', budget: BUDGET_BROWSER_SHARE }) && ok;
ok = report({ name: 'browser-only app: kassa/define first load (gzip)', value: browser.initial / KB, unit: 'kB', budget: BUDGET_BROWSER_INITIAL_GZIP / KB }) && ok;
ok = report({ name: 'browser-only app: kassa/define every chunk (gzip)', value: browser.all / KB, unit: 'kB' }) && ok;
ok = report({ name: 'browser-only app: server-only dependencies bundled', value: browser.reached.filter((d) => SERVER_ONLY.includes(d)).length, unit: '', budget: 0 }) && ok;
ok = report({ name: 'server-only app: installed size needed', value: mb(serverInstall.bytes), unit: 'MB', note: `${serverInstall.packages} packages` }) && ok;
ok = report({ name: 'server-only app: share of the full install', value: share(serverInstall.bytes), unit: '×', budget: BUDGET_SERVER_SHARE }) && ok;
ok = report({ name: 'server-only app: module graph', value: server.graphBytes / KB, unit: 'kB', note: `${server.modules} modules` }) && ok;
ok = report({ name: 'server-only app: browser-only dependencies loaded', value: server.reached.filter((d) => BROWSER_ONLY.includes(d)).length, unit: '', budget: 0 }) && ok;
if (!ok) process.exitCode = 1;
