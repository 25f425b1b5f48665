/**
 * Picker render: how long `<kassa-method-picker>` takes, in headless Chromium on a demo page that loaded
 * dist/kassa.js, to show 200 payment methods, and to switch language.
 *
 * The 200 methods are built from the real methods the demo endpoint lists for DEMO-EUR/SEK/PLN/DKK/NOK (every
 * provider and kind, names in several languages, MilkyPay's logos served by the sandbox), repeated with their own ids
 * and names, as a MilkyPay account with many services lists them; every seventh has a `data:` logo, which the picker
 * refuses (only https or loopback http logos are shown), so some rows have a logo and most none.
 *
 * Each run uses a fresh element (connected, empty state painted), then, timed with `performance.now()` in the page:
 * - render: from setting `methods` to `updateComplete` (in the DOM), to the list laid out (a forced layout: what the
 *   next frame needs but paint), and to the next frame (a task after `requestAnimationFrame`);
 * - locale switch: `locale` en → sv → de on the same element, until the group labels and names show the new
 *   language and the list is laid out again. The language chunks were loaded by the warm-up, so this is the
 *   re-render alone.
 * The first switch to a language, which also fetches its chunk (over loopback, so with no network latency), is
 * measured separately on fresh browser contexts (empty cache, nothing loaded yet).
 *
 * Budgets are Kassa's own: 200 methods laid out within 50 ms p95 (three frames at 60 Hz: the list appears at once
 * after the session's round trip); a language switch re-rendered within 30 ms p95 (two frames).
 *
 *   npx tsx bench/picker-render.ts [--runs 30]
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadMessages, pickLocalized, type Locale } from '../src/core/i18n.ts';
import type { PaymentMethod, SessionResponse } from '../src/core/model.ts';
import { KIND_ORDER } from '../src/components/method-picker/method-picker.ts';
import { startShop } from './browser.ts';
import { percentile, report } from './report.ts';

const METHOD_COUNT = 200;
const BUDGET_RENDER_P95_MS = 50;
const BUDGET_LOCALE_SWITCH_P95_MS = 30;
const WARM_UP = 5;
/** Fresh contexts for the first switch (chunk fetched): each gives one sv and one de sample. */
const FIRST_SWITCH_PAGES = 5;
const SWITCHES: readonly Locale[] = ['sv', 'de'];
const ORDERS = ['DEMO-EUR', 'DEMO-SEK', 'DEMO-PLN', 'DEMO-DKK', 'DEMO-NOK'];
/** A logo the picker refuses (not https): the row shows no image. */
const DATA_LOGO = 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 26"%3E%3Crect width="40" height="26"/%3E%3C/svg%3E';

function runsArg(): number {
  const i = process.argv.indexOf('--runs');
  return i > 0 ? Number(process.argv[i + 1]) : 30;
}

