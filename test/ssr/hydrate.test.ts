/**
 * Server-rendered elements hydrate in Chromium: Kassa's script-tag entry (src/index.ts, bundled as for the CDN) finds
 * the declarative shadow roots, loads Lit's hydration before defining anything, and every element takes over the
 * server's DOM — the very nodes, not a second render — without an error, ending as a browser-only render of the same
 * element ends. Where Lit's hydration cannot load, the elements render afresh, once.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../e2e/harness.ts';
import { serverRenderedElements, type ServerRenderedElement } from './elements.ts';
import { renderOnServer } from './render.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The script-tag entry and its chunks, bundled for the browser: path → text. */
async function bundleEntry(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: { kassa: `${root}src/index.ts` },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/bundle',
    write: false,
    tsconfig: `${root}tsconfig.json`,
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((file) => [file.path.replace('/bundle', ''), file.text]));
}

/**
 * A page with each element as the server rendered it. The checkout carries its session as a shop page does (a JSON
 * child); the others get their properties from a small script before Kassa loads, as a page or a framework would.
 */
async function page(elements: ServerRenderedElement[]): Promise<string> {
  const parts: string[] = [];
  for (const element of elements) {
    const carried = element.tag === 'kassa-checkout' ? `<script type="application/json">${JSON.stringify(element.properties.session)}</script>` : '';
    parts.push(`<div data-case="${element.tag}">${await renderOnServer(element, carried)}</div>`);
  }
  const given = elements.filter((e) => e.tag !== 'kassa-checkout').map((e) => [e.tag, e.properties]);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Server-rendered Kassa</title></head><body>
${parts.join('\n')}
<script type="application/json" id="given">${JSON.stringify(given)}</script>
</body></html>`;
}

/**
 * Runs in the page: an element's shadow DOM as text — elements with their attributes sorted (the server writes bound
 * attributes in another order), inputs by their value, text with spaces collapsed — without Lit's markers, styles or hydration attributes.
 */
function shadowText(element: Element): string {
  const IGNORED = /^(defer-hydration|hydrate-internals-.*)$/;
  const write = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return (node.textContent ?? '').replace(/\s+/g, ' ');
    if (!(node instanceof Element)) return '';
    if (node.localName === 'style') return '';
    // An input's value is its property: the server writes `.value` bindings as the attribute too.
    const input = node instanceof HTMLInputElement;
    const attributes = [...node.attributes]
      .filter((a) => !IGNORED.test(a.name) && !(input && a.name === 'value'))
      .map((a) => ` ${a.name}="${a.value}"`)
      .concat(input ? [` .value="${node.value}"`] : [])
      .sort()
      .join('');
    return `<${node.localName}${attributes}>${[...node.childNodes].map(write).join('')}</${node.localName}>`;
  };
  // A countdown's time ticks on its own: the two renders compared may be a second apart.
  return [...(element.shadowRoot?.childNodes ?? [])]
    .map(write)
    .join('')
    .replace(/> +</g, '><')
    .replace(/\b\d+:\d\d\b/g, 'm:ss')
    .trim();
}

describe('hydration of server-rendered elements', () => {
  let server: Server;
  let browser: Browser;
  let url: string;
  const elements = serverRenderedElements();

  before(async () => {
    const files = await bundleEntry();
    const html = await page(elements);
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      const script = files.get(path);
      if (script !== undefined) {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else if (path === '/') {
        response.writeHead(200, { 'content-type': 'text/html' }).end(html);
      } else if (path.startsWith('/kassa/')) {
        // The status element asks the endpoint; an unknown payment is a fine answer here.
        response.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"type":"about:blank","title":"Not found","status":404,"code":"unknown-payment"}');
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** One page load: Kassa loads on the server-rendered page; each element compared with a browser-only twin. */
  async function loadAndCompare(options: { hydrationChunk: 'served' | 'unreachable' }) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    if (options.hydrationChunk === 'unreachable') await tab.route('**/hydrate-*.js', (route) => route.abort());
    // The functions below are passed as source; tsx's `__name` helper in them must exist in the page.
    await tab.addInitScript('globalThis.__name = (f) => f');
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => {
      // Chromium logs the endpoint's 404 for the unknown payment (and the aborted chunk); the rest is the elements'.
      if ((message.type() === 'error' || message.type() === 'warning') && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    await tab.goto(url);
    const before = await tab.evaluate(() => {
      // Before any script: the declarative shadow roots are there; each of their nodes is marked to be found again.
      const hosts = [...document.querySelectorAll('[data-case] > *')];
      for (const host of hosts) for (const node of host.shadowRoot?.querySelectorAll('*') ?? []) (node as Element & { ssr?: boolean }).ssr = true;
      return { defined: hosts.filter((host) => customElements.get(host.localName)).length, withShadow: hosts.filter((host) => host.shadowRoot).length };
    });
    assert.deepEqual(before, { defined: 0, withShadow: elements.length });

    const result = await tab.evaluate(
      async ({ tags, shadowTextSource }) => {
        const shadowText = new Function(`return (${shadowTextSource})`)() as (element: Element) => string;
        const given = JSON.parse(document.getElementById('given')!.textContent!) as [string, Record<string, unknown>][];
        for (const [tag, properties] of given) Object.assign(document.querySelector(tag)!, properties);
        await import(/* @vite-ignore */ '/kassa.js' as string);
        const out: Record<string, { reused: boolean; hydrated: string; browser: string }> = {};
        for (const tag of tags) {
          await customElements.whenDefined(tag);
          const element = document.querySelector(tag) as HTMLElement & { updateComplete: Promise<unknown> };
          await element.updateComplete;
          // The same element rendered by the browser alone, from the same attributes and properties.
          const twin = document.createElement(tag) as HTMLElement & { updateComplete: Promise<unknown> };
          for (const { name, value } of element.attributes) if (name !== 'defer-hydration') twin.setAttribute(name, value);
          const properties = given.find(([t]) => t === tag)?.[1] ?? {};
          Object.assign(twin, properties);
          for (const child of element.children) twin.append(child.cloneNode(true));
          document.body.append(twin);
          await twin.updateComplete;
          const nodes = [...element.shadowRoot!.children].filter((node) => node.localName !== 'style');
          out[tag] = {
            reused: nodes.length > 0 && nodes.every((node) => (node as Element & { ssr?: boolean }).ssr === true),
            hydrated: shadowText(element),
            browser: shadowText(twin),
          };
        }
        return out;
      },
      { tags: elements.map((e) => e.tag), shadowTextSource: shadowText.toString() },
    );
    await context.close();
    return { result, errors };
  }

  it('takes over the server’s DOM of every element, with no error and the same result as a browser render', async () => {
    const { result, errors } = await loadAndCompare({ hydrationChunk: 'served' });
    for (const { tag } of elements) {
      const seen = result[tag]!;
      assert.ok(seen.reused, `<${tag}> kept the server's nodes`);
      assert.equal(seen.hydrated, seen.browser, `<${tag}> ends as a browser render does`);
    }
    assert.deepEqual(errors, []);
  });

  it('renders every element afresh, once, when the hydration chunk cannot load', async () => {
    const { result, errors } = await loadAndCompare({ hydrationChunk: 'unreachable' });
    for (const { tag } of elements) {
      const seen = result[tag]!;
      assert.ok(!seen.reused, `<${tag}> dropped the server's nodes`);
      assert.equal(seen.hydrated, seen.browser, `<${tag}> shows what a browser render shows, not twice`);
    }
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^Kassa: could not load hydration; rendering again\./);
  });
});
