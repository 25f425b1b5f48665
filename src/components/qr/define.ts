import { defineElement } from '../shared/define.ts';
import { KassaQr } from './qr.ts';

defineElement('kassa-qr', KassaQr);

// The class under its tag: `HTMLElementTagNameMap['kassa-qr']` and `instanceof` work for a page that imports this.
export { KassaQr };
