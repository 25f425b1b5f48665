/**
 * Kassa's elements render in open shadow roots, which Testing Library's queries do not enter. These helpers reach a
 * shadow root — through nested elements, waiting until each one has rendered — and hand back queries scoped to it.
 */
import { configure, type queries, waitFor, within } from 'storybook/test';

// Testing Library prints the container of a failed query, and cannot print a shadow root: say what it shows instead.
configure({
  getElementError(message, container) {
    const host = container instanceof ShadowRoot ? `<${container.host.localName}>` : 'the page';
    const error = new Error(`${message ?? ''}\n\nWhat ${host} shows: ${container ? composedText(container).slice(0, 600) : ''}`);
    error.name = 'TestingLibraryElementError';
    return error;
  },
});

export type Queries = ReturnType<typeof within<typeof queries>>;

/** The open shadow root of `host`; throws (failing the story) when the element or its root is missing. */
export function shadowOf(host: Element | null | undefined): ShadowRoot {
  if (!host) throw new Error('element not found');
  if (!host.shadowRoot) throw new Error(`<${host.localName}> has no open shadow root`);
  return host.shadowRoot;
}

/**
 * Waits for the chain `tags[0]` inside `root`, then `tags[1]` inside its shadow root, and so on, and answers the last
 * element's shadow root: `await shadowPath(canvasElement, 'kassa-checkout', 'kassa-qr')`.
 */
export async function shadowPath(root: ParentNode, ...tags: string[]): Promise<ShadowRoot> {
  return waitFor(
    () => {
      let scope: ParentNode = root;
      let found: ShadowRoot | undefined;
      for (const tag of tags) {
        found = shadowOf(scope.querySelector(tag));
        scope = found;
      }
      if (!found) throw new Error('no element given');
      return found;
    },
    { timeout: 10_000 },
  );
}

/** Testing Library queries inside the shadow root at the end of `tags` (see `shadowPath`). */
export async function inShadow(root: ParentNode, ...tags: string[]): Promise<Queries> {
  return within((await shadowPath(root, ...tags)) as unknown as HTMLElement);
}

/** The text a shopper reads in `node`, entering every shadow root below it (slots aside), whitespace collapsed. */
export function composedText(node: Node): string {
  const parts: string[] = [];
  const walk = (current: Node) => {
    if (current.nodeType === Node.TEXT_NODE) parts.push(current.textContent ?? '');
    if (current instanceof Element && current.shadowRoot) walk(current.shadowRoot);
    for (const child of current.childNodes) walk(child);
  };
  walk(node);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
