/**
 * Every GraphQL document Kassa sends to WhenThen, with the shapes of their answers. graphql.test.ts validates each
 * against WhenThen's real schema (sandbox/reference/whenthen.graphqls).
 */

/** A short-lived token for the browser, bound to the amount and currency (the hosted checkout shows and charges them). */
export const GENERATE_CLIENT_TOKEN = /* GraphQL */ `
  mutation KassaWhenThenClientToken($amount: Long!, $currency: String!) {
    generateClientToken(amount: $amount, currency: $currency) {
      token
      ttl
    }
  }
`;

/** Starts a PayPal / Klarna payment; WhenThen answers the approval page as the `requiresApmAuthorization` error. */
export const AUTHORIZE_PAYMENT = /* GraphQL */ `
  mutation KassaWhenThenAuthorize($authorisePayment: AuthorisedPaymentInput!) {
    authorizePayment(authorisePayment: $authorisePayment) {
      id
      status
    }
  }
`;

export const GET_PAYMENT = /* GraphQL */ `
  query KassaWhenThenPayment($id: ID!) {
    getPayment(id: $id) {
      id
      status
      amount {
        rawAmount
      }
      refundedAmount {
        rawAmount
      }
    }
  }
`;

/**
 * Payments in a window of time and amount, for finding one by `orderId` (the only query that answers `orderId`;
 * listPayments cannot filter on it). `data.sort` (`[{fieldName: "date", order: DESC}]`) asks for newest first.
 */
export const LIST_PAYMENTS = /* GraphQL */ `
  query KassaWhenThenPayments(
    $startDate: DateTime
    $endDate: DateTime
    $minAmount: Int
    $maxAmount: Int
    $first: Int
    $after: String
    $data: PaymentFilterInput
  ) {
    listPayments(startDate: $startDate, endDate: $endDate, minAmount: $minAmount, maxAmount: $maxAmount, first: $first, after: $after, data: $data) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          orderId
          status
          date
          amount {
            rawAmount
          }
          refundedAmount {
            rawAmount
          }
        }
      }
    }
  }
`;

/**
 * Captures an AUTHORISED payment: without an amount the amount authorised, with one that much (at most the amount
 * authorised) (seed).
 */
export const CAPTURE_PAYMENT = /* GraphQL */ `
  mutation KassaWhenThenCapture($id: ID!, $amount: Long) {
    capturePayment(id: $id, amount: $amount) {
      id
      status
    }
  }
`;

/** Voids an AUTHORISED payment (seed: "A Payment can be cancelled when it has a status of AUTHORISED"). */
export const CANCEL_PAYMENT = /* GraphQL */ `
  mutation KassaWhenThenCancel($id: ID!, $reason: String) {
    cancelPayment(id: $id, reason: $reason) {
      id
      status
    }
  }
`;

/**
 * Refunds a SUCCEEDED (or PARTIAL_REFUNDED) payment, in minor units; without an amount "the original amount of the
 * payment" (seed), which is more than is left once part was refunded.
 */
export const REFUND_PAYMENT = /* GraphQL */ `
  mutation KassaWhenThenRefund($id: ID!, $amount: Long, $reason: String) {
    refundPayment(id: $id, amount: $amount, reason: $reason) {
      id
      status
    }
  }
`;

/** What Kassa reads of a payment asked by id: the fields of GET_PAYMENT. */
const PAYMENT_FIELDS = 'id status amount { rawAmount } refundedAmount { rawAmount }';
/** What Kassa reads of a listed payment: the fields of LIST_PAYMENTS. */
const PAGE_FIELDS = 'pageInfo { hasNextPage endCursor } edges { node { id orderId status date amount { rawAmount } refundedAmount { rawAmount } } }';

/** The alias of the `index`th query of a many-in-one request (`p0`, `p1`, …), and its answer's key. */
export function aliasOf(index: number): string {
  return `p${index}`;
}

/**
 * `count` payments by id in one request: GraphQL aliases (`p0: getPayment(id: $id0) … p1: getPayment(id: $id1) …`),
 * each answered (or failed, with `path: ["p1"]`) on its own, as any spec-compliant server does.
 */
export function getPaymentsDocument(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const variables = indexes.map((i) => `$id${i}: ID!`).join(', ');
  const fields = indexes.map((i) => `${aliasOf(i)}: getPayment(id: $id${i}) { ${PAYMENT_FIELDS} }`).join('\n  ');
  return `query KassaWhenThenPaymentsById(${variables}) {\n  ${fields}\n}\n`;
}

/** `count` pages of listPayments (each its own window and cursor, all newest first) in one request, by alias. */
export function listPaymentsDocument(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const variables = indexes.map((i) => `$startDate${i}: DateTime, $endDate${i}: DateTime, $maxAmount${i}: Int, $first${i}: Int, $after${i}: String`).join(', ');
  const fields = indexes
    .map(
      (i) =>
        `${aliasOf(i)}: listPayments(startDate: $startDate${i}, endDate: $endDate${i}, maxAmount: $maxAmount${i}, first: $first${i}, after: $after${i}, data: $data) { ${PAGE_FIELDS} }`,
    )
    .join('\n  ');
  return `query KassaWhenThenPages(${variables}, $data: PaymentFilterInput) {\n  ${fields}\n}\n`;
}

export const WHENTHEN_DOCUMENTS = { GENERATE_CLIENT_TOKEN, AUTHORIZE_PAYMENT, GET_PAYMENT, LIST_PAYMENTS, CAPTURE_PAYMENT, CANCEL_PAYMENT, REFUND_PAYMENT } as const;

export interface ClientTokenData {
  generateClientToken: { token: unknown; ttl: unknown } | null;
}

export interface PaymentData {
  id: unknown;
  status: unknown;
}

/** `Amount`, as far as Kassa reads it: `rawAmount` is minor units. */
export interface AmountData {
  rawAmount: unknown;
}

/** A payment with the amounts readStatus reports. */
export interface PaymentWithAmounts extends PaymentData {
  amount: AmountData | null;
  refundedAmount: AmountData | null;
}

export interface AuthorizePaymentData {
  authorizePayment: PaymentData | null;
}

export interface GetPaymentData {
  getPayment: PaymentWithAmounts | null;
}

export interface CapturePaymentData {
  capturePayment: PaymentData | null;
}

export interface CancelPaymentData {
  cancelPayment: PaymentData | null;
}

export interface RefundPaymentData {
  refundPayment: PaymentData | null;
}

export interface PaymentNode {
  id: unknown;
  orderId: unknown;
  status: unknown;
  date: unknown;
  amount?: AmountData | null;
  refundedAmount?: AmountData | null;
}

export interface ListPaymentsData {
  listPayments: {
    pageInfo: { hasNextPage: unknown; endCursor: unknown } | null;
    edges: Array<{ node: PaymentNode | null } | null> | null;
  } | null;
}

/** `AuthorisedPaymentInput`, the fields Kassa sends (seed 003). */
export interface AuthorisedPaymentInput {
  orderId: string;
  flowId?: string;
  /** Minor units. */
  amount: number;
  currencyCode: string;
  paymentMethod: { type: string };
  customer?: { email?: string; name?: string };
  description?: string;
  metadata: Record<string, string>;
  apmRedirectUrl: string;
}
