/**
 * What each Kassa element takes and fires, by tag, shared by the React (`kassa/jsx`) and Vue (`kassa/vue`) types.
 * Written against the element classes, so a renamed or retyped property shows up here as a type error.
 */
import type {
  KassaCheckout,
  KassaCompleteEvent,
  KassaErrorEvent,
  KassaFailEvent,
  KassaMethodChangeEvent,
  KassaMethodFields,
  KassaMethodPicker,
  KassaPaymentStartEvent,
  KassaQr,
  KassaRedirect,
  KassaStatus,
  KassaStatusChangeEvent,
} from '../components/index.js';

/** Kassa's tags. */
export type KassaTag = keyof KassaElementProperties;

/**
 * What a page may set on each element, by the element's JavaScript property names (`groupBy`). Values the element
 * sets itself (`kassa-qr`'s `expired`, `kassa-status`'s `state`) and read-only ones (`session`, `valid`) are not here.
 */
export interface KassaElementProperties {
  'kassa-checkout': Partial<Pick<KassaCheckout, 'endpoint' | 'order' | 'locale' | 'groupBy' | 'navigate' | 'theme'>>;
  'kassa-method-picker': Partial<Pick<KassaMethodPicker, 'methods' | 'value' | 'groupBy' | 'locale' | 'disabled' | 'theme'>>;
  'kassa-method-fields': Partial<Pick<KassaMethodFields, 'method' | 'values' | 'locale' | 'disabled' | 'theme'>>;
  'kassa-redirect': Partial<
    Pick<KassaRedirect, 'action' | 'pending' | 'navigate' | 'submitForm' | 'allowedHosts' | 'auto' | 'providerName' | 'locale' | 'theme'>
  >;
  'kassa-qr': Partial<Pick<KassaQr, 'data' | 'deepLink' | 'app' | 'expiresAt' | 'layout' | 'locale' | 'theme'>>;
  'kassa-status': Partial<Pick<KassaStatus, 'endpoint' | 'reference' | 'locale' | 'kronor' | 'checkoutUrl' | 'theme'>>;
}

/**
 * The same by the names markup uses: simple values under their attribute names (`group-by`), which work whether or
 * not the element is defined yet; objects and callbacks under their property names (`methods`, `navigate`).
 */
export interface KassaElementAttributes {
  'kassa-checkout': Partial<Pick<KassaCheckout, 'endpoint' | 'order' | 'locale' | 'navigate' | 'theme'>> & {
    'group-by'?: KassaCheckout['groupBy'];
  };
  'kassa-method-picker': Partial<Pick<KassaMethodPicker, 'methods' | 'value' | 'locale' | 'disabled' | 'theme'>> & {
    'group-by'?: KassaMethodPicker['groupBy'];
  };
  'kassa-method-fields': KassaElementProperties['kassa-method-fields'];
  'kassa-redirect': Partial<Pick<KassaRedirect, 'action' | 'pending' | 'navigate' | 'submitForm' | 'allowedHosts' | 'auto' | 'locale' | 'theme'>> & {
    'provider-name'?: KassaRedirect['providerName'];
  };
  'kassa-qr': Partial<Pick<KassaQr, 'data' | 'app' | 'layout' | 'locale' | 'theme'>> & {
    'deep-link'?: KassaQr['deepLink'];
    'expires-at'?: KassaQr['expiresAt'];
  };
  'kassa-status': Partial<Pick<KassaStatus, 'endpoint' | 'reference' | 'locale' | 'kronor' | 'theme'>> & {
    'checkout-url'?: KassaStatus['checkoutUrl'];
  };
}

/** The events each element fires, by DOM event name (all bubble and are composed). */
export interface KassaElementEvents {
  'kassa-checkout': {
    'kassa-method-change': KassaMethodChangeEvent;
    'kassa-payment-start': KassaPaymentStartEvent;
    'kassa-status-change': KassaStatusChangeEvent;
    'kassa-complete': KassaCompleteEvent;
    'kassa-fail': KassaFailEvent;
    'kassa-error': KassaErrorEvent;
  };
  'kassa-method-picker': { change: Event };
  'kassa-method-fields': { change: Event };
  'kassa-redirect': { 'kassa-error': KassaErrorEvent };
  'kassa-qr': Record<never, never>;
  'kassa-status': {
    'kassa-status-change': KassaStatusChangeEvent;
    'kassa-complete': KassaCompleteEvent;
    'kassa-fail': KassaFailEvent;
    'kassa-error': KassaErrorEvent;
  };
}
