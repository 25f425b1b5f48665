/** `kassa`: the element classes, events and types, with no side effects (nothing is defined until a define file runs). */
export { KassaCheckout } from './checkout/checkout.ts';
export { KassaMethodPicker } from './method-picker/method-picker.ts';
export { KassaMethodFields } from './method-fields/method-fields.ts';
export { KassaRedirect } from './redirect/redirect.ts';
export { KassaQr } from './qr/qr.ts';
export { KassaStatus } from './status/status.ts';
export * from './shared/events.ts';
export { defineElement } from './shared/define.ts';
export { THEME_PROPERTIES } from './shared/theme.ts';
export type { KassaTheme } from './shared/kassa-element.ts';
export { loadLanguage, registerMessages, type MessageKey, type Messages, type PluralForms } from '../core/i18n.ts';
export type { KassaNavigate, KassaNavigation, KassaGetNavigation, KassaPostNavigation } from './redirect/navigation.ts';
export type * from '../core/model.ts';
