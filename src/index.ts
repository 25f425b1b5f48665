/**
 * The script-tag entry: `<script type="module" src=".../kassa.js">` makes every Kassa element work on the page.
 * `kassa-checkout` and `kassa-method-picker` are defined at once (they make the first paint); the other four load
 * the first time their tag is in the document (a return page's `kassa-status`, say) or a checkout needs them, each
 * from its own chunk next to kassa.js. Importing it is the one intended side effect; `kassa`
 * (src/components/index.ts) gives the classes without defining anything.
 */
import './components/checkout/define.ts';
import { PART_LOADERS } from './components/checkout/parts.ts';
import { loadOnSight } from './components/shared/autoload.ts';
import { isServer } from 'lit';

// On a server (rendering the elements with Lit's renderer) there is no document to watch.
if (!isServer) loadOnSight(PART_LOADERS);

export { KassaCheckout } from './components/checkout/checkout.ts';
export { KassaMethodPicker } from './components/method-picker/method-picker.ts';
export * from './components/shared/events.ts';
export { defineElement } from './components/shared/define.ts';
export { THEME_PROPERTIES } from './components/shared/theme.ts';
export type { KassaTheme } from './components/shared/kassa-element.ts';
export { registerMessages, type MessageKey, type Messages, type PluralForms } from './core/i18n.ts';
export type * from './core/model.ts';
export type { KassaMethodFields } from './components/method-fields/method-fields.ts';
export type { KassaRedirect } from './components/redirect/redirect.ts';
export type { KassaQr } from './components/qr/qr.ts';
export type { KassaStatus } from './components/status/status.ts';
