/**
 * `POST /payments`: one click becomes at most one payment. The click's `Idempotency-Key` (with the session) is claimed
 * in the store before the provider is called; a retry, a double click or a reload replays the first answer.
 */
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import type { PaymentMethod, PaymentRoute, ProviderName } from '../../core/model.ts';
import { matchesSafePattern } from '../../core/safe-pattern.ts';
import { isAllowedUrl } from '../../core/url-safety.ts';
import { readJsonBody } from '../http/body.ts';
import type { Answer, IncomingRequest } from '../http/exchange.ts';
import { HttpProblem, problemParts } from '../http/problems.ts';
import { ProviderRefused, ProviderUnavailable, type CreatedPayment, type ProviderAdapter } from '../provider.ts';
import type { Adapters } from '../providers.ts';
import type { ProviderHealth } from '../routing/health.ts';
import type { Orphans, UnansweredCreate } from '../routing/orphans.ts';
import type { ClickRoute, MethodRouter } from '../routing/router.ts';
import { fieldsForCandidate } from '../routing/rules.ts';
import type { OrderResolver } from '../sessions/orders.ts';
import { TokenInvalid, type Tokens } from '../sessions/tokens.ts';
import type { KassaStore, PaymentRecord, StoredResponse } from '../stores/store.ts';
import type { Ledger } from './ledger.ts';
import type { OrderGuard } from './order-guard.ts';
import { returnPageFor, view } from './records.ts';

