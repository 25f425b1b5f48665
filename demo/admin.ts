/**
 * The back office's after-sale operations: `POST /admin/payments/{ref}/capture|cancel|refund` with a JSON body
 * `{amount?, reason?, idempotencyKey?}` calls the endpoint's own server API (`kassa.payments.capture|cancel|refund`)
 * and answers the payment as Kassa read it back from the provider, or an `application/problem+json` error.
 *
 * Like `/admin/orders`, without authentication: a demo only. A real shop puts these routes behind its staff login;
 * here they take only `application/json` from the shop's own pages (a cross-site form cannot send that), which keeps
 * another site from refunding through a visitor's browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSettledForShopper, type PaymentState } from '../src/core/model.ts';
import { PROBLEMS, problemType, type ProblemCode } from '../src/core/problems.ts';
import type { KassaPayments } from '../src/server/handler.ts';

export type AdminOperation = 'capture' | 'cancel' | 'refund';
export const ADMIN_OPERATIONS: readonly AdminOperation[] = ['capture', 'cancel', 'refund'];

/** What the back office sends with an operation; amounts in minor units. */
export interface OperationRequest {
  amount?: number;
  reason?: string;
  idempotencyKey?: string;
}

/** The members each operation takes: anything else is refused, so a mistaken field is never silently ignored. */
const MEMBERS: Record<AdminOperation, ReadonlyArray<keyof OperationRequest>> = {
  capture: ['amount', 'idempotencyKey'],
  cancel: ['reason', 'idempotencyKey'],
  refund: ['amount', 'reason', 'idempotencyKey'],
};

export const MAX_REASON_LENGTH = 200;
/** As Kassa takes them (a UUID fits). */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
/** Far above any demo order; keeps the amount a safe integer whatever the currency. */
const MAX_AMOUNT = 1_000_000_000;
/** Bodies are a few short members. */
const MAX_BODY_BYTES = 4096;

export type ParsedRequest = { ok: true; request: OperationRequest } | { ok: false; detail: string; field?: string };

/**
 * The body of an operation request, checked: a JSON object with only the members the operation takes, `amount` a
 * positive integer (minor units), `reason` a string of at most 200 characters, `idempotencyKey` as Kassa takes it
 * (8 to 128 letters, digits or `_.:-`). Pure.
 */
export function parseOperationRequest(operation: AdminOperation, body: unknown): ParsedRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, detail: 'the body must be a JSON object' };
  const members = body as Record<string, unknown>;
  const allowed = MEMBERS[operation] as readonly string[];
  const unknown = Object.keys(members).find((name) => !allowed.includes(name));
  if (unknown !== undefined) return { ok: false, detail: `${operation} takes ${allowed.join(', ')}; not ${unknown}`, field: unknown };

  const request: OperationRequest = {};
  const { amount, reason, idempotencyKey } = members;
  if (amount !== undefined) {
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) {
      return { ok: false, detail: 'amount must be a positive whole number of minor units (cents, öre)', field: 'amount' };
    }
    request.amount = amount;
  }
  if (reason !== undefined) {
    if (typeof reason !== 'string') return { ok: false, detail: 'reason must be a string', field: 'reason' };
    if (reason.length > MAX_REASON_LENGTH) return { ok: false, detail: `reason must be at most ${MAX_REASON_LENGTH} characters`, field: 'reason' };
    // An empty reason is no reason.
    if (reason.trim()) request.reason = reason.trim();
  }
  if (idempotencyKey !== undefined) {
    if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      return { ok: false, detail: 'idempotencyKey must be 8 to 128 letters, digits or _ . : -', field: 'idempotencyKey' };
    }
    request.idempotencyKey = idempotencyKey;
  }
  return { ok: true, request };
}

/**
 * The operations the back office offers for a payment in `state`: capture an authorisation, cancel an authorisation
 * or an open payment, refund what was paid. Only what makes sense to show: the endpoint checks again, and the
 * provider decides. Pure.
 */
export function operationsFor(state: PaymentState): AdminOperation[] {
  if (state === 'authorized') return ['capture', 'cancel'];
  // Still open (not decided, not authorised): it can still be cancelled.
  if (!isSettledForShopper(state)) return ['cancel'];
  if (state === 'paid' || state === 'partially_refunded') return ['refund'];
  return [];
}

