/**
 * The checkout rendered on the shop's server (Lit's renderer, `@lit-labs/ssr`): declarative shadow DOM, so the
 * shopper sees the methods with the HTML, before any script has loaded; `kassa.js` then hydrates it. A shop on plain
 * Node does the same in a few lines. Loaded on first use: rendering needs the elements' server build in the process.
 */
import { createHash } from 'node:crypto';
import type { SessionResponse } from '../src/core/model.ts';

export interface CheckoutMarkup {
  order: string;
  lang?: string;
  groupBy?: 'provider';
  /** The session JSON from `kassa.sessionJson` (script-safe): the methods to render, and carried for the browser. */
  session: string;
}

let renderer: Promise<typeof import('./ssr-render.ts')> | undefined;

/** `<kassa-checkout>` with its methods rendered in, and the carried session the browser hydrates it from. */
export async function renderCheckout(markup: CheckoutMarkup): Promise<string> {
  renderer ??= import('./ssr-render.ts');
  const { renderCheckoutElement } = await renderer;
  return renderCheckoutElement(markup, JSON.parse(markup.session) as SessionResponse);
}

const hashes = new Map<string, string>();

/**
 * CSP sources for the `<style>` elements in `html` (the shadow roots' styles, the same text on every page): a
 * strict `style-src` allows exactly these, and no other inline style.
 */
export function styleHashes(html: string): string[] {
  const found = new Set<string>();
  for (const [, css] of html.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
    let hash = hashes.get(css!);
    if (!hash) hashes.set(css!, (hash = `'sha256-${createHash('sha256').update(css!).digest('base64')}'`));
    found.add(hash);
  }
  return [...found];
}