/** The real methods of the demo's orders, each once: the templates for the 200. */
async function realMethods(endpoint: string): Promise<PaymentMethod[]> {
  const byId = new Map<string, PaymentMethod>();
  for (const order of ORDERS) {
    const response = await fetch(`${endpoint}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order, locale: 'en' }) });
    if (response.status !== 201) throw new Error(`POST /session ${order}: ${response.status} ${await response.text()}`);
    for (const method of ((await response.json()) as SessionResponse).methods) if (!byId.has(method.id)) byId.set(method.id, method);
  }
  return [...byId.values()];
}

/** `count` methods from the templates: copies get their own id and a numbered name in every language. */
function manyMethods(templates: PaymentMethod[], count: number): PaymentMethod[] {
  return Array.from({ length: count }, (_, i) => {
    const template = templates[i % templates.length]!;
    const copy = Math.floor(i / templates.length);
    const method: PaymentMethod = {
      ...template,
      id: copy ? `${template.id}_${copy}` : template.id,
      name: copy ? Object.fromEntries(Object.entries(template.name).map(([lang, text]) => [lang, `${text} ${copy + 1}`])) : template.name,
    };
    if (i % 7 === 6) method.logo = DATA_LOGO;
    return method;
  });
}

interface Expected {
  locale: Locale;
  /** The first group's label and the first method's name, as the picker should show them in `locale`. */
  groupLabel: string;
  firstName: string;
}

/** What the picker must show in each language, from Kassa's own catalogues and the picker's grouping order. */
async function expectations(methods: PaymentMethod[], locales: readonly Locale[]): Promise<Expected[]> {
  const firstKind = KIND_ORDER.find((kind) => methods.some((m) => m.kind === kind));
  const first = methods.find((m) => m.kind === firstKind);
  if (!firstKind || !first) throw new Error('no method of a known kind');
  const expected = await Promise.all(
    locales.map(async (locale) => ({ locale, groupLabel: (await loadMessages(locale))[`picker.group.${firstKind}`], firstName: pickLocalized(first.name, locale) })),
  );
  // Each switch must change the label, or "shows the new language" would hold before anything re-rendered.
  for (let i = 1; i < expected.length; i++) {
    if (expected[i]!.groupLabel === expected[i - 1]!.groupLabel) throw new Error(`"${expected[i]!.groupLabel}" is the same in ${expected[i - 1]!.locale} and ${expected[i]!.locale}`);
  }
  return expected;
}

/**
 * In the page (plain JavaScript text: tsx would add helpers to a function's source that the page lacks). `run`
 * mounts a fresh picker, renders the methods, then switches through the given languages, and removes it.
 */
const IN_PAGE = `
window.kassaPickerBench = {
  /** A task later, not clamped like setTimeout. */
  tick() {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
      channel.port2.postMessage(0);
    });
  },
  /** Resolves just after the next frame (a task queued from requestAnimationFrame runs after its paint). */
  nextFrame() {
    return new Promise((resolve) => requestAnimationFrame(() => this.tick().then(() => resolve(performance.now()))));
  },
  laidOut(el) {
    return el.shadowRoot.querySelector('[part~="radiogroup"]').getBoundingClientRect().height;
  },
  shows(el, expected) {
    const label = el.shadowRoot.querySelector('[part~="group-label"]')?.textContent?.trim();
    const name = el.shadowRoot.querySelector('[role="radio"] [part~="name"]')?.textContent?.trim();
    return label === expected.groupLabel && name === expected.firstName;
  },
  chunks(locales) {
    return performance.getEntriesByType('resource').filter((entry) => locales.some((l) => entry.name.includes('/chunks/' + l + '-'))).length;
  },
  async run(methods, count, english, switches) {
    await customElements.whenDefined('kassa-method-picker');
    const el = document.createElement('kassa-method-picker');
    el.setAttribute('locale', 'en');
    document.body.append(el);
    try {
      await el.updateComplete;
      await this.nextFrame(); // the empty state is painted: the run starts from an idle page
      const t0 = performance.now();
      el.methods = methods;
      await el.updateComplete;
      const dom = performance.now() - t0;
      const height = this.laidOut(el);
      const layout = performance.now() - t0;
      const frame = (await this.nextFrame()) - t0;
      const radios = el.shadowRoot.querySelectorAll('[role="radio"]').length;
      if (radios !== count) throw new Error('rendered ' + radios + ' methods, not ' + count);
      if (!(height > 0)) throw new Error('the list has no height');
      if (!this.shows(el, english)) throw new Error('not shown in English');
      const switched = [];
      for (const expected of switches) {
        await this.nextFrame();
        const chunksBefore = this.chunks([expected.locale]);
        const t1 = performance.now();
        el.locale = expected.locale;
        for (const deadline = t1 + 10000; ; ) {
          await el.updateComplete;
          if (this.shows(el, expected)) break;
          if (performance.now() > deadline) throw new Error('not shown in ' + expected.locale + ' after 10 s');
          await this.tick(); // the language chunk is still loading
        }
        this.laidOut(el);
        switched.push({ locale: expected.locale, ms: performance.now() - t1, chunkFetched: this.chunks([expected.locale]) > chunksBefore });
      }
      return { dom, layout, frame, switched };
    } finally {
      el.remove();
    }
  },
};
`;

interface RunResult {
  dom: number;
  layout: number;
  frame: number;
  switched: Array<{ locale: Locale; ms: number; chunkFetched: boolean }>;
}

/**
 * A demo page with dist/kassa.js loaded and the elements it came with removed. Not `Shop.open`, which opens pages
 * in the browser's default context: each first-switch page needs a context of its own (empty cache, no chunk loaded).
 */
async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => console.log(`  page error: ${error.message}`));
  await page.goto(url);
  await page.evaluate(() => customElements.whenDefined('kassa-method-picker'));
  await page.evaluate(() => document.querySelectorAll('kassa-checkout, kassa-status').forEach((e) => e.remove()));
  await page.evaluate(IN_PAGE);
  return page;
}

function run(page: Page, methods: PaymentMethod[], english: Expected, switches: Expected[]): Promise<RunResult> {
  const args = [methods, methods.length, english, switches].map((a) => JSON.stringify(a)).join(', ');
  return page.evaluate(`window.kassaPickerBench.run(${args})`) as Promise<RunResult>;
}

async function firstSwitches(browser: Browser, url: string, methods: PaymentMethod[], english: Expected, switches: Expected[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < FIRST_SWITCH_PAGES; i++) {
    const context = await browser.newContext();
    try {
      const page = await openPage(context, url);
      const result = await run(page, methods, english, switches);
      for (const s of result.switched) {
        if (!s.chunkFetched) throw new Error(`the first switch to ${s.locale} fetched no chunk: not a first load`);
        times.push(s.ms);
      }
    } finally {
      await context.close();
    }
  }
  return times;
}

export async function measurePickerRender(runs = runsArg()): Promise<boolean> {
  const shop = await startShop();
  let ok = true;
  try {
    const methods = manyMethods(await realMethods(`${shop.demo.url}/kassa`), METHOD_COUNT);
    const [english, ...switches] = await expectations(methods, ['en', ...SWITCHES]);
    const url = `${shop.demo.url}/checkout.html?order=DEMO-EUR`;
    const withLogo = methods.filter((m) => m.logo && !m.logo.startsWith('data:')).length;
    console.log(`\n${methods.length} methods (${new Set(methods.map((m) => m.provider)).size} providers, ${new Set(methods.map((m) => m.kind)).size} kinds, ${withLogo} with a logo), ${runs} runs, fresh element each`);

    const context = await shop.browser.newContext();
    const page = await openPage(context, url);
    // Warm-up: the element's code paths, and the sv and de chunks loaded (the first run fetches them).
    for (let i = 0; i < WARM_UP; i++) await run(page, methods, english!, switches);
    const dom: number[] = [];
    const layout: number[] = [];
    const frame: number[] = [];
    const switched: number[] = [];
    for (let i = 0; i < runs; i++) {
      const result = await run(page, methods, english!, switches);
      dom.push(result.dom);
      layout.push(result.layout);
      frame.push(result.frame);
      for (const s of result.switched) {
        if (s.chunkFetched) throw new Error(`a measured switch to ${s.locale} fetched its chunk: the warm-up did not load it`);
        switched.push(s.ms);
      }
    }
    await context.close();
    const first = await firstSwitches(shop.browser, url, methods, english!, switches);

    report({ name: `${METHOD_COUNT} methods: set → in the DOM p50`, value: percentile(dom, 50), unit: 'ms' });
    report({ name: `${METHOD_COUNT} methods: set → in the DOM p95`, value: percentile(dom, 95), unit: 'ms' });
    report({ name: `${METHOD_COUNT} methods: set → laid out p50`, value: percentile(layout, 50), unit: 'ms' });
    ok = report({ name: `${METHOD_COUNT} methods: set → laid out p95`, value: percentile(layout, 95), unit: 'ms', budget: BUDGET_RENDER_P95_MS }) && ok;
    report({ name: `${METHOD_COUNT} methods: set → next frame p95`, value: percentile(frame, 95), unit: 'ms', note: 'includes the wait for the frame' });
    const label = `locale switch (${['en', ...SWITCHES].join(' → ')}), chunk loaded`;
    report({ name: `${label} p50`, value: percentile(switched, 50), unit: 'ms', note: `${switched.length} switches` });
    ok = report({ name: `${label} p95`, value: percentile(switched, 95), unit: 'ms', budget: BUDGET_LOCALE_SWITCH_P95_MS }) && ok;
    report({ name: 'first switch to a language (fetches its chunk) p50', value: percentile(first, 50), unit: 'ms', note: `${first.length} switches, fresh contexts, loopback` });
    report({ name: 'first switch to a language (fetches its chunk) max', value: Math.max(...first), unit: 'ms' });
  } finally {
    await shop.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: picker render (headless Chromium)');
  process.exitCode = (await measurePickerRender()) ? 0 : 1;
}
