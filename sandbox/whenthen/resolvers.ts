/**
 * The root resolvers of the sandbox's WhenThen API. Each checks who calls (private key or client token), does the
 * operation through lifecycle.ts, and answers the schema's shapes from views.ts.
 */
import { CLIENT_TOKEN_OPERATIONS, ERROR_CODES } from './config.ts';
import { whenThenError } from './errors.ts';
import { authorize, cancel, capture, lapseAuthorisations, refund, tokeniseCard, type AuthorisedPaymentInput } from './lifecycle.ts';
import { listPayments, type ListPaymentsArgs } from './list.ts';
import type { ClientTokenGrant, StoredCard, WhenThenPayment, WhenThenStore } from './state.ts';
import { requireAmount, requireCurrency } from './validation.ts';
import { cardDetails, paymentGraph } from './views.ts';

export type Caller = { kind: 'private' } | { kind: 'client'; grant: ClientTokenGrant };

export interface RequestContext {
  caller: Caller;
  baseUrl: string;
}

export interface ResolverDeps {
  store: WhenThenStore;
  /** A payment was just created (presets bind to it; its webhook goes out). */
  onCreated(payment: WhenThenPayment): Promise<void>;
  /** A payment's status changed (its webhook goes out). */
  onChanged(payment: WhenThenPayment): Promise<void>;
}

/** Refuses a client token for operations a browser may not do. */
function allow(operation: string, context: RequestContext): void {
  if (context.caller.kind === 'client' && !CLIENT_TOKEN_OPERATIONS.has(operation)) {
    throw whenThenError(ERROR_CODES.forbidden, `${operation} needs the private key; a client token may not call it`);
  }
}

function findPayment(store: WhenThenStore, id: string): WhenThenPayment {
  const payment = store.find(id);
  if (!payment) throw whenThenError(ERROR_CODES.paymentNotFound, `Payment ${id} not found`);
  return payment;
}

interface TokenInput {
  paymentMethod: {
    card?: { number: string; expMonth: number; expYear: number; cvc?: string | null; name?: string | null; billingAddress?: Record<string, string | null> | null } | null;
  };
  metadata?: unknown;
  externalId?: string | null;
}

export function createRootValue({ store, onCreated, onChanged }: ResolverDeps) {
  /**
   * Authorisations that lapsed since the last request are cancelled (with their webhooks) before a payment is read or
   * acted on, as WhenThen's own job would have done in the meantime.
   */
  async function lapseDue(): Promise<void> {
    for (const payment of lapseAuthorisations(store, store.now())) await onChanged(payment);
  }

  return {
    async getPayment({ id }: { id: string }, context: RequestContext) {
      allow('getPayment', context);
      await lapseDue();
      return paymentGraph(findPayment(store, id));
    },

    async listPayments(args: ListPaymentsArgs, context: RequestContext) {
      allow('listPayments', context);
      await lapseDue();
      return listPayments(store.all(), args);
    },

    async authorizePayment({ authorisePayment }: { authorisePayment: AuthorisedPaymentInput }, context: RequestContext) {
      allow('authorizePayment', context);
      const grant = context.caller.kind === 'client' ? context.caller.grant : null;
      const { payment, challenge } = authorize(store, authorisePayment, { grant });
      await onCreated(payment);
      if (challenge) throw whenThenError(challenge.code, challenge.message, { url: `${context.baseUrl}${challenge.path}` });
      return paymentGraph(payment);
    },

    async capturePayment({ id, amount, metadata }: { id: string; amount?: number | null; metadata?: unknown }, context: RequestContext) {
      allow('capturePayment', context);
      await lapseDue();
      const payment = capture(store, findPayment(store, id), amount, metadata);
      await onChanged(payment);
      return paymentGraph(payment);
    },

    async refundPayment({ id, amount, reason }: { id: string; amount?: number | null; reason?: string | null }, context: RequestContext) {
      allow('refundPayment', context);
      await lapseDue();
      const payment = refund(store, findPayment(store, id), amount, reason);
      await onChanged(payment);
      return paymentGraph(payment);
    },

    async cancelPayment({ id, reason }: { id: string; reason?: string | null }, context: RequestContext) {
      allow('cancelPayment', context);
      await lapseDue();
      const payment = cancel(store, findPayment(store, id), reason);
      await onChanged(payment);
      return paymentGraph(payment);
    },

    /** INVENTED: amount and currency are optional (as in the schema) but checked when given; ttl is in seconds. */
    generateClientToken({ amount, currency }: { amount?: number | null; currency?: string | null }, context: RequestContext) {
      allow('generateClientToken', context);
      const grant = store.issueClientToken(
        amount == null ? null : requireAmount(amount),
        currency == null ? null : requireCurrency(currency, 'currency'),
      );
      return { token: grant.token, ttl: Math.round((grant.expiresAt - store.now()) / 1000) };
    },

    tokenisePaymentMethod({ data }: { data: TokenInput }, context: RequestContext) {
      allow('tokenisePaymentMethod', context);
      const input = data.paymentMethod.card;
      if (!input) throw whenThenError(ERROR_CODES.missingPaymentMethod, 'paymentMethod.card is required: the sandbox tokenises cards only');
      const card = tokeniseCard(store, input, {
        metadata: data.metadata ?? null,
        externalId: data.externalId ?? null,
        billingAddress: input.billingAddress ?? null,
      });
      return cardTokenView(card);
    },
  };
}

function cardTokenView(card: StoredCard) {
  const details = cardDetails(card);
  return {
    id: card.id,
    token: card.token,
    createdDate: card.createdAt,
    card: {
      id: card.id,
      token: card.token,
      number: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      name: card.name,
      type: details.type,
      product: null,
      bankName: null,
      country: null,
      brand: details.brand,
      category: null,
      bin: card.bin,
      metadata: card.metadata,
      externalId: card.externalId,
      fingerprint: card.fingerprint,
      isDefault: false,
      systemCreated: card.createdAt,
      systemUpdated: card.createdAt,
      linkedPaymentGateways: [],
      vaultCustomerId: null,
      billingAddress: card.billingAddress,
    },
  };
}
