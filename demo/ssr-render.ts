/** The rendering half of ssr.ts: imports the elements (their server build) and Lit's server renderer. */
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import '../src/index.ts';
import { loadLanguage } from '../src/components/index.ts';
import type { SessionResponse } from '../src/core/model.ts';
import type { CheckoutMarkup } from './ssr.ts';

export async function renderCheckoutElement(markup: CheckoutMarkup, session: SessionResponse): Promise<string> {
  // A server render cannot wait for a language: its catalogue is loaded first (once per process).
  if (markup.lang) await loadLanguage(markup.lang);
  // `.session` is for the server's render; the JSON child is what the browser reads before it hydrates.
  const template = html`<kassa-checkout endpoint="/kassa" order=${markup.order} lang=${ifDefined(markup.lang)} group-by=${ifDefined(markup.groupBy)} .session=${session}
    >${unsafeHTML(`<script type="application/json">${markup.session}</script>`)}</kassa-checkout
  >`;
  return collectResult(render(template));
}
