/**
 * Loads an element's module the first time its tag appears in the document — now or later, however it got there
 * (HTML, a framework, innerHTML) — so a page pays only for the elements it uses. Tags inside other elements' shadow
 * roots are not seen; the element that renders them loads them itself.
 */
export type ElementLoaders = Record<string, () => Promise<unknown>>;

export function loadOnSight(loaders: ElementLoaders, root: Document = document): void {
  const waiting = new Map(Object.entries(loaders));
  const load = (tag: string) => {
    const loader = waiting.get(tag);
    if (!loader) return;
    waiting.delete(tag);
    loader().catch((error: unknown) => {
      // Offline or a missing chunk: seeing the tag again (or a later insertion) tries once more.
      waiting.set(tag, loader);
      console.warn(`Kassa: could not load <${tag}>.`, error);
    });
  };
  const scan = (node: ParentNode) => {
    for (const tag of waiting.keys()) if (node.querySelector(tag)) load(tag);
  };
  const onAdded = (node: Node) => {
    if (!(node instanceof Element)) return;
    load(node.localName);
    if (node.firstElementChild) scan(node);
  };
  scan(root);
  const observer = new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(onAdded);
    if (waiting.size === 0) observer.disconnect();
  });
  observer.observe(root, { childList: true, subtree: true });
}
