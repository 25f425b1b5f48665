/**
 * Registers an element only when its tag is free: a page that loads Kassa twice (a CDN script and an npm bundle)
 * keeps the first definition and gets one warning instead of a crash.
 */
const warned = new Set<string>();

export function defineElement(tag: string, constructor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) {
    customElements.define(tag, constructor);
    return;
  }
  if (existing !== constructor && !warned.has(tag)) {
    warned.add(tag);
    console.warn(`Kassa: <${tag}> is already defined on this page (another copy of Kassa?); keeping the first one.`);
  }
}
