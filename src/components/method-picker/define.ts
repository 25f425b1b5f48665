import { defineElement } from '../shared/define.ts';
import { KassaMethodPicker } from './method-picker.ts';

defineElement('kassa-method-picker', KassaMethodPicker);
