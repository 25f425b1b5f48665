/**
 * Every element renders on a server with Lit's renderer (`@lit-labs/ssr`), in Node without a DOM: declarative
 * shadow DOM with its styles and its content, from the same code the browser runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadLanguage } from '../../src/components/index.ts';
import { serverRenderedElements } from './elements.ts';
import { renderOnServer } from './render.ts';

/** The words a shopper would read in `html`: tags, comments and styles removed, spaces collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('server rendering', () => {
  it('runs without a DOM: no document or window in this process', () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
  });

  for (const element of serverRenderedElements()) {
    it(`renders <${element.tag}> to declarative shadow DOM with its styles and content`, async () => {
      const html = await renderOnServer(element);
      assert.match(html, new RegExp(`<${element.tag}[^>]*><template shadowroot="open" shadowrootmode="open"><style>`));
      assert.match(html, /--kassa-color-text/, 'the shared theme is in the shadow root');
      const text = visibleText(html);
      for (const words of element.shows) assert.ok(text.includes(words), `"${words}" in: ${text}`);
    });
  }

  it('renders the checkout with the methods of the session the server gives it, nothing fetched', async () => {
    const [checkout] = serverRenderedElements();
    const html = await renderOnServer(checkout!);
    // The picker inside, rendered too (waiting for the checkout to hydrate first), with one radio per method.
    assert.match(html, /<kassa-method-picker[^>]* defer-hydration><template shadowroot="open"/);
    assert.equal(html.match(/role="radio"/g)?.length, 3);
    assert.match(visibleText(html), /Pay €49\.90/);
  });

  it('renders a checkout without a session as loading, for the browser to open one', async () => {
    const html = await renderOnServer({ tag: 'kassa-checkout', attributes: { endpoint: '/kassa', order: 'SSR-2' }, properties: {}, shows: [] });
    assert.match(visibleText(html), /^Loading payment methods…$/);
  });

  it('renders in the language of the element’s own `lang` once the server loaded it; English before', async () => {
    const [checkout] = serverRenderedElements();
    const swedish = { ...checkout!, attributes: { ...checkout!.attributes, lang: 'sv-SE' } };
    assert.match(visibleText(await renderOnServer(swedish)), /^Total /, 'a server render cannot wait for a language');
    await loadLanguage('sv-SE');
    const text = visibleText(await renderOnServer(swedish));
    assert.match(text, /^Totalt 49,90 € /);
    assert.match(text, /Betala inom 30 dagar/);
    // The picker inside is given the checkout's language and renders in it too.
    assert.match(await renderOnServer(swedish), /<kassa-method-picker[^>]* locale="sv-SE"/);
  });

  it('renders Arabic right to left', async () => {
    await loadLanguage('ar');
    const [, picker] = serverRenderedElements();
    const html = await renderOnServer({ ...picker!, attributes: { ...picker!.attributes, locale: 'ar' } });
    assert.match(html, /<div[^>]*\bdir="rtl"/);
  });

  it('does not take a session for another order or one about to expire', async () => {
    const [checkout] = serverRenderedElements();
    const other = { ...checkout!, attributes: { ...checkout!.attributes, order: 'SSR-OTHER' } };
    assert.match(visibleText(await renderOnServer(other)), /^Loading payment methods…$/);
    const [late] = serverRenderedElements(Date.now() - 9.5 * 60_000);
    assert.match(visibleText(await renderOnServer(late!)), /^Loading payment methods…$/);
  });
});
