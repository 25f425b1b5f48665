import { defineElement } from '../shared/define.ts';
import { KassaQr } from './qr.ts';

defineElement('kassa-qr', KassaQr);
