/**
 * Hero's own drills under the control API:
 * - `GET|POST /_sandbox/hero/settings` `{refundSettleMs}` — how long a refund stays in `pendingRefundAmount` before
 *   it counts in `refundedAmount` (INVENTED; 0 by default: refunds settle at once);
 * - `POST /_sandbox/hero/payments/{id}/settle-refunds` — settles the payment's pending refunds now, without waiting.
 *
 * Hero documents no notification for refunds, so neither drill calls redirectUri.
 */
import type { SandboxContext } from '../core/context.ts';
import { sendJson, type SandboxRequest } from '../core/http.ts';
import type { HeroStore } from './state.ts';

/** INVENTED bound: a day is longer than any drill needs. */
const MAX_SETTLE_MS = 24 * 60 * 60 * 1000;

function body(req: SandboxRequest): Record<string, unknown> {
  const json = req.json();
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

export function registerControl(ctx: SandboxContext, store: HeroStore): void {
  const settings = () => ({ refundSettleMs: store.refundSettleMs });

  ctx.router.get('/_sandbox/hero/settings', (_req, res) => sendJson(res, 200, settings()));

  ctx.router.post('/_sandbox/hero/settings', (req, res) => {
    const ms = body(req).refundSettleMs;
    if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0 || ms > MAX_SETTLE_MS) {
      return sendJson(res, 400, { error: `refundSettleMs must be a whole number of milliseconds from 0 to ${MAX_SETTLE_MS}` });
    }
    store.refundSettleMs = ms;
    sendJson(res, 200, settings());
  });

  ctx.router.post('/_sandbox/hero/payments/:id/settle-refunds', (req, res) => {
    const payment = store.get(req.params.id!);
    if (!payment) return sendJson(res, 404, { error: `hero has no payment ${req.params.id}` });
    const settled = store.settleRefunds(payment);
    sendJson(res, 200, { settled, ...store.infos(payment) });
  });
}
