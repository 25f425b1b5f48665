/**
 * What hi.health takes as a payment's document (`POST /payments/{id}/document/{type}`): one of its five types, a
 * PDF, at most 10 MB. Checked before sending, so a wrong file never costs a call and the merchant hears why at once.
 */
import type { DocumentType } from '../../server/provider.ts';

/** "Can be one of: OTHER, INVOICE, PRESCRIPTION, CERTIFICATE, TEST_RESULT." */
export const DOCUMENT_TYPES: readonly DocumentType[] = ['OTHER', 'INVOICE', 'PRESCRIPTION', 'CERTIFICATE', 'TEST_RESULT'];
export const DOCUMENT_CONTENT_TYPE = 'application/pdf';
/** Every PDF starts with its header, `%PDF-` and a version (`%PDF-1.7`). */
const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d];

/** Why hi.health would not take this document, said for the merchant; undefined when it would. */
export function documentRefusal(type: string, content: Uint8Array, maxBytes: number): string | undefined {
  if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) return `hi.health takes documents of the types ${DOCUMENT_TYPES.join(', ')}`;
  if (content.length === 0) return 'The document is empty';
  if (content.length > maxBytes) return `hi.health takes documents of at most ${formatBytes(maxBytes)}`;
  if (!PDF_HEADER.every((byte, i) => content[i] === byte)) return 'hi.health takes documents as PDF only';
  return undefined;
}

/** 10485760 → "10 MB" (hi.health's own words for its limit), anything else in bytes. */
function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}
