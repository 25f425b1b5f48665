/**
 * Renders the fixtures of elements.ts with Lit's server renderer, as a shop's server would: declarative shadow DOM,
 * with Lit's hydration markers. Importing this module loads the elements' server build (no DOM needed).
 */
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import '../../src/index.ts';
import '../../src/components/method-fields/define.ts';
import '../../src/components/redirect/define.ts';
import '../../src/components/qr/define.ts';
import '../../src/components/status/define.ts';
import { templateParts, type ServerRenderedElement } from './elements.ts';

export async function renderOnServer(element: ServerRenderedElement, children = ''): Promise<string> {
  const { strings, values } = templateParts(element);
  const last = strings.length - 1;
  // Light DOM children go right before the closing tag.
  strings[last] = strings[last]!.replace(`></${element.tag}>`, `>${children}</${element.tag}>`);
  const template = html(Object.assign([...strings], { raw: [...strings] }) as unknown as TemplateStringsArray, ...values);
  return collectResult(render(template));
}
