import { defineElement } from '../shared/define.ts';
import { KassaMethodPicker } from './method-picker.ts';

defineElement('kassa-method-picker', KassaMethodPicker);

// The class under its tag: `HTMLElementTagNameMap['kassa-method-picker']` and `instanceof` work for a page that imports this.
export { KassaMethodPicker };
