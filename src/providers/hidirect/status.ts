/**
 * hi.health HiDirect payment statuses → Kassa's one state model. Pure: the adapter, its tests and the endpoint all
 * read a status through here.
 */
import type { PaymentState } from '../../core/model.ts';
import type { StatusRead } from '../../server/provider.ts';

/**
 * Every status hi.health documents (seed 002: INITIAL, CLAIMED, SETTLED, DENIED, PENDING; AUTHORISED with
 * cardCaptureMode MANUAL) and CANCELLED, which the sandbox uses for a cancelled payment (INVENTED: the docs mention
 * cancelling but list no status for it).
 */
export const HIDIRECT_STATES: Readonly<Record<string, PaymentState>> = {
  /** Created; the shopper has yet to open the one-time checkout link. */
  INITIAL: 'action_required',
  /** The shopper logged into the checkout and is deciding there. */
  CLAIMED: 'pending',
  /** "The payment is still being processed." */
  PENDING: 'processing',
  /** Manual capture: the card is pre-authorised; the merchant captures (or it is cancelled after 7 days). */
  AUTHORISED: 'authorized',
  /** "The payment was fulfilled by hi.health." */
  SETTLED: 'paid',
  /** "The payment was denied by hi.health." */
  DENIED: 'declined',
  CANCELLED: 'cancelled',
  /** The US spelling, in case the real API writes it so (the cancelled status itself is undocumented). */
  CANCELED: 'cancelled',
};

/**
 * Maps a status as hi.health sends it, through the merchant's `statuses` (upper-case keys) first. An unknown status is
 * read as `pending`: not final, so Kassa keeps asking rather than declaring a payment failed or paid on a value it does
 * not understand. The raw value is kept as sent.
 */
export function hidirectStatus(raw: string, configured: Readonly<Record<string, PaymentState>> = {}): StatusRead {
  const name = raw.trim().toUpperCase();
  const state = (Object.hasOwn(configured, name) ? configured[name] : undefined) ?? (Object.hasOwn(HIDIRECT_STATES, name) ? HIDIRECT_STATES[name] : undefined);
  return { state: state ?? 'pending', providerStatus: raw };
}
