/**
 * The WhenThen simulator's own control routes, beside the shared ones.
 *
 * `POST /_sandbox/whenthen/clock {"offsetSeconds": n}` sets WhenThen's clock `n` seconds ahead of the host's
 * (negative: behind; 0 again on reset): the dates of payments made from then on, client tokens' expiry and the API's
 * `Date` header follow it, as they would with a provider whose clock is off.
 *
 * `POST
 * /_sandbox/whenthen/payments/{id}/age-authorisation {"days": n}` moves an AUTHORISED payment's authorisation `n`
 * days into the past, so a test can see it lapse (seed: cancelled after about seven days) without waiting. A payment
 * whose authorisation is now too old is cancelled at once, with its webhook, as WhenThen's own job would.
 */
import type { SandboxContext } from '../core/context.ts';
import { sendJson } from '../core/http.ts';
import { lapseAuthorisations } from './lifecycle.ts';
import type { WhenThenPayment, WhenThenStore } from './state.ts';

export const AGE_AUTHORISATION_PATH = '/_sandbox/whenthen/payments/:id/age-authorisation';
const MAX_DAYS = 366;
export const CLOCK_PATH = '/_sandbox/whenthen/clock';
/** A day either way: enough for any skew drill, small enough to keep dates sane. */
const MAX_CLOCK_OFFSET_SECONDS = 24 * 60 * 60;

export function registerControlRoutes(ctx: SandboxContext, store: WhenThenStore, notify: (payment: WhenThenPayment) => Promise<void>): void {
  ctx.router.post(CLOCK_PATH, (req, res) => {
    const offset = (req.json() as { offsetSeconds?: unknown } | undefined)?.offsetSeconds;
    if (typeof offset !== 'number' || !Number.isFinite(offset) || Math.abs(offset) > MAX_CLOCK_OFFSET_SECONDS) {
      return sendJson(res, 400, { error: `offsetSeconds must be a number from -${MAX_CLOCK_OFFSET_SECONDS} to ${MAX_CLOCK_OFFSET_SECONDS}` });
    }
    store.clockOffsetMs = Math.round(offset * 1000);
    sendJson(res, 200, { offsetSeconds: store.clockOffsetMs / 1000, now: new Date(store.now()).toISOString() });
  });

  ctx.router.post(AGE_AUTHORISATION_PATH, async (req, res) => {
    const payment = store.find(req.params.id!);
    if (!payment) return sendJson(res, 404, { error: `whenthen has no payment ${req.params.id}` });
    const days = (req.json() as { days?: unknown } | undefined)?.days;
    if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0 || days > MAX_DAYS) {
      return sendJson(res, 400, { error: `days must be a number above 0 and at most ${MAX_DAYS}` });
    }
    if (payment.status !== 'AUTHORISED' || payment.authorisedAt === null) {
      return sendJson(res, 409, { error: `payment ${payment.id} is ${payment.status}; only an AUTHORISED payment has an authorisation to age` });
    }
    payment.authorisedAt = new Date(Date.parse(payment.authorisedAt) - days * 24 * 60 * 60 * 1000).toISOString();
    for (const lapsed of lapseAuthorisations(store, store.now())) await notify(lapsed);
    sendJson(res, 200, { id: payment.id, status: payment.status, authorisedAt: payment.authorisedAt });
  });
}
