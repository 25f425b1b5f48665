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
 * Merchant token (role merchant-backend or merchant-read-only: `transactionSwishDetails` is not available to the
 * payment-gateway role, seed). The session's Payment once one succeeded (`payments` holds only those), with what
 * was captured and refunded of it, and its latest payment request (each attempt in the session is one; Kronor may
 * delete them after a while).
 */
/** What was authorised, paid, captured and refunded of a Payment: its status read and its operations both need it. */
const PAYMENT_AMOUNTS = /* GraphQL */ `
  fragment KassaKronorPaymentAmounts on Payment {
    id
    currentStatus
    amountAuthorized
    amountPaid
    captures {
      amount
      status {
        status
        enteredAt
      }
    }
    refunds {
      totalAmount
      status {
        status
        enteredAt
      }
    }
  }
`;

export const PAYMENT_STATUS = /* GraphQL */ `
  query KassaKronorPaymentStatus($reference: String!) {
    payments(where: { merchantReference: { _eq: $reference } }, orderBy: [{ createdAt: DESC }], limit: 1) {
      ...KassaKronorPaymentAmounts
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
  ${PAYMENT_AMOUNTS}
`;

/**
 * Merchant token. The status query for many sessions at once: every Payment and payment request of the references,
 * newest first, so each session's first rows are what PAYMENT_STATUS answers for it alone.
 */
export const PAYMENT_STATUSES = /* GraphQL */ `
  query KassaKronorPaymentStatuses($references: [String!]!) {
    payments(where: { merchantReference: { _in: $references } }, orderBy: [{ createdAt: DESC }]) {
      ...KassaKronorPaymentAmounts
      merchantReference
      paymentRefundStatus
    }
    paymentRequests(where: { reference: { _in: $references } }, orderBy: [{ createdAt: DESC }]) {
      reference
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
  ${PAYMENT_AMOUNTS}
`;

/**
 * Merchant token, over the websocket: a live query of the merchant's payment requests still waiting, created since
 * `$since`, newest first and at most `$limit`, only Kassa's (references start with `kp_`). Hasura re-sends the whole
 * list on every change; a request that leaves it has moved on.
 */
export const WAITING_REQUESTS = /* GraphQL */ `
  subscription KassaKronorWaitingRequests($since: timestamptz!, $waiting: [PaymentStatusEnum!]!, $limit: Int!) {
    paymentRequests(
      where: { createdAt: { _gte: $since }, reference: { _like: "kp_%" }, status: { status: { _in: $waiting } } }
      orderBy: [{ createdAt: DESC }]
      limit: $limit
    ) {
      reference
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

/**
 * Merchant token. The session's Payment with what a capture, release or refund needs: Kronor's id (the adapter does
 * not keep it), the amounts authorised and paid, and the captures and refunds made so far.
 */
export const PAYMENT_FOR_OPERATION = /* GraphQL */ `
  query KassaKronorPaymentForOperation($reference: String!) {
    payments(where: { merchantReference: { _eq: $reference } }, orderBy: [{ createdAt: DESC }], limit: 1) {
      ...KassaKronorPaymentAmounts
    }
  }
  ${PAYMENT_AMOUNTS}
`;

/**
 * Merchant token. Cancels the payment request still waiting for the shopper (seed: "only when it's in the
 * WAITING_FOR_PAYMENT status"), named by the payment reference.
 */
export const CANCEL_PAYMENT = /* GraphQL */ `
  mutation KassaKronorCancel($cancel: PaymentCancelInput!) {
    cancelPayment(cancel: $cancel) {
      waitToken
    }
  }
`;

/** Merchant token. Gives an authorised, uncaptured card payment back, in full only (seed: "Release Payment"). */
export const RELEASE_PAYMENT = /* GraphQL */ `
  mutation KassaKronorRelease($release: ReleasePaymentInput!) {
    releasePayment(release: $release) {
      releaseId
    }
  }
