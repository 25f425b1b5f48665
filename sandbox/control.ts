/**
 * The sandbox's control API (`/_sandbox/…`) for tests, demos and fault drills, and the small HTML panel at
 * `/_sandbox/` that lists every payment with links to its hosted page and buttons for every outcome.
 */
import { PROVIDERS, UnknownPayment, type ProviderName, type SandboxContext, type Simulator } from './core/context.ts';
import { START_OPERATION, type FaultInput } from './core/faults.ts';
import { escapeHtml, redirect, sendHtml, sendJson, type SandboxRequest } from './core/http.ts';
import { formatAmount } from './core/money.ts';
import { isOutcome, OUTCOMES } from './core/outcomes.ts';

export type RequestLog = Array<{ provider: ProviderName; operation: string; at: string }>;

function isProvider(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}

function body(req: SandboxRequest): Record<string, unknown> {
  const json = req.json();
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

export function registerControlApi(ctx: SandboxContext, simulators: Record<ProviderName, Simulator>, requests: RequestLog): void {
  const { router } = ctx;

  const simulatorFor = (name: string): Simulator | undefined => (isProvider(name) ? simulators[name] : undefined);

  router.get('/_sandbox/health', (_req, res) => sendJson(res, 200, { ok: true, providers: PROVIDERS }));

  router.post('/_sandbox/reset', (_req, res) => {
    for (const sim of Object.values(simulators)) sim.reset();
    ctx.faults.clear();
    ctx.webhooks.reset();
    ctx.presets.reset();
    requests.length = 0;
    sendJson(res, 200, { reset: true });
  });

  router.get('/_sandbox/payments', (req, res) => {
    const provider = req.url.searchParams.get('provider');
    if (provider !== null && !isProvider(provider)) return sendJson(res, 400, { error: `unknown provider ${provider}` });
    const list = (provider ? [simulators[provider]] : Object.values(simulators)).flatMap((s) => s.payments());
    sendJson(res, 200, { payments: list });
  });

  router.post('/_sandbox/payments/:provider/:id/outcome', async (req, res) => {
    const sim = simulatorFor(req.params.provider!);
    if (!sim) return sendJson(res, 404, { error: `unknown provider ${req.params.provider}` });
    const outcome = body(req).outcome;
    if (!isOutcome(outcome)) return sendJson(res, 400, { error: `outcome must be one of ${OUTCOMES.join(', ')}` });
    try {
      sendJson(res, 200, await sim.decide(req.params.id!, outcome));
    } catch (error) {
      answerError(res, error);
    }
  });

  router.post('/_sandbox/payments/:provider/:id/status', async (req, res) => {
    const sim = simulatorFor(req.params.provider!);
    if (!sim) return sendJson(res, 404, { error: `unknown provider ${req.params.provider}` });
    const status = body(req).status;
    if (typeof status !== 'string' || !sim.statuses.includes(status)) {
      return sendJson(res, 400, { error: `status must be one of ${sim.statuses.join(', ')}` });
    }
    try {
      await sim.setStatus(req.params.id!, status);
      sendJson(res, 200, { status });
    } catch (error) {
      answerError(res, error);
    }
  });

  /** `{provider, outcome}` for the provider's next payment, or `{provider, outcome, paymentId}` for one payment. */
  router.post('/_sandbox/outcomes', (req, res) => {
    const { provider, outcome, paymentId } = body(req);
    if (!isProvider(provider)) return sendJson(res, 400, { error: `provider must be one of ${PROVIDERS.join(', ')}` });
    if (!isOutcome(outcome)) return sendJson(res, 400, { error: `outcome must be one of ${OUTCOMES.join(', ')}` });
    if (paymentId !== undefined && typeof paymentId !== 'string') return sendJson(res, 400, { error: 'paymentId must be a string' });
    if (paymentId) ctx.presets.setFor(provider, paymentId, outcome);
    else ctx.presets.setNext(provider, outcome);
    sendJson(res, 200, { provider, outcome, paymentId: paymentId ?? null });
  });

  router.get('/_sandbox/faults', (_req, res) => sendJson(res, 200, { faults: ctx.faults.list() }));

  router.post('/_sandbox/faults', (req, res) => {
    const input = body(req);
    if (!isProvider(input.provider)) return sendJson(res, 400, { error: `provider must be one of ${PROVIDERS.join(', ')}` });
    for (const key of ['status', 'latencyMs', 'times'] as const) {
      if (input[key] !== undefined && (typeof input[key] !== 'number' || !Number.isInteger(input[key]) || (input[key] as number) < 0)) {
        return sendJson(res, 400, { error: `${key} must be a non-negative integer` });
      }
    }
    if (input.operation !== undefined && typeof input.operation !== 'string') return sendJson(res, 400, { error: 'operation must be a string' });
    try {
      sendJson(res, 201, { fault: ctx.faults.add(input as unknown as FaultInput) });
    } catch (error) {
      sendJson(res, 400, { error: (error as Error).message });
    }
  });

  /**
   * `{provider, status?}`: the provider's next payment start is answered `status` (500 by default), every retry of it
   * too, so an endpoint cannot retry past it — what the demo's "next payment start fails" button arms.
   */
  router.post('/_sandbox/faults/next-payment-start', (req, res) => {
    const { provider, status = 500 } = body(req);
    if (!isProvider(provider)) return sendJson(res, 400, { error: `provider must be one of ${PROVIDERS.join(', ')}` });
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
      return sendJson(res, 400, { error: 'status must be an HTTP error status (400 to 599)' });
    }
    sendJson(res, 201, { fault: ctx.faults.add({ provider, operation: START_OPERATION, kind: 'error', status, times: 1, per: 'payment' }) });
  });

  router.delete('/_sandbox/faults', (req, res) => {
    const provider = req.url.searchParams.get('provider') ?? undefined;
    ctx.faults.clear(provider);
    sendJson(res, 200, { cleared: true });
  });

  router.post('/_sandbox/:provider/drop-connections', (req, res) => {
    const sim = simulatorFor(req.params.provider!);
    if (!sim) return sendJson(res, 404, { error: `unknown provider ${req.params.provider}` });
    sendJson(res, 200, { closed: sim.dropConnections?.() ?? 0 });
  });

  router.get('/_sandbox/webhooks', (req, res) => {
    sendJson(res, 200, { webhooks: ctx.webhooks.list(req.url.searchParams.get('provider') ?? undefined) });
  });

  router.get('/_sandbox/requests', (req, res) => {
    const provider = req.url.searchParams.get('provider');
    const operation = req.url.searchParams.get('operation');
    const list = requests.filter((r) => (!provider || r.provider === provider) && (!operation || r.operation === operation));
    sendJson(res, 200, { count: list.length, requests: list });
  });

  // The panel: a page a person can use to make any outcome happen while trying the demo.
  router.get('/_sandbox', (_req, res) => sendHtml(res, 200, renderPanel(Object.values(simulators))));
  router.get('/_sandbox/', (_req, res) => sendHtml(res, 200, renderPanel(Object.values(simulators))));
  router.post('/_sandbox/panel/:provider/:id', async (req, res) => {
    const sim = simulatorFor(req.params.provider!);
    const outcome = req.form().get('outcome');
    if (sim && isOutcome(outcome)) {
      try {
        await sim.decide(req.params.id!, outcome);
      } catch {
        // The panel simply shows the payment's state again; a refused move leaves it unchanged.
      }
    }
    redirect(res, '/_sandbox/');
  });
}

