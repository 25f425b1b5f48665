/**
 * Every GraphQL document Kassa sends to Hero, with the shapes of their answers. Hero publishes no schema: the
 * documents follow the seed (Hero's documentation) and Hero's own WooCommerce plugin, and a test validates them
 * against the sandbox's rendering of Hero's schema (`sandbox/hero/schema.graphql`).
 */

/**
 * The types open to this merchant for an amount in euro cents. The argument comes from Hero's plugin, not the seed,
 * so whether Hero declares it `Int` or `Int!` is unknown: a non-null variable may fill either, a nullable one only the
 * first, so `$amount` is declared `Int!`.
 */
export const AVAILABLE_PAYMENT_TYPES = /* GraphQL */ `
  query KassaHeroAvailablePaymentTypes($amount: Int!) {
    availablePaymentTypes(amount: $amount)
  }
`;

/** A customer's financing limits (cents); Hero's plugin hides financed types the customer has no room left for. */
export const MAX_PAYMENT_FOR_CUSTOMER = /* GraphQL */ `
  query KassaHeroCustomerLimits($customerReference: String!) {
    maxPaymentForCustomer(customerReference: $customerReference) {
      current
      maxPay30D
      maxPay3X
    }
  }
`;

export const CREATE_PAYMENT = /* GraphQL */ `
  mutation KassaHeroCreatePayment($payment: NewPayment!) {
    createPayment(payment: $payment) {
      id
    }
  }
`;

/** Links Hero's payment to the merchant's order id (shown in Hero's dashboard); Hero always answers true. */
export const SET_ORDER_ID = /* GraphQL */ `
  mutation KassaHeroSetOrderId($paymentId: String!, $orderId: String!) {
    setOrderId(paymentId: $paymentId, orderId: $orderId)
  }
`;

export const GET_PAYMENTS_INFOS = /* GraphQL */ `
  query KassaHeroPaymentInfos($paymentIds: [String!]!) {
    getPaymentsInfos(paymentIds: $paymentIds) {
      ... on GetPaymentsInfosResult {
        result {
          paymentId
          isSuccess
          error
          reviewStatus
          reason
          initialPaymentAmount
          pendingRefundAmount
          refundedAmount
        }
      }
      ... on ValidationErrors {
        validationErrors {
          path
          validationError
        }
      }
    }
  }
`;

/**
 * Refunds part or all of a finalized payment (seed: `refundPaymentCheckout`, amount in euro cents, mandatory). Hero
 * answers a union: the output, a functional error (`errorCode`, `message`) or validation errors.
 */
export const REFUND_PAYMENT_CHECKOUT = /* GraphQL */ `
  mutation KassaHeroRefund($input: RefundPaymentCheckoutInput!) {
    refundPaymentCheckout(input: $input) {
      ... on RefundPaymentCheckoutOutput {
        success
      }
      ... on GqlHeroError {
        errorCode
        message
      }
      ... on ValidationErrors {
        validationErrors {
          path
          validationError
        }
      }
    }
  }
`;

export const HERO_DOCUMENTS = {
  AVAILABLE_PAYMENT_TYPES,
  MAX_PAYMENT_FOR_CUSTOMER,
  CREATE_PAYMENT,
  SET_ORDER_ID,
  GET_PAYMENTS_INFOS,
  REFUND_PAYMENT_CHECKOUT,
} as const;

export interface AvailablePaymentTypesData {
  availablePaymentTypes: unknown;
}

export interface CustomerLimits {
  current: number;
  maxPay30D: number;
  maxPay3X: number;
}

export interface MaxPaymentForCustomerData {
  maxPaymentForCustomer: CustomerLimits | null;
}

export interface CreatePaymentData {
  createPayment: { id: unknown } | null;
}

export interface AddressInput {
  line1: string;
  line2?: string;
  city: string;
  zipCode: string;
}

/** Hero's `issuer` (the paying company); `siret` and `vatNumber` are sent by Hero's own plugin. */
export interface IssuerInput {
  address: AddressInput;
  name: string;
  contactEmail: string;
  contactPhone: string;
  customerReference?: string;
  siret?: string;
  vatNumber?: string;
}

export interface NewPaymentInput {
  /** Euro cents. */
  amount: number;
  redirectUri: string;
  comebackUri?: string;
  type: string;
  issuer: IssuerInput;
}

/** One row of `getPaymentsInfos`. `reviewStatus` and `reason` are integers in the seed's table but strings in its examples. */
export interface PaymentInfos {
  paymentId: string;
  isSuccess: boolean;
  error: string | null;
  reviewStatus: string | number | null;
  reason: string | number | null;
  initialPaymentAmount: number;
  pendingRefundAmount: number;
  refundedAmount: number;
}

export interface RefundPaymentCheckoutInput {
  paymentCheckoutId: string;
  /** Euro cents. */
  amount: number;
}

/** One member of the union, told apart by its fields (Hero's union and type names are not published). */
export interface RefundPaymentCheckoutData {
  refundPaymentCheckout: {
    success?: unknown;
    errorCode?: unknown;
    message?: unknown;
    validationErrors?: Array<{ path: unknown; validationError: unknown }> | null;
  } | null;
}

export interface GetPaymentsInfosData {
  getPaymentsInfos: { result?: PaymentInfos[]; validationErrors?: Array<{ path: string[]; validationError: string }> } | null;
}
