/**
 * hi.health's own drills under the control API (the core has no room for them):
 * - `GET|POST /_sandbox/hidirect/clock` `{advanceMs}` — moves the simulator's clock forward, so an authorisation left
 *   uncaptured for 7 days is cancelled (with its callback) and a checkout token expires, without waiting; answers
 *   `{now, offsetMs, cancelled}` with the ids the move cancelled.
 * - `GET|POST /_sandbox/hidirect/settings` `{signatureFormat, hashAlgorithm}` — how callbacks are signed and encoded,
 *   within what hi.health's two headers can name.
 */
import type { SandboxContext } from '../core/context.ts';
import { sendJson, type SandboxRequest } from '../core/http.ts';
import { HASH_ALGORITHMS, SIGNATURE_FORMATS, type HashAlgorithm, type SignatureFormat } from './config.ts';
import type { Lifecycle } from './lifecycle.ts';

function body(req: SandboxRequest): Record<string, unknown> {
  const json = req.json();
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

export function registerControl(ctx: SandboxContext, lifecycle: Lifecycle): void {
  const clock = (cancelled: string[] = []) => ({
    now: new Date(lifecycle.clock.now()).toISOString(),
    offsetMs: lifecycle.clock.offset,
    cancelled,
  });
  const settings = () => ({ signatureFormat: lifecycle.signature.format, hashAlgorithm: lifecycle.signature.hashAlgorithm });

  ctx.router.get('/_sandbox/hidirect/clock', (_req, res) => sendJson(res, 200, clock()));

  ctx.router.post('/_sandbox/hidirect/clock', async (req, res) => {
    const advanceMs = body(req).advanceMs;
    if (typeof advanceMs !== 'number' || !Number.isSafeInteger(advanceMs) || advanceMs < 0) {
      return sendJson(res, 400, { error: 'advanceMs must be a whole number of milliseconds, 0 or more' });
    }
    lifecycle.clock.advance(advanceMs);
    // Answered once the merchant heard of every automatic cancel, so a test can look for the callback at once.
    sendJson(res, 200, clock(await lifecycle.expireAllLapsed()));
  });

  ctx.router.get('/_sandbox/hidirect/settings', (_req, res) => sendJson(res, 200, settings()));

  ctx.router.post('/_sandbox/hidirect/settings', (req, res) => {
    const { signatureFormat = lifecycle.signature.format, hashAlgorithm = lifecycle.signature.hashAlgorithm } = body(req);
    if (!SIGNATURE_FORMATS.includes(signatureFormat as SignatureFormat)) {
      return sendJson(res, 400, { error: `signatureFormat must be one of ${SIGNATURE_FORMATS.join(', ')}` });
    }
    if (!HASH_ALGORITHMS.includes(hashAlgorithm as HashAlgorithm)) {
      return sendJson(res, 400, { error: `hashAlgorithm must be one of ${HASH_ALGORITHMS.join(', ')}` });
    }
    lifecycle.signature = { format: signatureFormat as SignatureFormat, hashAlgorithm: hashAlgorithm as HashAlgorithm };
    sendJson(res, 200, settings());
  });
}
