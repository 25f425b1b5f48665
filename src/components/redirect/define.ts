import { defineElement } from '../shared/define.ts';
import { KassaRedirect } from './redirect.ts';

defineElement('kassa-redirect', KassaRedirect);

// The class under its tag: `HTMLElementTagNameMap['kassa-redirect']` and `instanceof` work for a page that imports this.
export { KassaRedirect };