const paymentBody = z.strictObject({
  token: z.string().min(1).max(4096),
  method: z.string().min(3).max(128),
  fields: z.record(z.string().max(64), z.string().max(256)).optional(),
  /** Optional: when sent it must be the token's order (a token cannot be replayed for another order). */
  order: z.string().min(1).max(128).optional(),
  /** The checkout page's URL (`location.href`), for a provider's "back to the choice of method" link. */
  checkoutUrl: z.string().max(2048).optional(),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
/** The longest wait passed on from a provider's `Retry-After`: a shopper is not told to wait longer than this. */
const MAX_RETRY_AFTER_SECONDS = 60;

export interface PaymentsDeps {
  store: KassaStore;
  ledger: Ledger;
  guard: OrderGuard;
  onError: (error: unknown, context: string) => void;
  adapters: Adapters;
  tokens: Tokens;
  resolveOrder: OrderResolver;
  router: MethodRouter;
  health: ProviderHealth;
  orphans: Orphans;
  secret: string;
  maxBodyBytes: number;
  providerTimeoutMs: number;
  /** How long the answer to a click is kept for its retries. */
  paymentTtlSeconds: number;
  /** The merchant's return page; the payment's reference is added to it. */
  returnUrl: string;
  /** The endpoint's public base URL for this request (webhooks and returns). */
  publicBase: (url: URL) => string;
  /** Origins allowed to call the endpoint from a browser: a checkout page sent by the browser must be on one. */
  allowedOrigins: string[];
}

export class Payments {
  constructor(private readonly deps: PaymentsDeps) {}

  private unavailable(thrown: unknown, adapter: ProviderAdapter, signal: AbortSignal | undefined, stage: string): unknown {
    return asUnanswered(thrown, adapter, signal, stage);
  }

  async create(request: IncomingRequest, url: URL, client?: { knownAddress(): string | undefined }): Promise<Answer> {
    const { store, providerTimeoutMs } = this.deps;
    const idempotencyKey = request.headers.get('idempotency-key');
    if (!idempotencyKey) throw new HttpProblem('idempotency-key-required');
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw new HttpProblem('invalid-body', 'Idempotency-Key must be 8–128 letters, digits or _ . : -', 'Idempotency-Key');
    const body = await readJsonBody(request, paymentBody, this.deps.maxBodyBytes);
    const claims = await verify(() => this.deps.tokens.verifySession(body.token));
    if (body.order !== undefined && body.order !== claims.order) throw new HttpProblem('token-mismatch', 'the token was issued for another order');

    const key = `${claims.session}:${idempotencyKey}`;
    const fingerprint = sha256(JSON.stringify([body.method, Object.entries(body.fields ?? {}).sort()]));
    // A click may try several providers in turn: its duplicates wait as long as it may take.
    const claim = await store.claimIdempotency(key, fingerprint, providerTimeoutMs * 8);
    if (claim.kind === 'replay') return replay(claim.response);
    if (claim.kind === 'conflict') throw new HttpProblem('idempotency-conflict');

    let adapter: ProviderAdapter | undefined;
    /** How far the request got: from `creating` on, the provider may have made a payment for this key. */
    let stage: 'checking' | 'creating' | 'created' = 'checking';
    let createSignal: AbortSignal | undefined;
    /** Providers that may hold a payment for this click after a create that went unanswered. */
    const unanswered: UnansweredCreate[] = [];
    try {
      const order = await this.deps.resolveOrder(claims.order, request.fetchRequest());
      if (order.amount !== claims.amount || order.currency !== claims.currency) {
        throw new HttpProblem('token-mismatch', 'the order changed since the session started; start a new session');
      }
      await this.deps.guard.refuseIfPaid(order.reference);
      const route = await this.deps.router.route(order, body.method);
      if (!route) throw new HttpProblem('unknown-method', `${body.method} is not available for this order`, 'method');
      const given = body.fields ?? {};
      checkKnownFields(route, given);

      const baseReference = `kp_${createHmac('sha256', this.deps.secret).update(key).digest('base64url').slice(0, 24)}`;
      const base = this.deps.publicBase(url);
      const checkoutUrl = checkoutPage(body.checkoutUrl, this.deps.allowedOrigins, this.deps.returnUrl);
      const failed: ProviderName[] = [];
      let fieldProblem: HttpProblem | undefined;
      let made: { method: PaymentMethod; reference: string; created: CreatedPayment } | undefined;
      for (const [index, method] of route.candidates.entries()) {
        const candidate = this.deps.adapters.get(method.provider);
        if (!candidate) continue;
        // Each candidate is checked against its own fields: one whose required inputs the shopper did not give is skipped.
        let fields: Record<string, string> | undefined;
        try {
          fields = checkFields(method, fieldsForCandidate(method, given, route.candidates.map((m) => m.fields)) ?? given);
        } catch (problem) {
          if (!(problem instanceof HttpProblem)) throw problem;
          fieldProblem ??= problem;
          continue;
        }
        const last = index === route.candidates.length - 1;
        if (!route.direct && !(await this.deps.health.admit(method.provider, 'create'))) {
          failed.push(method.provider);
          continue;
        }
        // The first provider keeps the click's reference; each fallback gets its own, so the providers never share one.
        const reference = index === 0 ? baseReference : derivedReference(this.deps.secret, key, method.provider);
        adapter = candidate;
        stage = 'creating';
        // A provider that hangs is given up sooner when another can take the click.
        createSignal = AbortSignal.timeout(providerTimeoutMs * (last ? 4 : 2));
        try {
          const created = await candidate.createPayment({
            reference,
            order,
            method,
            fields,
            returnUrl: returnPageFor(this.deps.returnUrl, reference),
            endpointReturnUrl: `${base}/return/${reference}`,
            webhookUrl: `${base}/webhooks/${candidate.name}`,
            idempotencyKey: reference,
            ...optional('checkoutUrl', checkoutUrl),
            ...optional('shopperIp', client?.knownAddress()),
            signal: createSignal,
          });
          stage = 'created';
          void this.deps.health.succeeded(method.provider, 'create');
          made = { method, reference, created };
          break;
        } catch (thrown) {
          const error = this.unavailable(thrown, candidate, createSignal, stage);
          if (!(error instanceof ProviderUnavailable)) throw error;
          void this.deps.health.failed(method.provider, 'create');
          // The click goes on only when what this provider may have made can never be paid: nothing was made, the
          // shopper was given nothing that could reach it, or Kassa can find it afterwards and cancel it.
          const madeNothing = error.provablyNotProcessed;
          const goOn = !route.direct && !last && (madeNothing || !(method.fields?.length) || this.deps.orphans.canFind(method.provider));
          if (!goOn) throw error;
          if (!madeNothing) unanswered.push({ provider: method.provider, reference, method, order, session: claims.session, replacedBy: '' });
          failed.push(method.provider);
          stage = 'checking';
          adapter = undefined;
        }
      }
      if (!made) {
        if (fieldProblem && !failed.length) throw fieldProblem;
        throw new HttpProblem('method-unavailable', `no provider can take ${body.method} right now`, 'method');
      }
      checkAction(adapter!, made.created.action);
      const routeTaken: PaymentRoute = route.direct ? 'direct' : failed.length ? 'fallback' : 'first-choice';
      const now = new Date().toISOString();
      const { created, method, reference } = made;
      const record = await this.deps.ledger.create({
        reference,
        provider: method.provider,
        method: method.id,
        order: order.reference,
        amount: order.amount,
        currency: order.currency,
        session: claims.session,
        providerPaymentId: created.providerPaymentId,
        state: created.state,
        providerStatus: created.providerStatus,
        action: created.action,
        data: created.data,
        route: routeTaken,
        ...(failed.length ? { fallbackFrom: failed } : {}),
        createdAt: now,
        updatedAt: now,
      });
      for (const create of unanswered) this.deps.orphans.watch({ ...create, replacedBy: reference });
      // The order's earlier attempts still open are cancelled where their provider can (not waited for).
      this.deps.guard.cancelEarlierAttempts(record).catch((error: unknown) => this.deps.onError(error, `cancelling the earlier attempts of order ${record.order}`));
      const response = stored(201, { payment: view(record), action: created.action });
      await store.finishIdempotency(key, response, this.deps.paymentTtlSeconds * 1000);
      return replay(response);
    } catch (thrown) {
      const error = adapter ? this.unavailable(thrown, adapter, createSignal, stage) : thrown;
      const problem = toProblem(error);
      // A failure that may pass is released so a retry with the same key runs again — unless a payment may exist for
      // the key at a provider that would make a second one (Hero, hi.health): a create that went unanswered (timeout,
      // 5xx) may have happened, so the same key keeps answering this problem and never pays twice. A create the
      // provider provably did not process (429, connection refused) made nothing, so it may be asked again.
      const transient = problem.code === 'provider-unavailable' || problem.code === 'method-unavailable' || problem.code === 'rate-limited' || problem.code === 'internal';
      const paymentMayExist = stage === 'created' || (stage === 'creating' && error instanceof ProviderUnavailable && !error.provablyNotProcessed);
      // Providers passed over after an unanswered create are all ones that can be asked again for the same payment.
      const earlierMayExist = unanswered.some((create) => this.deps.adapters.get(create.provider)?.createIsIdempotent !== true);
      const release = transient && !earlierMayExist && (adapter?.createIsIdempotent === true || !paymentMayExist);
      if (release) await store.finishIdempotency(key, null, 0);
      else await store.finishIdempotency(key, problemParts(problem), this.deps.paymentTtlSeconds * 1000);
      if (problem.code === 'internal') throw error;
      throw problem;
    }
  }
}

/** The create's overall deadline surfaces as an abort from whichever call was running: the provider may have made the payment, exactly as when a single call goes unanswered. */
function asUnanswered(thrown: unknown, adapter: ProviderAdapter, signal: AbortSignal | undefined, stage: string): unknown {
  const deadlinePassed = stage === 'creating' && signal?.aborted === true && isAbort(thrown);
  return deadlinePassed ? new ProviderUnavailable(`${adapter.name}: no answer before the create's deadline`) : thrown;
}

/** A fallback's reference: its own for the click and provider, derived as the first one is. */
function derivedReference(secret: string, key: string, provider: ProviderName): string {
  return `kp_${createHmac('sha256', secret).update(`${key}:${provider}`).digest('base64url').slice(0, 24)}`;
}

/** Every input the browser sent must be a field of some provider the click may go to. */
function checkKnownFields(route: ClickRoute, given: Record<string, string>): void {
  const known = new Set(route.candidates.flatMap((m) => (m.fields ?? []).map((f) => f.key)));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw new HttpProblem('invalid-fields', `${route.candidates[0]?.id} has no field ${key}`, `fields.${key}`);
  }
}

/**
 * The checkout page the browser named, kept only when it is an http(s) page on an origin the merchant allowed (or
 * the return page's): a provider's "back" link must not become a way to send shoppers elsewhere.
 */
export function checkoutPage(value: string | undefined, allowedOrigins: readonly string[], returnUrl: string): string | undefined {
  if (!value || !URL.canParse(value)) return undefined;
  const page = new URL(value);
  if (page.protocol !== 'https:' && page.protocol !== 'http:') return undefined;
  if (page.username || page.password) return undefined;
  const trusted = page.origin === new URL(returnUrl).origin || allowedOrigins.includes(page.origin);
  return trusted ? page.href : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The shopper's inputs checked against the method's own fields (patterns run in linear time); other keys are dropped. */
function checkFields(method: PaymentMethod, given: Record<string, string>): Record<string, string> {
  const known = new Map((method.fields ?? []).map((f) => [f.key, f]));
  const fields: Record<string, string> = {};
  for (const field of known.values()) {
    const value = given[field.key]?.trim() ?? '';
    if (!value) {
      if (field.required) throw new HttpProblem('invalid-fields', `${field.key} is required`, `fields.${field.key}`);
      continue;
    }
    if (!matchesSafePattern(field.pattern, value)) throw new HttpProblem('invalid-fields', `${field.key} is not valid`, `fields.${field.key}`);
    fields[field.key] = value;
  }
  return fields;
}

/** Every URL a browser will be sent to must be on the provider's allow-list. */
function checkAction(adapter: ProviderAdapter, action: PaymentRecord['action']): void {
  const urls: unknown[] = [];
  if (action.type === 'redirect' || action.type === 'form') urls.push(action.url);
  if (action.type === 'kronor') urls.push(action.httpUrl, action.wsUrl.replace(/^ws/, 'http'));
  if (action.type === 'qr' && action.deepLink && !/^(swish|mobilepay|vipps):/.test(action.deepLink)) urls.push(action.deepLink);
  for (const target of urls) {
    if (!isAllowedUrl(target, adapter.redirectHosts)) {
      throw new HttpProblem('unsafe-redirect', `${adapter.name} answered with a next step to a host that is not on its allow-list`);
    }
  }
}

async function verify<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof TokenInvalid) throw new HttpProblem('invalid-token', error.message);
    throw error;
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ProviderRefused) return new HttpProblem('provider-refused', error.message, error.field);
  if (error instanceof ProviderUnavailable) {
    // The provider's own Retry-After (a 429's, a 503's) tells the browser when trying again may help.
    const wait = error.retryAfterSeconds;
    return new HttpProblem('provider-unavailable', undefined, undefined, wait === undefined ? {} : { 'retry-after': String(Math.min(wait, MAX_RETRY_AFTER_SECONDS)) });
  }
  return new HttpProblem('internal');
}

function stored(status: number, body: unknown): StoredResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function replay(response: StoredResponse): Answer {
  return { status: response.status, headers: { ...response.headers, 'cache-control': 'no-store' }, body: response.body };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
