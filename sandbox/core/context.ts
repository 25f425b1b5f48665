/**
 * What a provider simulator gets from the sandbox, and what it gives back. Each simulator lives in
 * `sandbox/<provider>/` and exports `create(ctx): Simulator`; `sandbox/server.ts` lists them explicitly.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Faults } from './faults.ts';
import type { Router } from './http.ts';
import type { Outcome, PresetOutcomes } from './outcomes.ts';
import type { Webhooks } from './webhooks.ts';

export const PROVIDERS = ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface SandboxContext {
  router: Router;
  /** `http://127.0.0.1:<port>`; known once the server listens, so read it per request, not at create time. */
  baseUrl(): string;
  faults: Faults;
  webhooks: Webhooks;
  presets: PresetOutcomes;
  /** Takes websocket upgrades for one exact path (Kronor's `/kronor/v1/graphql`). */
  onUpgrade(path: string, handler: UpgradeHandler): void;
  /** Counts one provider operation, for `GET /_sandbox/requests` (tests count calls and payments through it). */
  record(provider: ProviderName, operation: string): void;
}

/** One payment as the control API lists it, whatever the provider. */
export interface PaymentSummary {
  provider: ProviderName;
  id: string;
  /** The provider's own status value, spelled as the provider spells it. */
  status: string;
  amount: number;
  currency: string;
  /** The merchant's reference for it (Kronor merchantReference, MilkyPay reference_id …), when there is one. */
  reference: string | null;
  /** Where a shopper would go to pay it, when there is a hosted page. */
  pageUrl: string | null;
  createdAt: string;
}

export interface DecideResult {
  status: string;
  /** Where the provider sends the shopper's browser next (the merchant's return URL), when it does. */
  redirectUrl: string | null;
}

export interface Simulator {
  name: ProviderName;
  payments(): PaymentSummary[];
  /** Does what the hosted page's button for `outcome` does: final status, webhook, and the redirect target. */
  decide(paymentId: string, outcome: Outcome): Promise<DecideResult>;
  /** Moves a payment to any of the provider's own statuses (with its webhook), for drills. */
  setStatus(paymentId: string, status: string): Promise<void>;
  /** Every status value the provider has, so the control API can refuse an unknown one. */
  statuses: readonly string[];
  /** Closes every open websocket (Kronor); returns how many were closed. */
  dropConnections?(): number;
  reset(): void;
  close?(): Promise<void>;
}

export class UnknownPayment extends Error {
  constructor(provider: string, id: string) {
    super(`${provider} has no payment ${id}`);
  }
}
