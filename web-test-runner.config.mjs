/**
 * Browser tests in real Chromium (Debian's, found by scripts/programs.mjs; never downloaded). The sandbox is
 * started inside the test run and its URL is served to the tests at `/__kassa__/env.json`.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { findChromium } from './scripts/programs.mjs';

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: run `npm test` (it installs one) or set CHROME_PATH.');

/**
 * Starts the sandbox and the demo's endpoint (allowing the test pages' origin) with the test server, and tells
 * the browser where they are: `GET /__kassa__/env.json` → `{sandboxUrl, endpointUrl}`.
 */
function kassaServices() {
  let sandbox;
  let demo;
  return {
    name: 'kassa-services',
    async serverStart({ config }) {
      const { startSandbox } = await tsImport('./sandbox/server.ts', import.meta.url);
      const { startDemo } = await tsImport('./demo/server.ts', import.meta.url);
      sandbox = await startSandbox();
      const origins = [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
      // Cards in SEK go to Kronor first (the tests pay a Kronor card in the checkout); elsewhere as the demo routes them.
      const routing = { methods: { card: [{ provider: 'kronor', currencies: ['SEK'] }, 'whenthen', 'kronor', 'milkypay'] } };
      demo = await startDemo({ sandboxUrl: sandbox.url, allowedOrigins: origins, overrides: { rateLimitPerMinute: 10_000, routing } });
    },
    async serverStop() {
      await demo?.close();
      await sandbox?.close();
    },
    serve(context) {
      if (context.path === '/__kassa__/env.json') {
        return { body: JSON.stringify({ sandboxUrl: sandbox.url, endpointUrl: `${demo.url}/kassa` }), type: 'application/json' };
      }
      return undefined;
    },
  };
}

export default {
  files: ['src/components/**/*.test.ts', '**/*.browser.test.ts', '!node_modules/**'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 20_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    kassaServices(),
  ],
};
