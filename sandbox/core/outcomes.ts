/**
 * What a shopper does on a provider's hosted page, in one vocabulary for all five simulators. Each simulator maps
 * an outcome to its own final status (Hero `isSuccess`, MilkyPay `processed`, Kronor `PAID` …).
 */
export const OUTCOMES = ['pay', 'decline', 'cancel', 'expire', 'fail'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

/**
 * Outcomes set ahead of time through the control API: for "the next payment" of a provider, or for one payment.
 * A simulator calls `attach` when it creates a payment and `take` when the shopper reaches its hosted page; a
 * taken outcome is applied at once, as if the shopper had pressed that button.
 */
export class PresetOutcomes {
  private next = new Map<string, Outcome[]>();
  private byPayment = new Map<string, Outcome>();

  setNext(provider: string, outcome: Outcome): void {
    const queue = this.next.get(provider) ?? [];
    queue.push(outcome);
    this.next.set(provider, queue);
  }

  setFor(provider: string, paymentId: string, outcome: Outcome): void {
    this.byPayment.set(`${provider}:${paymentId}`, outcome);
  }

  /** Binds the oldest "next payment" outcome, if any, to a payment just created. */
  attach(provider: string, paymentId: string): void {
    const outcome = this.next.get(provider)?.shift();
    if (outcome) this.byPayment.set(`${provider}:${paymentId}`, outcome);
  }

  peek(provider: string, paymentId: string): Outcome | undefined {
    return this.byPayment.get(`${provider}:${paymentId}`);
  }

  take(provider: string, paymentId: string): Outcome | undefined {
    const key = `${provider}:${paymentId}`;
    const outcome = this.byPayment.get(key);
    this.byPayment.delete(key);
    return outcome;
  }

  reset(): void {
    this.next.clear();
    this.byPayment.clear();
  }
}
