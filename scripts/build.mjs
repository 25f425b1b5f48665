/**
 * `npm run build`: the script-tag bundle (dist/kassa.js and its chunks, by Vite) and the npm package's modules
 * (lib/, by tsc with tsconfig.build.json), then each dist file's size (raw, gzip, brotli) and its subresource
 * integrity hash (sha384) for `<script integrity="…">`. `--lib` builds lib/ only (`npm run build:lib`).
 *
 * lib/ gets: ESM JavaScript with source maps (sources inlined), .d.ts files whose relative imports name `.js`
 * files (tsc keeps the `.ts` names in declarations; older TypeScript versions refuse those), and src/types/*.d.ts
 * (the React and Vue element types, which tsc does not copy).
 *
 * Everything it prints goes to stderr, its children's output too: it runs as `prepack`, and `npm pack --json` writes
 * its JSON to the same stdout, which anything else printed there would corrupt.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const libOnly = process.argv.includes('--lib');

function run(label, command, args) {
  // The child's stdout goes to our stderr (see the top of this file).
  const result = spawnSync(command, args, { cwd: root, stdio: ['inherit', 2, 'inherit'] });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** `from '../core/model.ts'` and `import('./x.ts')` in a declaration file → `.js`, as in the emitted JavaScript. */
function declarationImportsToJs(text) {
  return text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g, '$1$2.js$3');
}

function buildLib() {
  const lib = join(root, 'lib');
  rmSync(lib, { recursive: true, force: true });
  run('tsc (lib/)', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  for (const path of files(lib).filter((p) => p.endsWith('.d.ts'))) {
    const text = readFileSync(path, 'utf8');
    const fixed = declarationImportsToJs(text);
    if (fixed !== text) writeFileSync(path, fixed);
  }
  mkdirSync(join(lib, 'types'), { recursive: true });
  for (const name of readdirSync(join(root, 'src/types')).filter((n) => n.endsWith('.d.ts'))) {
    copyFileSync(join(root, 'src/types', name), join(lib, 'types', name));
  }
  console.error(`lib/: ${files(lib).length} files`);
}

function kB(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

function report() {
  const dist = join(root, 'dist');
  const scripts = files(dist).filter((p) => p.endsWith('.js'));
  scripts.sort((a, b) => (a.endsWith('kassa.js') ? -1 : b.endsWith('kassa.js') ? 1 : a.localeCompare(b)));
  const rows = scripts.map((path) => {
    const body = readFileSync(path);
    return {
      file: relative(root, path),
      raw: kB(body.length),
      gzip: kB(gzipSync(body, { level: 9 }).length),
      brotli: kB(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length),
      integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
    };
  });
  const width = Math.max(...rows.map((r) => r.file.length));
  console.error(`\n${'file'.padEnd(width)}  ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}  ${'brotli'.padStart(9)}  integrity`);
  for (const r of rows) {
    console.error(`${r.file.padEnd(width)}  ${r.raw.padStart(9)}  ${r.gzip.padStart(9)}  ${r.brotli.padStart(9)}  ${r.integrity}`);
  }
}

if (!libOnly) run('vite build (dist/)', process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
buildLib();
// VS Code custom data and JetBrains web-types, from custom-elements.json, at the package root.
run('editor data', process.execPath, [join(root, 'scripts/editor-data.mjs')]);
if (!libOnly) report();
