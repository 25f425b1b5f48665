import { defineElement } from '../shared/define.ts';
import { KassaStatus } from './status.ts';

defineElement('kassa-status', KassaStatus);
