/**
 * The endpoint's types as a Node shop's type check sees them, nothing skipped (`skipLibCheck: false`): a consumer
 * of `kassa/server` and the five provider entries compiles without an error under the old `node10` resolution
 * without `esModuleInterop` (CommonJS projects) and under `nodenext`, and loads no declaration of the validation
 * library (zod) or the token library (jose): Kassa's declarations name its own types only.
 *
 * lib/ is built for this file in a temporary copy of the project (`scripts/build.mjs --lib`), so the checkout's own
 * lib/ is neither needed nor touched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const LEAKED = /\b(zod|jose)\b/;

const CONSUMER = `import { createKassaHandler, createNodeListener, OrderRefused, type KassaConfig } from 'kassa/server';
import { heroProvider, type HeroConfig } from 'kassa/providers/hero';
import { hidirectProvider, type HidirectConfig } from 'kassa/providers/hidirect';
import { kronorProvider, type KronorConfig } from 'kassa/providers/kronor';
import { milkypayProvider, type MilkypayConfig } from 'kassa/providers/milkypay';
import { whenthenProvider, type WhenthenConfig } from 'kassa/providers/whenthen';

const hero: HeroConfig = { environment: 'sandbox', apiKey: 'key' };
const hidirect: HidirectConfig = { environment: 'sandbox', apiKey: 'key', cardCaptureMode: 'MANUAL' };
const kronor: KronorConfig = { environment: 'sandbox', merchantToken: 'token', webhookSecret: 'a-secret-of-16-chars' };
const milkypay: MilkypayConfig = { environment: 'sandbox', publicKey: 'pk_test_1', accountId: 'a', apiKey: 'k', callbackSecret: 's' };
const whenthen: WhenthenConfig = { environment: 'sandbox', apiKey: 'key', webhookSecret: 'secret', webhookSignature: { algorithm: 'sha512' } };
const config: KassaConfig = {
  secret: 'a-secret-of-at-least-thirty-two-characters',
  returnUrl: 'https://shop.example/return',
  resolveOrder: (reference) => {
    if (reference !== 'A-1') throw new OrderRefused('no such order', 404);
    return { reference, amount: 4990, currency: 'EUR' };
  },
  providers: { hero, hidirect, kronor, milkypay, whenthen },
};
export const listener = createNodeListener(createKassaHandler(config));
export const modules = [heroProvider, hidirectProvider, kronorProvider, milkypayProvider, whenthenProvider];
const checked = kronorProvider.configSchema.safeParse(kronor);
export const firstProblem: string | undefined = checked.success ? undefined : checked.error.issues[0]?.message;
`;

/** The two ways a Node project resolves packages: CommonJS with `node10` (no esModuleInterop), and ESM `nodenext`. */
const MODES = {
  node10: {
    type: 'commonjs',
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: false, allowSyntheticDefaultImports: false, ignoreDeprecations: '6.0' },
  },
  nodenext: { type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
} as const;

let work: string;
let kassa: string;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'kassa-server-types-'));
  kassa = join(work, 'kassa');
  mkdirSync(kassa);
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'custom-elements.json', 'src', 'scripts']) cpSync(join(root, entry), join(kassa, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(kassa, 'node_modules'));
  const built = spawnSync(process.execPath, [join(kassa, 'scripts/build.mjs'), '--lib'], { cwd: kassa, encoding: 'utf8' });
  assert.equal(built.status, 0, `build:lib failed:\n${built.stderr}`);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('kassa/server types', () => {
  it('no shipped server or provider declaration names zod or jose', () => {
    const declarations = [...filesUnder(join(kassa, 'lib/server')), ...filesUnder(join(kassa, 'lib/providers'))].filter((f) => f.endsWith('.d.ts'));
    assert.ok(declarations.length > 20, `the server declarations were built (${declarations.length})`);
    const leaking = declarations.filter((file) => LEAKED.test(readFileSync(file, 'utf8'))).map((file) => relative(kassa, file));
    assert.deepEqual(leaking, []);
  });

  for (const [mode, { type, compilerOptions }] of Object.entries(MODES)) {
    it(`a consumer compiles with no error under ${mode}, skipLibCheck off, loading no zod or jose declaration`, () => {
      const app = join(work, `app-${mode}`);
      mkdirSync(join(app, 'node_modules'), { recursive: true });
      symlinkSync(kassa, join(app, 'node_modules/kassa'));
      symlinkSync(join(root, 'node_modules/@types'), join(app, 'node_modules/@types'));
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `app-${mode}`, private: true, type }));
      writeFileSync(join(app, 'index.ts'), CONSUMER);
      const tsconfig = { compilerOptions: { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], ...compilerOptions }, files: ['index.ts'] };
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles'], { cwd: app, encoding: 'utf8' });
      const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
      assert.deepEqual(errors, [], `${mode}: ${errors.length} errors`);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      const loaded = result.stdout.split('\n').filter((line) => line.endsWith('.d.ts') || line.endsWith('.d.cts') || line.endsWith('.d.mts'));
      assert.ok(loaded.some((file) => file.includes('/lib/server/index.d.ts')), 'kassa/server was resolved to lib/server/index.d.ts');
      assert.deepEqual(loaded.filter((file) => /node_modules\/(zod|jose)\//.test(file)), []);
    });
  }
});
