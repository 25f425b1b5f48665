/**
 * Every GraphQL document the Kronor adapter sends, with the shapes of their answers. A test validates each one
 * against Kronor's real schemas (sandbox/reference/kronor-{merchant,session}.graphqls).
 */
import type { AdditionalData } from './methods.ts';
import type { StatusEntry } from './status.ts';

/**
 * Merchant token. Kronor reuses a live session with the same merchantReference, amount and currency, and answers
 * the paymentId of a payment already made for the reference: the guard against paying twice.
 */
export const NEW_SESSION = /* GraphQL */ `
  mutation KassaKronorNewSession($payment: PaymentSessionWithReferenceCheckInput!) {
    newPaymentSessionWithReferenceCheck(payment: $payment) {
      token
      paymentId
      paymentTransactionId
    }
  }
`;

/**
 * Merchant token. The session's Payment once one succeeded (`payments` holds only those; it also tells refunds),
 * and its latest payment request (each attempt in the session is one; Kronor may delete them after a while).
 */
export const PAYMENT_STATUS = /* GraphQL */ `
  query KassaKronorPaymentStatus($reference: String!) {
    payments(where: { merchantReference: { _eq: $reference } }, orderBy: [{ createdAt: DESC }], limit: 1) {
      id
      currentStatus
      paymentRefundStatus
    }
    paymentRequests(where: { reference: { _eq: $reference } }, orderBy: [{ createdAt: DESC }], limit: 1) {
      waitToken
      createdAt
      status {
        status
        enteredAt
      }
      transactionSwishDetails {
        errorCode
      }
    }
  }
`;

/** Merchant token; a one-time setup: registers the webhook URL and answers the hmacSecret (on creation only). */
export const SET_WEBHOOK_URL = /* GraphQL */ `
  mutation KassaKronorSetWebhookUrl($setting: SetWebhookUrlInput!) {
    setWebhookUrl(setWebhookUrl: $setting) {
      hmacSecret
      settingId
    }
  }
`;

export const MERCHANT_DOCUMENTS = { NEW_SESSION, PAYMENT_STATUS, SET_WEBHOOK_URL } as const;

export interface NewSessionInput {
  amount: number;
  currency: string;
  country: string;
  expiresAt: string;
  idempotencyKey: string;
  merchantReference: string;
  merchantReference2: string;
  message: string;
  additionalData?: AdditionalData;
}

export interface NewSessionData {
  newPaymentSessionWithReferenceCheck: { token: unknown; paymentId: unknown; paymentTransactionId: unknown } | null;
}

export interface PaymentStatusData {
  payments: Array<{ id: unknown; currentStatus: unknown; paymentRefundStatus: unknown }> | null;
  paymentRequests: Array<{
    waitToken: unknown;
    createdAt: unknown;
    status: StatusEntry[] | null;
    transactionSwishDetails: Array<{ errorCode: unknown }> | null;
  }> | null;
}

export interface NewSwishPaymentData {
  newSwishPayment: { waitToken: unknown } | null;
}

export interface SetWebhookUrlData {
  setWebhookUrl: { hmacSecret: unknown; settingId: unknown } | null;
}
