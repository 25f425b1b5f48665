/**
 * What happens to a HiDirect payment over its life: creation (with its token), each status change with its signed
 * callback, the shopper's decisions, and the automatic cancel of an authorisation left uncaptured for 7 days. The
 * REST routes, the hosted checkout and the control API all go through here.
 */
import { UnknownPayment, type DecideResult, type SandboxContext } from '../core/context.ts';
import type { Outcome } from '../core/outcomes.ts';
import { Clock } from './clock.ts';
import { CANCELLED_STATUS, HASH_ALGORITHM, PROVIDER, SIGNATURE_FORMAT, TOKEN_TTL_MS, type HidirectStatus } from './config.ts';
import type { Keys, SignatureScheme } from './keys.ts';
import { authorisationLapsed, canDecide, decisionPath, PaymentStore, redirectFor, ulid, type NewPayment, type Payment } from './state.ts';
import { tokenClaims, webhookBody } from './views.ts';

const DEFAULT_SIGNATURE: SignatureScheme = { format: SIGNATURE_FORMAT, hashAlgorithm: HASH_ALGORITHM };

export class Lifecycle {
  readonly store = new PaymentStore();
  /** How callbacks are signed; a drill may pick another encoding or hash, as hi.health's headers allow. */
  signature: SignatureScheme = { ...DEFAULT_SIGNATURE };
  /** Callbacks of one payment go out one after another, so the merchant sees them in the order they happened. */
  private readonly deliveries = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly keys: Keys,
    readonly clock = new Clock(),
  ) {}

  async create(input: NewPayment): Promise<Payment> {
    const now = this.clock.now();
    const id = ulid(now);
    const expiresAt = now + TOKEN_TTL_MS;
    const token = await this.keys.signToken(tokenClaims(id, input, now, expiresAt));
    const payment = this.store.add(input, id, token, new Date(now), expiresAt);
    this.ctx.presets.attach(PROVIDER, id);
    // The "payment created (INITIAL)" callback must not hold up the API reply.
    void this.notify(payment);
    return payment;
  }

  /** The payment, after hi.health's own timer had its say (an authorisation may have lapsed meanwhile). */
  find(id: string): Payment | undefined {
    const payment = this.store.get(id);
    // The callback of an automatic cancel need not hold up whoever looked.
    if (payment) void this.expireIfLapsed(payment);
    return payment;
  }

  /** Every payment as it is now (see `find`). */
  all(): Payment[] {
    return this.store.all().map((payment) => {
      void this.expireIfLapsed(payment);
      return payment;
    });
  }

  get(id: string): Payment {
    const payment = this.find(id);
    if (!payment) throw new UnknownPayment(PROVIDER, id);
    return payment;
  }

  /**
   * Moves a payment to a status at once and sends its callback; the promise settles when the merchant answered
   * (or the delivery failed), so API replies need not wait for it while decisions do.
   */
  change(payment: Payment, status: HidirectStatus): Promise<unknown> {
    const now = this.clock.now();
    payment.status = status;
    payment.updatedAt = new Date(now).toISOString();
    if (status === 'AUTHORISED') payment.authorisedAt = now;
    // Once the payment has left INITIAL its checkout link is spent.
    if (status !== 'INITIAL') payment.tokenUsed = true;
    return this.notify(payment);
  }

  /**
   * Cancels an authorisation left uncaptured for 7 days, with its callback, as hi.health does on its own. Checked
   * whenever a payment is looked at and when a drill moves the clock, so no timer has to run for a week.
   */
  expireIfLapsed(payment: Payment): Promise<unknown> | undefined {
    return authorisationLapsed(payment, this.clock.now()) ? this.change(payment, CANCELLED_STATUS) : undefined;
  }

  /** Every lapsed authorisation cancelled; resolves once their callbacks were answered. Answers their ids. */
  async expireAllLapsed(): Promise<string[]> {
    const expired = this.store.all().filter((payment) => authorisationLapsed(payment, this.clock.now()));
    await Promise.all(expired.map((payment) => this.change(payment, CANCELLED_STATUS)));
    return expired.map((payment) => payment.id);
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
    this.clock.reset();
    this.signature = { ...DEFAULT_SIGNATURE };
  }

  private notify(payment: Payment): Promise<unknown> {
    const url = payment.merchantUrls.callback;
    if (!url) return Promise.resolve();
    // The body and its signature are fixed now: a later change must not rewrite a callback still waiting its turn.
    const body = webhookBody(payment);
    const headers = this.keys.webhookHeaders(body, this.signature);
    const send = () => this.ctx.webhooks.send({ provider: PROVIDER, paymentId: payment.id, url, body, headers });
    const delivery = (this.deliveries.get(payment.id) ?? Promise.resolve()).then(send);
    this.deliveries.set(payment.id, delivery);
    return delivery;
  }
}
