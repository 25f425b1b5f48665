import { defineElement } from '../shared/define.ts';
import { KassaMethodFields } from './method-fields.ts';

defineElement('kassa-method-fields', KassaMethodFields);

// The class under its tag: `HTMLElementTagNameMap['kassa-method-fields']` and `instanceof` work for a page that imports this.
export { KassaMethodFields };
