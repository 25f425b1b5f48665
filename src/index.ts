/**
 * The script-tag entry: `<script type="module" src=".../kassa.js">` defines every Kassa element. Importing it is
 * the one intended side effect; `kassa` (src/components/index.ts) gives the classes without defining anything.
 */
import './components/checkout/define.ts';
import './components/method-picker/define.ts';
import './components/method-fields/define.ts';
import './components/redirect/define.ts';
import './components/qr/define.ts';
import './components/status/define.ts';

export * from './components/index.ts';
