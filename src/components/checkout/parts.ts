/**
 * The elements the checkout shows only after the methods are on screen — the fields, the redirect, the QR code and
 * the status — loaded on demand, so the first paint carries only the checkout and the picker. Each loads its own
 * module (and registers its `kassa-` tag) once per page; a failed load (offline) is tried again on the next call.
 * kassa.js loads the same modules through these loaders when their tags appear in the page.
 */
import { retryableImport } from '../../core/retryable-import.ts';

export const PART_LOADERS = {
  'kassa-method-fields': retryableImport(() => import('../method-fields/define.ts')),
  'kassa-redirect': retryableImport(() => import('../redirect/define.ts')),
  'kassa-qr': retryableImport(() => import('../qr/define.ts')),
  'kassa-status': retryableImport(() => import('../status/define.ts')),
};

export async function loadCheckoutParts(): Promise<void> {
  await Promise.all(Object.values(PART_LOADERS).map((load) => load()));
}
