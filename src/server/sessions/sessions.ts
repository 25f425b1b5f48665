/**
 * A checkout session: the order's amount from the merchant, its methods, and the short-lived token the browser pays
 * with. Opened by `POST /session` (JSON body), by `GET /session?order=…&locale=…` (the same, for a page that preloads
 * it with `<link rel="preload" as="fetch" crossorigin>`), or by the merchant's own server for the page it renders
 * (`kassa.sessionJson`), so the checkout has its methods without a request of its own.
 */
import { randomFillSync } from 'node:crypto';
import { z } from 'zod';
import { formatAmount } from '../../core/format.ts';
import type { SessionResponse } from '../../core/model.ts';
import { describe } from '../config.ts';
import { readJsonBody } from '../http/body.ts';
import { jsonTextAnswer, type Answer, type IncomingRequest } from '../http/exchange.ts';
import { HttpProblem } from '../http/problems.ts';
import type { OrderGuard } from '../payments/order-guard.ts';
import type { MethodRouter } from '../routing/router.ts';
import type { OrderResolver } from './orders.ts';
import type { Tokens } from './tokens.ts';

/** A BCP 47 language tag as the session answers it, e.g. `sv` or `de-CH`. */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** What `POST /session` (or the query of `GET /session`) asks for. */
export interface SessionRequest {
  order: string;
  locale?: string;
}

const sessionBody = z.strictObject({
  order: z.string().min(1).max(128),
  locale: z.string().regex(LOCALE).max(35).optional(),
});

/** What `sessionBody` accepts unchanged, checked without the schema: an object of `order` and, optionally, `locale`. */
export function isPlainSessionBody(value: unknown): value is SessionRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || (key !== 'order' && key !== 'locale')) return false;
    keys++;
  }
  const { order, locale } = value as { order?: unknown; locale?: unknown };
  if (typeof order !== 'string' || order.length < 1 || order.length > 128) return false;
  if (locale === undefined) return keys === 1 && 'order' in value;
  return keys === 2 && typeof locale === 'string' && locale.length <= 35 && LOCALE.test(locale);
}

/** A map emptied when full: its keys (languages, amounts) are the clients' choice. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max = 256) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.max) this.clear();
    return super.set(key, value);
  }
}

/** Formatters kept for sessions' amount texts. */
export class AmountFormats extends BoundedMap<string, Intl.NumberFormat> {}

export class Sessions {
  private readonly amountFormats = new AmountFormats();
  /** The texts themselves: a shop's sessions are for a few amounts in a few languages, and formatting costs more than a lookup. */
  private readonly amountTexts = new BoundedMap<string, string>(1024);

  /** Routing answers the same entries array while nothing changes: its JSON is written once per array. */
  private readonly methodsJson = new WeakMap<readonly unknown[], string>();
  private readonly sessionIds = new RandomIds(12);

  constructor(
    private readonly deps: { tokens: Tokens; resolveOrder: OrderResolver; router: MethodRouter; guard: OrderGuard; maxBodyBytes: number },
  ) {}

  /** `POST /session`. */
  async create(request: IncomingRequest): Promise<Answer> {
    const body = await readJsonBody(request, sessionBody, this.deps.maxBodyBytes, isPlainSessionBody);
    return jsonTextAnswer(this.json(await this.open(body, request.fetchRequest(), request.headers.get('accept-language'))), 201);
  }

  /** `GET /session?order=…&locale=…`: the same checks and answer as `POST`, from the query. */
  async read(request: IncomingRequest): Promise<Answer> {
    const input = sessionQuery(request.url.searchParams);
    return jsonTextAnswer(this.json(await this.open(input, request.fetchRequest(), request.headers.get('accept-language'))));
  }

  /**
   * For the merchant's server rendering the checkout page: the session `POST /session` would answer, as JSON safe
   * inside `<script type="application/json">`. `request` is what `resolveOrder` is given (the shopper's request to
   * the page, for its cookies); without one it gets a bare `GET` of the session route.
   */
  async forPage(order: string, options: { locale?: string; request?: Request; sessionUrl: string }): Promise<string> {
    const input = sessionQuery(new URLSearchParams({ order, ...(options.locale ? { locale: options.locale } : {}) }));
    const request = options.request ?? new Request(options.sessionUrl);
    return scriptSafeJson(await this.open(input, request, request.headers.get('accept-language')));
  }