function answerError(res: Parameters<typeof sendJson>[0], error: unknown): void {
  if (error instanceof UnknownPayment) return sendJson(res, 404, { error: error.message });
  sendJson(res, 409, { error: error instanceof Error ? error.message : String(error) });
}

function renderPanel(simulators: Simulator[]): string {
  const rows = simulators
    .flatMap((s) => s.payments())
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((p) => {
      const page = p.pageUrl ? `<a href="${escapeHtml(p.pageUrl)}">hosted page</a>` : '';
      const buttons = OUTCOMES.map((o) => `<button name="outcome" value="${o}">${o}</button>`).join(' ');
      return `<tr><td>${escapeHtml(p.provider)}</td><td><code>${escapeHtml(p.id)}</code></td><td>${escapeHtml(p.reference ?? '')}</td>
<td>${escapeHtml(formatAmount(p.amount, p.currency))}</td><td>${escapeHtml(p.status)}</td><td>${page}</td>
<td><form method="post" action="/_sandbox/panel/${escapeHtml(p.provider)}/${encodeURIComponent(p.id)}">${buttons}</form></td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kassa sandbox</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style>
</head><body><h1>Kassa sandbox</h1>
<p>Every payment made against the simulated providers. Open its hosted page, or make any outcome happen here.</p>
<table><thead><tr><th>provider</th><th>id</th><th>reference</th><th>amount</th><th>status</th><th></th><th>outcome</th></tr></thead>
<tbody>${rows || '<tr><td colspan="7">No payments yet.</td></tr>'}</tbody></table></body></html>`;
}
