/**
 * `npm test`: type check, lint, the Node tests (sandbox, server, providers, core), the browser tests (elements,
 * in Chromium through web-test-runner) and the stories as tests (Storybook play functions, vitest browser mode).
 * `--node` or `--browser` runs one half. Exits non-zero when anything fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensureRedisServer } from './programs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const only = args.has('--node') ? 'node' : args.has('--browser') ? 'browser' : 'all';

/** Browser tests: element tests under src/components and any `*.browser.test.ts`; everything else runs in Node. */
function isBrowserTest(path) {
  return path.startsWith('src/components/') || path.endsWith('.browser.test.ts');
}

function findTests(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, found);
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

function run(label, command, commandArgs, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

const tests = ['sandbox', 'src', 'demo', 'test'].flatMap((dir) => {
  try {
    return findTests(join(root, dir));
  } catch {
    return [];
  }
});
const nodeTests = tests.filter((t) => !isBrowserTest(t)).sort();
const browserTests = tests.filter(isBrowserTest);
// Some Node tests drive Chromium too (hosted pages, flows that leave the page), so every run needs one.
const chrome = ensureChromium();
// RedisStore's tests run over a real redis-server, which they start on a free port themselves.
const redisServer = only !== 'browser' ? ensureRedisServer() : undefined;
const env = { CHROME_PATH: chrome, ...(redisServer ? { REDIS_SERVER: redisServer } : {}) };

if (only === 'all') {
  run('type check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  run('type check (the React example, with kassa/jsx)', 'npx', ['tsc', '--noEmit', '-p', 'demo/react/tsconfig.json']);
  run('lint', 'npx', ['eslint', '.']);
}
if (only !== 'browser') {
  // The end-to-end tests load the built script-tag bundle, as a shop does.
  run('build (dist/kassa.js)', 'npx', ['vite', 'build', '--logLevel', 'warn']);
  // The size budgets (initial ≤ 20 kB gzip, Kronor chunk ≤ 75 kB): over budget fails the run.
  run('size budget (bench/size.ts)', 'npx', ['tsx', 'bench/size.ts']);
}
if (only !== 'browser' && nodeTests.length) {
  run(`node tests (${nodeTests.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTests], env);
}
if (only !== 'node' && browserTests.length) {
  run(`browser tests (${browserTests.length} files, Chromium at ${chrome})`, 'npx', ['web-test-runner', '--config', 'web-test-runner.config.mjs'], env);
}
if (only !== 'node') {
  // Every Storybook story's play function (and an axe check) in Chromium: vitest.config.ts.
  run('stories as tests (Storybook, vitest browser mode)', 'npx', ['vitest', 'run', '--project', 'stories'], env);
  // Again on a page that declares `color-scheme: dark` (.storybook/preview.ts), so axe checks every state in dark too.
  run('stories as tests on a dark page', 'npx', ['vitest', 'run', '--project', 'stories'], { ...env, VITE_KASSA_SCHEME: 'dark' });
}
console.log('\n✔ all tests passed');
