// The checkout renders these: registering it registers them (each define is guarded, so any order is fine).
import '../method-picker/define.ts';
import '../method-fields/define.ts';
import '../redirect/define.ts';
import '../qr/define.ts';
import '../status/define.ts';
import { defineElement } from '../shared/define.ts';
import { KassaCheckout } from './checkout.ts';

defineElement('kassa-checkout', KassaCheckout);
