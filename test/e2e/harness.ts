/**
 * For end-to-end tests: the sandbox, the demo shop (with the endpoint at `/kassa`) and a headless Chromium, started
 * before a file's tests and stopped after; `open(path)` gives a page of the shop that records page errors.
 */
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import type { KassaConfig } from '../../src/server/config.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';

/** As root on a machine with no display: what Chromium needs to run headless here (TOOLCHAIN.md). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export interface ShopInBrowser {
  readonly sandbox: RunningSandbox;
  readonly demo: RunningDemo;
  readonly browser: Browser;
  /** Page errors (and, with `consoleErrors`, console errors) from every page opened with `open`. */
  readonly pageErrors: string[];
  open(path: string): Promise<Page>;
}

export function useShopInBrowser(options: { prepare?: () => Promise<unknown>; consoleErrors?: boolean; overrides?: Partial<KassaConfig> } = {}): ShopInBrowser {
  let sandbox: RunningSandbox | undefined;
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  before(async () => {
    await options.prepare?.();
    sandbox = await startSandbox();
    demo = await startDemo({ sandboxUrl: sandbox.url, ...(options.overrides ? { overrides: options.overrides } : {}) });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    await sandbox?.close();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('not started yet: use it inside a test');
    return value;
  };

  return {
    get sandbox() {
      return started(sandbox);
    },
    get demo() {
      return started(demo);
    },
    get browser() {
      return started(browser);
    },
    pageErrors,
    async open(path) {
      const page = await started(browser).newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      if (options.consoleErrors) {
        page.on('console', (message) => {
          if (message.type() === 'error') pageErrors.push(`${page.url()}: console: ${message.text()}`);
        });
      }
      await page.goto(`${started(demo).url}${path}`);
      return page;
    },
  };
}
