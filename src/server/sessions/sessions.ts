/** `POST /session`: the order's amount from the merchant, its methods, and the short-lived token the browser pays with. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SessionResponse } from '../../core/model.ts';
import { readJsonBody } from '../http/body.ts';
import { jsonResponse } from '../http/problems.ts';
import type { OrderGuard } from '../payments/order-guard.ts';
import type { MethodRouter } from '../routing/router.ts';
import type { OrderResolver } from './orders.ts';
import type { Tokens } from './tokens.ts';

/** A BCP 47 language tag as the session answers it, e.g. `sv` or `de-CH`. */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const sessionBody = z.strictObject({
  order: z.string().min(1).max(128),
  locale: z.string().regex(LOCALE).max(35).optional(),
});

export class Sessions {
  constructor(
    private readonly deps: { tokens: Tokens; resolveOrder: OrderResolver; router: MethodRouter; guard: OrderGuard; maxBodyBytes: number },
  ) {}

  async create(request: Request): Promise<Response> {
    const body = await readJsonBody(request, sessionBody, this.deps.maxBodyBytes);
    const order = await this.deps.resolveOrder(body.order, request);
    await this.deps.guard.refuseIfPaid(order.reference);
    const methods = await this.deps.router.entries(order);
    const session = randomBytes(12).toString('base64url');
    const { token, expiresAt } = await this.deps.tokens.signSession({ order: order.reference, amount: order.amount, currency: order.currency, session });
    const locale = body.locale ?? preferredLocale(request.headers.get('accept-language'));
    const answer: SessionResponse = { token, order: order.reference, amount: order.amount, currency: order.currency, locale, methods, expiresAt: expiresAt.toISOString() };
    return jsonResponse(answer, 201);
  }
}

/** The first language of `Accept-Language` when it is a well-formed tag, else English. */
export function preferredLocale(header: string | null): string {
  const first = header?.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return first.length <= 35 && LOCALE.test(first) ? first : 'en';
}
