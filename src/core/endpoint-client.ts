/**
 * The browser's client for the merchant's Kassa endpoint (`POST /session`, `POST /payments`, `GET /payments/{ref}`).
 * Every failure becomes an `EndpointError` with a problem code the elements turn into a localized message; the raw
 * answer is never shown.
 */
import type { PaymentResponse, PaymentView, SessionResponse } from './model.ts';
import { problemCode, type ProblemCode } from './problem-codes.ts';

export type EndpointErrorCode = ProblemCode | 'network' | 'generic';

export class EndpointError extends Error {
  constructor(
    readonly code: EndpointErrorCode,
    readonly status: number,
    /** The field at fault, for validation problems (`fields.phone`). */
    readonly field?: string,
    /** The payment a problem names: for `order-already-paid`, the one that paid the order. */
    readonly payment?: string,
  ) {
    super(code);
    this.name = 'EndpointError';
  }
}

/** `/kassa` + `/session`, resolved against the page (the endpoint may be relative or on another origin). */
/** Kassa's payment references; anything else a problem names is ignored. */
const PAYMENT_REFERENCE = /^kp_[A-Za-z0-9_-]{20,40}$/;

export function endpointUrl(endpoint: string, path: string): string {
  return new URL(`${endpoint.replace(/\/+$/, '')}${path}`, document.baseURI).href;
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: 'same-origin', headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new EndpointError('network', 0);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.ok && body && typeof body === 'object') return body as T;
  const problem = (body ?? {}) as { type?: unknown; field?: unknown; payment?: unknown };
  const payment = typeof problem.payment === 'string' && PAYMENT_REFERENCE.test(problem.payment) ? problem.payment : undefined;
  throw new EndpointError(problemCode(problem.type) ?? 'generic', response.status, typeof problem.field === 'string' ? problem.field : undefined, payment);
}

/**
 * Opens a session: `POST /session`, or — when the page preloads the session (`<link rel="preload" as="fetch"
 * crossorigin href="{endpoint}/session?order=…">`) — a `GET` of exactly that URL, which the browser answers from
 * the preload instead of asking again.
 */
export function openSession(endpoint: string, order: string, options: { locale?: string; signal?: AbortSignal } = {}): Promise<SessionResponse> {
  const preloaded = preloadedSessionUrl(endpoint, order);
  if (preloaded) return call(preloaded, { method: 'GET', signal: options.signal });
  const body: Record<string, string> = { order };
  if (options.locale) body.locale = options.locale;
  return call(endpointUrl(endpoint, '/session'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: options.signal,
  });
}

/** The href of the page's session preload for this endpoint and order, if there is one. */
function preloadedSessionUrl(endpoint: string, order: string): string | undefined {
  const session = endpointUrl(endpoint, '/session');
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel~="preload"][as="fetch"][href]')) {
    const url = new URL(link.href);
    if (`${url.origin}${url.pathname}` === session && url.searchParams.get('order') === order) return link.href;
  }
  return undefined;
}

export interface StartPaymentInput {
  token: string;
  method: string;
  fields?: Record<string, string>;
  /** One per click: a retry of the same click sends the same key, so the shopper never pays twice. */
  idempotencyKey: string;
  /**
   * The page the shopper chose the method on, for a provider's "back to the choice of method" link; the current
   * page by default. The endpoint keeps it only on an origin the merchant allowed.
   */
  checkoutUrl?: string;
  signal?: AbortSignal;
}

export function startPayment(endpoint: string, input: StartPaymentInput): Promise<PaymentResponse> {
  return call(endpointUrl(endpoint, '/payments'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': input.idempotencyKey },
    body: JSON.stringify({
      token: input.token,
      method: input.method,
      ...(input.fields ? { fields: input.fields } : {}),
      ...checkoutPage(input.checkoutUrl),
    }),
    signal: input.signal,
  });
}

export function readPayment(endpoint: string, reference: string, signal?: AbortSignal): Promise<PaymentView> {
  return call(endpointUrl(endpoint, `/payments/${encodeURIComponent(reference)}`), { method: 'GET', signal });
}

export function paymentEventsUrl(endpoint: string, reference: string): string {
  return endpointUrl(endpoint, `/payments/${encodeURIComponent(reference)}/events`);
}

/** The endpoint takes checkout page URLs up to this length; a longer one is left out rather than refused. */
const MAX_CHECKOUT_URL_LENGTH = 2048;

/** The checkout page without its fragment; nothing outside a page (a worker, a server render). */
function checkoutPage(given: string | undefined): { checkoutUrl?: string } {
  const page = (given ?? globalThis.location?.href)?.split('#')[0];
  return page && /^https?:/.test(page) && page.length <= MAX_CHECKOUT_URL_LENGTH ? { checkoutUrl: page } : {};
}

/** A fresh idempotency key for one click. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
