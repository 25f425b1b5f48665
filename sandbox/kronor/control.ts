/**
 * Kronor's own drills under the control API (the core has no room for them):
 * - `GET|POST /_sandbox/kronor/settings` `{cardCaptureMode: "automatic"|"manual"}` — whether a paid card stops at
 *   AUTHORIZED (a merchant setting at Kronor);
 * - `POST /_sandbox/kronor/expire-session` `{token}` — moves a session's expiry to now, so its token is refused and
 *   its websockets close, without waiting.
 */
import type { SandboxContext } from '../core/context.ts';
import { sendJson, type SandboxRequest } from '../core/http.ts';
import type { SessionTokens } from './auth.ts';
import type { CardCaptureMode } from './config.ts';
import type { KronorStore } from './state.ts';
import type { KronorSockets } from './websocket.ts';

const CAPTURE_MODES: readonly CardCaptureMode[] = ['automatic', 'manual'];

function body(req: SandboxRequest): Record<string, unknown> {
  const json = req.json();
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

export function registerControl(ctx: SandboxContext, deps: { store: KronorStore; tokens: SessionTokens; sockets: KronorSockets }): void {
  const settings = () => ({ cardCaptureMode: deps.store.cardCaptureMode });

  ctx.router.get('/_sandbox/kronor/settings', (_req, res) => sendJson(res, 200, settings()));

  ctx.router.post('/_sandbox/kronor/settings', (req, res) => {
    const mode = body(req).cardCaptureMode;
    if (!CAPTURE_MODES.includes(mode as CardCaptureMode)) {
      return sendJson(res, 400, { error: `cardCaptureMode must be one of ${CAPTURE_MODES.join(', ')}` });
    }
    deps.store.cardCaptureMode = mode as CardCaptureMode;
    sendJson(res, 200, settings());
  });

  ctx.router.post('/_sandbox/kronor/expire-session', async (req, res) => {
    const token = body(req).token;
    if (typeof token !== 'string') return sendJson(res, 400, { error: 'token must be a session token' });
    const verified = await deps.tokens.verify(token);
    const session = verified.ok ? deps.store.sessions.get(verified.sessionId) : undefined;
    if (!session) return sendJson(res, 404, { error: verified.ok ? 'no such session' : verified.message });
    session.expiresAtMs = Date.now();
    deps.sockets.expireSession(session.id);
    sendJson(res, 200, { sessionId: session.id, expiresAt: new Date(session.expiresAtMs).toISOString() });
  });
}
