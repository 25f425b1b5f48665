import { defineElement } from '../shared/define.ts';
import { KassaRedirect } from './redirect.ts';

defineElement('kassa-redirect', KassaRedirect);
