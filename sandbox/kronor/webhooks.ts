/**
 * Kronor's webhooks: `setWebhookUrl` registers a URL with the events it wants and returns the hmacSecret (only when
 * the setting is created). Each event goes out as `{"events":[{event,id,triggeredAt,additionalData}]}` with
 * `X-HMAC-SHA256-Signature` = hex HMAC-SHA256 of the raw body keyed with the secret.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { SandboxContext } from '../core/context.ts';
import { CAPTURE_EVENT, HMAC_SECRET_BYTES, PROVIDER, SIGNATURE_HEADER, STATUS_EVENT } from './config.ts';
import { invalid } from './errors.ts';
import { timestamp, type Change } from './state.ts';

interface WebhookSetting {
  id: number;
  url: string;
  secret: string;
  events: Map<string, boolean>;
}

export interface WebhookSettingInput {
  webhookUrl: string;
  eventSettings: Array<{ event: string; enabled: boolean }>;
  settingId?: number | null;
}

export class WebhookSettings {
  private readonly settings = new Map<number, WebhookSetting>();
  private nextId = 1;

  /** Creates a setting (and its secret), or updates the one `settingId` names (no secret then, as documented). */
  set(input: WebhookSettingInput): { hmacSecret: string | null; settingId: number } {
    if (input.settingId != null) {
      const setting = this.settings.get(input.settingId);
      if (!setting) invalid(`no webhook setting ${input.settingId}`);
      setting.url = input.webhookUrl;
      for (const { event, enabled } of input.eventSettings) setting.events.set(event, enabled);
      return { hmacSecret: null, settingId: setting.id };
    }
    const setting: WebhookSetting = {
      id: this.nextId++,
      url: input.webhookUrl,
      secret: randomBytes(HMAC_SECRET_BYTES).toString('hex'),
      events: new Map(input.eventSettings.map(({ event, enabled }) => [event, enabled])),
    };
    this.settings.set(setting.id, setting);
    return { hmacSecret: setting.secret, settingId: setting.id };
  }

  receiversOf(event: string): WebhookSetting[] {
    return [...this.settings.values()].filter((s) => s.events.get(event) === true);
  }

  reset(): void {
    this.settings.clear();
    this.nextId = 1;
  }
}

export function signature(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** The event a change produces, or none (a request only being created is not announced). */
export function eventFor(change: Change): { event: string; paymentId: string; additionalData: Record<string, unknown> } | null {
  const { payment } = change;
  if (change.kind === 'capture') {
    const { capture } = change;
    return {
      event: CAPTURE_EVENT,
      paymentId: payment.waitToken,
      // INVENTED payload: Kronor evidences the event name only.
      additionalData: {
        captureId: capture.id,
        captureTransactionId: capture.transactionId,
        paymentId: payment.paymentId,
        status: change.status,
        amount: capture.amount,
      },
    };
  }
  if (change.status === 'INITIALIZING') return null;
  return {
    event: STATUS_EVENT,
    paymentId: payment.waitToken,
    additionalData: {
      paymentId: payment.waitToken,
      status: change.status,
      reference: payment.reference,
      paymentMethod: payment.method,
      amount: payment.amount,
    },
  };
}

/** Sends a change's event to every setting that enabled it; resolves when all were answered. */
export async function deliver(ctx: SandboxContext, settings: WebhookSettings, change: Change): Promise<void> {
  const found = eventFor(change);
  if (!found) return;
  const body = JSON.stringify({
    events: [{ event: found.event, id: randomUUID(), triggeredAt: timestamp(), additionalData: found.additionalData }],
  });
  await Promise.all(
    settings.receiversOf(found.event).map((setting) =>
      ctx.webhooks.send({
        provider: PROVIDER,
        paymentId: found.paymentId,
        url: setting.url,
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature(body, setting.secret) },
        body,
      }),
    ),
  );
}