/** The route's parts: `/admin/payments/{ref}/{operation}`; undefined for any other path. */
export function operationRoute(path: string): { reference: string; operation: string } | undefined {
  const match = /^\/admin\/payments\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  try {
    return { reference: decodeURIComponent(match[1]!), operation: match[2]! };
  } catch {
    return undefined;
  }
}

/** An RFC 9457 problem, as Kassa's errors carry it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [member: string]: unknown;
}

/** The problem an error carries (Kassa's `OperationNotSupported` and `PaymentOperationError` do), if any. */
export function problemOf(error: unknown): Problem | undefined {
  const problem = (error as { problem?: unknown } | null)?.problem;
  if (typeof problem !== 'object' || problem === null) return undefined;
  const { type, title, status } = problem as Partial<Problem>;
  return typeof type === 'string' && typeof title === 'string' && Number.isInteger(status) && status! >= 400 && status! <= 599 ? (problem as Problem) : undefined;
}

/** The demo's own refusals, in the endpoint's problem vocabulary. */
function demoProblem(code: ProblemCode, detail?: string, field?: string): Problem {
  return { type: problemType(code), ...PROBLEMS[code], ...(detail ? { detail } : {}), ...(field ? { field } : {}) };
}

function sendProblem(res: ServerResponse, problem: Problem): void {
  res.writeHead(problem.status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(problem));
}

/** The endpoint's after-sale API, as the back office uses it. */
export type AfterSalePayments = Pick<KassaPayments, 'get' | 'capture' | 'cancel' | 'refund'>;

/**
 * Answers `POST /admin/payments/{ref}/{operation}` (`route` from `operationRoute`): the updated payment (200), or a
 * problem — 404 for an unknown operation or payment, 400/413/415 for a body the route does not take, and the
 * endpoint's own problem when it or the provider refuses (`operation-not-supported`, an amount above what is left, a
 * state that does not allow it).
 */
export async function answerOperation(
  req: IncomingMessage,
  res: ServerResponse,
  route: { reference: string; operation: string },
  payments: AfterSalePayments,
): Promise<void> {
  try {
    const operation = route.operation as AdminOperation;
    if (!ADMIN_OPERATIONS.includes(operation)) return sendProblem(res, demoProblem('not-found', `operations are ${ADMIN_OPERATIONS.join(', ')}`));
    // Browsers send Origin with every POST: one from another host than the page's is never the shop's back office.
    if (!sameOrigin(req)) return sendProblem(res, demoProblem('origin-not-allowed'));
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return sendProblem(res, demoProblem('unsupported-media-type'));
    const text = await readBody(req);
    if (text === undefined) return sendProblem(res, demoProblem('body-too-large', `at most ${MAX_BODY_BYTES} bytes`));
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return sendProblem(res, demoProblem('invalid-body', 'the body is not JSON'));
    }
    const parsed = parseOperationRequest(operation, body);
    if (!parsed.ok) return sendProblem(res, demoProblem('invalid-body', parsed.detail, parsed.field));
    if (!(await payments.get(route.reference))) return sendProblem(res, demoProblem('payment-not-found', `no payment ${route.reference}`));

    const { amount, reason, idempotencyKey } = parsed.request;
    const payment =
      operation === 'capture'
        ? await payments.capture(route.reference, { amount, idempotencyKey })
        : operation === 'cancel'
          ? await payments.cancel(route.reference, { reason, idempotencyKey })
          : await payments.refund(route.reference, { amount, reason, idempotencyKey });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(payment));
  } catch (error) {
    const problem = problemOf(error);
    if (problem) return sendProblem(res, problem);
    console.error(`demo: ${route.operation} ${route.reference}:`, error);
    if (res.headersSent) return void res.destroy();
    sendProblem(res, demoProblem('internal'));
  }
}

/** Whether the request came from one of the shop's own pages (or from no browser: no Origin header). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return URL.canParse(origin) && new URL(origin).host === req.headers.host;
}

/** The body as text, or undefined when it is larger than the route takes. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