`;

/**
 * Merchant token. Captures an authorised card payment, in full or in part (seed: "Capturing Authorized Card
 * Payment"; the schema's PaymentCaptureInput is "for partially capturing a payment"). Kronor captures
 * asynchronously: the capture starts CAPTURING, and the payment moves on to PARTIALLY_CAPTURED or PAID once done.
 */
export const NEW_CAPTURE = /* GraphQL */ `
  mutation KassaKronorCapture($capture: PaymentCaptureInput!) {
    newPaymentCapture(capture: $capture) {
      captureId
      captureTransactionId
    }
  }
`;

/** Merchant token. Refunds a paid payment, in parts until what was paid is refunded (seed: "Refunds"). */
export const REFUND_PAYMENT = /* GraphQL */ `
  mutation KassaKronorRefund($refund: RefundPaymentInput!) {
    refundPayment(refund: $refund) {
      refundTransactionId
      waitToken
    }
  }
`;

export const MERCHANT_DOCUMENTS = {
  NEW_SESSION,
  PAYMENT_STATUS,
  PAYMENT_STATUSES,
  WAITING_REQUESTS,
  SET_WEBHOOK_URL,
  PAYMENT_FOR_OPERATION,
  CANCEL_PAYMENT,
  NEW_CAPTURE,
  RELEASE_PAYMENT,
  REFUND_PAYMENT,
} as const;

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
  payments: Array<{
    id: unknown;
    currentStatus: unknown;
    paymentRefundStatus: unknown;
    amountAuthorized: unknown;
    amountPaid: unknown;
    captures: Array<{ amount: unknown; status: StatusEntry[] | null }> | null;
    refunds: Array<{ totalAmount: unknown; status: StatusEntry[] | null }> | null;
  }> | null;
  paymentRequests: Array<{
    waitToken: unknown;
    createdAt: unknown;
    status: StatusEntry[] | null;
    transactionSwishDetails: Array<{ errorCode: unknown }> | null;
  }> | null;
}

export interface PaymentStatusesData {
  payments: Array<NonNullable<PaymentStatusData['payments']>[number] & { merchantReference: unknown }> | null;
  paymentRequests: Array<NonNullable<PaymentStatusData['paymentRequests']>[number] & { reference: unknown }> | null;
}

export interface WaitingRequestsData {
  paymentRequests: Array<{ reference: unknown; createdAt: unknown; status: StatusEntry[] | null; transactionSwishDetails: Array<{ errorCode: unknown }> | null }> | null;
}

export interface NewSwishPaymentData {
  newSwishPayment: { waitToken: unknown } | null;
}

export interface SetWebhookUrlData {
  setWebhookUrl: { hmacSecret: unknown; settingId: unknown } | null;
}

/** A Kronor `bigint`: Hasura answers it as a JSON number (or a string when it does not fit one). */
export type KronorBigint = number | string;

export interface PaymentForOperationData {
  payments: Array<{
    id: unknown;
    currentStatus: unknown;
    amountAuthorized: unknown;
    amountPaid: unknown;
    captures: Array<{ amount: unknown; status: StatusEntry[] | null }> | null;
    refunds: Array<{ totalAmount: unknown; status: StatusEntry[] | null }> | null;
  }> | null;
}

export interface CapturePaymentInput {
  amount: number;
  idempotencyKey: string;
  paymentId: KronorBigint;
  generatedFrom: string;
}

export interface NewCaptureData {
  newPaymentCapture: { captureId: unknown; captureTransactionId: unknown } | null;
}

export interface CancelPaymentData {
  cancelPayment: { waitToken: unknown } | null;
}

export interface ReleasePaymentInput {
  amount: number;
  idempotencyKey: string;
  paymentId: KronorBigint;
  generatedFrom: string;
}

export interface ReleasePaymentData {
  releasePayment: { releaseId: unknown } | null;
}

export interface RefundPaymentInput {
  amount: number;
  idempotencyKey: string;
  message: string;
  paymentId: KronorBigint;
  generatedFrom: string;
}

export interface RefundPaymentData {
  refundPayment: { refundTransactionId: unknown; waitToken: unknown } | null;
}
