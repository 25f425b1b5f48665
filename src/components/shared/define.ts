/**
 * Registers an element only when its tag is free: a page that loads Kassa twice (a CDN script and an npm bundle)
 * keeps the first definition and gets one warning instead of a crash. On a page whose Kassa elements were rendered
 * on the server, Lit's hydration loads first (hydrate.ts), so they take over that DOM rather than render it again.
 */
import { isServer } from 'lit';

const warned = new Set<string>();
let hydration: Promise<unknown> | undefined;
let hydrationChecked = false;

export function defineElement(tag: string, constructor: CustomElementConstructor): void {
  if (!hydrationChecked && !isServer) {
    hydrationChecked = true;
    // Rendered on the server: a Kassa element not yet defined whose declarative shadow root is already attached.
    const rendered = [...document.querySelectorAll(':not(:defined)')].filter((element) => element.shadowRoot && element.localName.startsWith('kassa-'));
    if (rendered.length) {
      hydration = import('./hydrate.ts').then(
        ({ installHydration }) => installHydration(),
        (error: unknown) => {
          // Offline, say: the elements render afresh into emptied roots (Lit would render next to the server's DOM).
          for (const element of rendered) element.shadowRoot!.replaceChildren();
          console.warn('Kassa: could not load hydration; rendering again.', error);
        },
      );
    }
  }
  if (hydration) void hydration.then(() => register(tag, constructor));
  else register(tag, constructor);
}

function register(tag: string, constructor: CustomElementConstructor): void {
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
