import { defineElement } from '../shared/define.ts';
import { KassaMethodFields } from './method-fields.ts';

defineElement('kassa-method-fields', KassaMethodFields);
