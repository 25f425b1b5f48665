import { defineElement } from '../shared/define.ts';
import { KassaStatus } from './status.ts';

defineElement('kassa-status', KassaStatus);

// The class under its tag: `HTMLElementTagNameMap['kassa-status']` and `instanceof` work for a page that imports this.
export { KassaStatus };
