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

/** A phone's screen, touch and user agent (an iPhone 13's), or a desktop's again: the `kassa-phone` command. */
const PHONE = {
  viewport: { width: 375, height: 812, deviceScaleFactor: 3 },
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};

/**
 * `executeServerCommand('kassa-phone', {phone})` (test/browser/phone.ts): the page becomes a phone — 375×812, touch
 * (`pointer: coarse`), a mobile user agent — or a desktop again. Puppeteer's emulation, through the launcher's page.
 */
function phoneEmulation() {
  const sessions = new Map();
  return {
    name: 'kassa-phone',
    async executeCommand({ command, payload, session }) {
      if (command !== 'kassa-phone') return undefined;
      const page = session.browser.getPage(session.id);
      // Straight over CDP: Puppeteer's setViewport reloads the page when touch changes, which ends the test run.
      let cdp = sessions.get(page);
      if (!cdp) sessions.set(page, (cdp = await page.createCDPSession()));
      if (payload?.phone) {
        const { width, height, deviceScaleFactor } = PHONE.viewport;
        await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor, mobile: true });
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
        await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: true, configuration: 'mobile' });
        await cdp.send('Emulation.setUserAgentOverride', {
          userAgent: PHONE.userAgent,
          userAgentMetadata: { platform: 'iOS', platformVersion: '17.5', architecture: '', model: 'iPhone', mobile: true },
        });
      } else {
        await cdp.send('Emulation.clearDeviceMetricsOverride');
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
        await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: false });
        await cdp.send('Emulation.setUserAgentOverride', { userAgent: await page.browser().userAgent() });
      }
      return true;
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
    // One target whatever the user agent: under an emulated phone's, `auto` would lower later-loaded modules for old Safari.
    esbuildPlugin({ ts: true, target: 'esnext', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    kassaServices(),
    phoneEmulation(),
  ],
};