  private async open(input: z.infer<typeof sessionBody>, request: Request, acceptLanguage: string | null): Promise<SessionResponse> {
    const order = await this.deps.resolveOrder(input.order, request);
    await this.deps.guard.refuseIfPaid(order.reference);
    const methods = await this.deps.router.entries(order);
    const session = this.sessionIds.next();
    const { token, expiresAt } = await this.deps.tokens.signSession({ order: order.reference, amount: order.amount, currency: order.currency, session });
    const locale = input.locale ?? preferredLocale(acceptLanguage);
    // For the first render only: formatting its first currency amount costs a phone's browser tens of ms.
    const textKey = `${locale}|${order.currency}|${order.amount}`;
    let amountText = this.amountTexts.get(textKey);
    if (amountText === undefined) this.amountTexts.set(textKey, (amountText = formatAmount(order.amount, order.currency, locale, this.amountFormats)));
    return { token, order: order.reference, amount: order.amount, currency: order.currency, amountText, locale, methods, expiresAt: expiresAt.toISOString() };
  }

  private json(session: SessionResponse): string {
    return sessionJson(session, this.methodsJson);
  }
}

/** `JSON.stringify(session)`, byte for byte, with the method list's JSON kept in `methodsJson` for the next session. */
export function sessionJson(session: SessionResponse, methodsJson: WeakMap<readonly unknown[], string>): string {
  let methods = methodsJson.get(session.methods);
  if (methods === undefined) methodsJson.set(session.methods, (methods = JSON.stringify(session.methods)));
  const { token, order, amount, currency, amountText, locale, expiresAt } = session;
  const text = amountText === undefined ? '' : `"amountText":${JSON.stringify(amountText)},`;
  return `{"token":${JSON.stringify(token)},"order":${JSON.stringify(order)},"amount":${JSON.stringify(amount)},"currency":${JSON.stringify(currency)},${text}"locale":${JSON.stringify(locale)},"methods":${methods},"expiresAt":${JSON.stringify(expiresAt)}}`;
}

/**
 * Random ids (base64url of `bytes` random bytes) cut from a pool filled a few hundred at a time: one call to the
 * system's generator per id cost more than the rest of the id.
 */
export class RandomIds {
  private readonly pool: Buffer;
  private offset: number;

  constructor(
    private readonly bytes: number,
    count = 256,
  ) {
    this.pool = Buffer.allocUnsafe(bytes * count);
    this.offset = this.pool.length;
  }

  next(): string {
    if (this.offset + this.bytes > this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const id = this.pool.toString('base64url', this.offset, this.offset + this.bytes);
    // Used bytes are overwritten, so no id can be read back from the pool later.
    this.pool.fill(0, this.offset, (this.offset += this.bytes));
    return id;
  }
}

/** The query's `order` and `locale`, checked as the JSON body is; any other parameter is refused, as in the body. */
export function sessionQuery(params: URLSearchParams): SessionRequest {
  const entries = [...params];
  const repeated = entries.find(([name], i) => entries.findIndex(([other]) => other === name) !== i);
  if (repeated) throw new HttpProblem('invalid-body', `${repeated[0]} is given twice`, repeated[0]);
  const parsed = sessionBody.safeParse(Object.fromEntries(entries));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path.map(String).join('.');
    throw new HttpProblem('invalid-body', describe(parsed.error), field || undefined);
  }
  return parsed.data;
}

/**
 * JSON that cannot end the `<script>` element it is written into (`</script>`, `<!--`) nor break a line in old
 * parsers (U+2028, U+2029): still the same JSON to `JSON.parse`.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The first language of `Accept-Language` when it is a well-formed tag, else English. */
export function preferredLocale(header: string | null): string {
  const first = header?.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return first.length <= 35 && LOCALE.test(first) ? first : 'en';
}
