/**
 * Sends the providers' webhooks and callbacks and keeps every one, with its exact body and headers, so tests can
 * verify signatures and count deliveries through `GET /_sandbox/webhooks`. Every simulator sends through here, so a
 * `drop` fault (`POST /_sandbox/faults {provider, operation: 'webhook', kind: 'drop'}`) withholds a provider's
 * webhooks in one place: nothing reaches the receiver and nothing is kept.
 */
import type { Faults } from './faults.ts';

export interface WebhookDelivery {
  id: number;
  provider: string;
  paymentId: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The raw body as sent (signatures are computed over these exact bytes). */
  body: string;
  sentAt: string;
  /** The receiver's HTTP status, or null when the delivery failed. */
  status: number | null;
  error: string | null;
}

export interface WebhookInput {
  provider: string;
  paymentId: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** Receivers get this long to answer (Kronor documents 10 s; the sandbox is stricter so tests stay quick). */
const DELIVERY_TIMEOUT_MS = 5_000;

export class Webhooks {
  private deliveries: WebhookDelivery[] = [];
  private nextId = 1;

  /** `faults` decides which webhooks are withheld; without it (a simulator tested alone) every one goes out. */
  constructor(private readonly faults?: Faults) {}

  /**
   * Delivers one webhook and resolves when the receiver answered or failed; it never rejects. A webhook a `drop`
   * fault withholds resolves at once, unsent and unlisted, as if no receiver answered (status null, and an error).
   */
  async send(input: WebhookInput): Promise<WebhookDelivery> {
    const delivery: WebhookDelivery = {
      id: this.nextId++,
      provider: input.provider,
      paymentId: input.paymentId,
      url: input.url,
      method: input.method ?? 'POST',
      headers: input.headers ?? {},
      body: input.body ?? '',
      sentAt: new Date().toISOString(),
      status: null,
      error: null,
    };
    const dropped = this.faults?.dropsWebhook(input.provider);
    if (dropped) return { ...delivery, error: `withheld by sandbox fault ${dropped.id}` };
    this.deliveries.push(delivery);
    try {
      const response = await fetch(delivery.url, {
        method: delivery.method,
        headers: delivery.headers,
        body: delivery.method === 'POST' ? delivery.body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      delivery.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    return delivery;
  }

  list(provider?: string): WebhookDelivery[] {
    return this.deliveries.filter((d) => !provider || d.provider === provider);
  }

  reset(): void {
    this.deliveries = [];
  }
}
