/**
 * What happens to a HiDirect payment over its life: creation (with its token), each status change with its signed
 * callback, and the shopper's decisions. The REST routes, the hosted checkout and the control API all go through here.
 */
import { UnknownPayment, type DecideResult, type SandboxContext } from '../core/context.ts';
import type { Outcome } from '../core/outcomes.ts';
import { PROVIDER, TOKEN_TTL_MS, type HidirectStatus } from './config.ts';
import type { Keys } from './keys.ts';
import { canDecide, decisionPath, PaymentStore, redirectFor, ulid, type NewPayment, type Payment } from './state.ts';
import { tokenClaims, webhookBody } from './views.ts';

export class Lifecycle {
  readonly store = new PaymentStore();
  /** Callbacks of one payment go out one after another, so the merchant sees them in the order they happened. */
  private readonly deliveries = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly keys: Keys,
  ) {}

  async create(input: NewPayment): Promise<Payment> {
    const now = new Date();
    const id = ulid(now.getTime());
    const expiresAt = now.getTime() + TOKEN_TTL_MS;
    const token = await this.keys.signToken(tokenClaims(id, input, now.getTime(), expiresAt));
    const payment = this.store.add(input, id, token, now, expiresAt);
    this.ctx.presets.attach(PROVIDER, id);
    // The "payment created (INITIAL)" callback must not hold up the API reply.
    void this.notify(payment);
    return payment;
  }

  get(id: string): Payment {
    const payment = this.store.get(id);
    if (!payment) throw new UnknownPayment(PROVIDER, id);
    return payment;
  }

  /**
   * Moves a payment to a status at once and sends its callback; the promise settles when the merchant answered
   * (or the delivery failed), so API replies need not wait for it while decisions do.
   */
  change(payment: Payment, status: HidirectStatus): Promise<unknown> {
    payment.status = status;
    payment.updatedAt = new Date().toISOString();
    // Once the payment has left INITIAL its checkout link is spent.
    if (status !== 'INITIAL') payment.tokenUsed = true;
    return this.notify(payment);
  }

  async decide(id: string, outcome: Outcome): Promise<DecideResult> {
    const payment = this.get(id);
    if (!canDecide(payment.status, outcome)) throw new Error(`hidirect payment ${id} is ${payment.status}; ${outcome} is not possible`);
    for (const status of decisionPath(payment, outcome)) await this.change(payment, status);
    return { status: payment.status, redirectUrl: redirectFor(outcome, payment.merchantUrls) };
  }

  reset(): void {
    this.store.clear();
    this.deliveries.clear();
  }

  private notify(payment: Payment): Promise<unknown> {
    const url = payment.merchantUrls.callback;
    if (!url) return Promise.resolve();
    // The body is fixed now: a later status change must not rewrite a callback still waiting its turn.
    const body = webhookBody(payment);
    const send = () => this.ctx.webhooks.send({ provider: PROVIDER, paymentId: payment.id, url, body, headers: this.keys.webhookHeaders(body) });
    const delivery = (this.deliveries.get(payment.id) ?? Promise.resolve()).then(send);
    this.deliveries.set(payment.id, delivery);
    return delivery;
  }
}
