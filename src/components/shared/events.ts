/**
 * Kassa's DOM events. All bubble and are composed, so a listener on `document` hears them from inside any shadow
 * root. The picker uses the native `change`; everything else is a `kassa-` event with typed fields.
 */
import type { NextAction, PaymentMethod, PaymentState, PaymentView } from '../../core/model.ts';
import type { EndpointErrorCode } from '../../core/endpoint-client.ts';

const INIT: EventInit = { bubbles: true, composed: true };

/** The shopper chose another method in `kassa-checkout`. */
export class KassaMethodChangeEvent extends Event {
  static readonly type = 'kassa-method-change';
  constructor(readonly method: PaymentMethod) {
    super(KassaMethodChangeEvent.type, INIT);
  }
}

/** The endpoint created the payment; `action` is what happens next (redirect, QR, Kronor …). */
export class KassaPaymentStartEvent extends Event {
  static readonly type = 'kassa-payment-start';
  constructor(
    readonly payment: PaymentView,
    readonly action: NextAction,
  ) {
    super(KassaPaymentStartEvent.type, INIT);
  }
}

/** The payment's state changed. */
export class KassaStatusChangeEvent extends Event {
  static readonly type = 'kassa-status-change';
  constructor(
    readonly payment: PaymentView,
    readonly state: PaymentState,
  ) {
    super(KassaStatusChangeEvent.type, INIT);
  }
}

/** The payment succeeded (paid, or authorized for the merchant to capture). */
export class KassaCompleteEvent extends Event {
  static readonly type = 'kassa-complete';
  constructor(readonly payment: PaymentView) {
    super(KassaCompleteEvent.type, INIT);
  }
}

/** The payment ended without money moving: declined, cancelled, expired or failed. */
export class KassaFailEvent extends Event {
  static readonly type = 'kassa-fail';
  constructor(readonly payment: PaymentView) {
    super(KassaFailEvent.type, INIT);
  }
}

/** Something kept the checkout from working (network, endpoint problem); `code` names it, `message` is localized. */
export class KassaErrorEvent extends Event {
  static readonly type = 'kassa-error';
  constructor(
    readonly code: EndpointErrorCode | 'unsafe-action' | 'kronor',
    readonly message: string,
  ) {
    super(KassaErrorEvent.type, INIT);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'kassa-method-change': KassaMethodChangeEvent;
    'kassa-payment-start': KassaPaymentStartEvent;
    'kassa-status-change': KassaStatusChangeEvent;
    'kassa-complete': KassaCompleteEvent;
    'kassa-fail': KassaFailEvent;
    'kassa-error': KassaErrorEvent;
  }
}
