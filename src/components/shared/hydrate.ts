/**
 * Lit's hydration, for a page whose Kassa elements were rendered on the server (declarative shadow DOM): the
 * elements then take over the server's DOM instead of rendering it again. Loaded only on such pages (define.ts),
 * and installed before the first element is defined.
 */
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { LitElement, render, type PropertyValues } from 'lit';

type HydrateSupport = (lit: { LitElement: typeof LitElement }) => void;

export function installHydration(): void {
  // Lit installs it itself when the page loaded the support before Lit; LitElement then already observes
  // `defer-hydration` (an own `observedAttributes`), and patching it twice would hydrate twice.
  if (Object.getOwnPropertyDescriptor(LitElement, 'observedAttributes')) return;
  (globalThis as { litElementHydrateSupport?: HydrateSupport }).litElementHydrateSupport?.({ LitElement });
  const hydratingUpdate = LitElement.prototype['update'] as (this: LitElement, changed: PropertyValues) => void;
  LitElement.prototype['update'] = function (this: LitElement, changed: PropertyValues): void {
    try {
      hydratingUpdate.call(this, changed);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('Hydration value mismatch')) throw error;
      // The browser's first render is not the server's (the carried session expired meanwhile, a payment started
      // before a reload is shown again): the server's DOM is dropped and the element renders afresh.
      const root = this.renderRoot;
      for (const node of [...root.childNodes]) if (!(node instanceof HTMLStyleElement)) node.remove();
      delete (root as { _$litPart$?: unknown })._$litPart$;
      render(this['render'](), root, this.renderOptions);
    }
  };
}
