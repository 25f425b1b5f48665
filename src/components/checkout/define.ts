// The picker is part of the checkout's first paint; the checkout loads its other parts itself (parts.ts).
import '../method-picker/define.ts';
import { defineElement } from '../shared/define.ts';
import { KassaCheckout } from './checkout.ts';

defineElement('kassa-checkout', KassaCheckout);

// The class under its tag: `HTMLElementTagNameMap['kassa-checkout']` and `instanceof` work for a page that imports this.
export { KassaCheckout };
