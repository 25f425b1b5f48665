/**
 * Finding WhenThen payments by `orderId`. A card payment is made on WhenThen's hosted checkout after Kassa sent the
 * shopper there, so Kassa never learns its id from an API answer (the checkout appends `?id=` only to the shopper's
 * return URL). Every payment Kassa starts carries `orderId` = Kassa's reference, and `listPayments` is the one query
 * that answers `orderId` — it cannot filter on it, so the adapter narrows the list by time and amount and pages
 * through it.
 */
import { ProviderUnavailable } from '../../server/provider.ts';
import type { AmountData, ListPaymentsData, PaymentNode } from './graphql.ts';

/** The window a payment for one Kassa reference must have been created in, and its amount. */
// A type, not an interface: it is stored as the payment's `data` (a plain record).
export type OrderLookup = {
  orderId: string;
  /** RFC 3339 bounds on the payment's creation; left out when Kassa does not know them. */
  from?: string;
  until?: string;
  /** Minor units: the payment's amount is at most this (a smaller capture lowers it, never raises it). */
  maxAmount?: number;
};

export interface FoundPayment {
  id: string;
  orderId: string | null;
  status: string;
  date: string;
  /** Minor units, when WhenThen answered them. */
  amount: number | undefined;
  refundedAmount: number | undefined;
}

export interface ListPaymentsVariables {
  startDate?: string;
  endDate?: string;
  minAmount?: number;
  maxAmount?: number;
  first: number;
  after?: string;
}

export type ListPayments = (variables: ListPaymentsVariables) => Promise<ListPaymentsData>;

/** How many pages one read may walk: Kassa's own bound on a read's cost (the page size is configuration). */
export const MAX_PAGES = 5;

/** `Amount.rawAmount` and listPayments' amount bounds are GraphQL `Int`s. */
const GRAPHQL_INT_MAX = 2_147_483_647;

/** listPayments spells node ids `payments:<id>` (seed); getPayment and webhooks use the bare id. */
export const NODE_ID_PREFIX = 'payments:';

export function bareId(id: string): string {
  return id.startsWith(NODE_ID_PREFIX) ? id.slice(NODE_ID_PREFIX.length) : id;
}

export interface OrderPayments {
  payments: FoundPayment[];
  /** False when the window held more than MAX_PAGES pages: a payment not found may still exist. */
  complete: boolean;
}

/** Every payment in the lookup's window whose orderId is the lookup's, `pageSize` payments a page. */
export async function paymentsForOrder(list: ListPayments, lookup: OrderLookup, pageSize: number): Promise<OrderPayments> {
  const payments: FoundPayment[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { nodes, next } = readPage(
      await list({
        ...(lookup.from ? { startDate: lookup.from } : {}),
        ...(lookup.until ? { endDate: lookup.until } : {}),
        ...(lookup.maxAmount !== undefined && lookup.maxAmount <= GRAPHQL_INT_MAX ? { maxAmount: lookup.maxAmount } : {}),
        first: pageSize,
        ...(after !== undefined ? { after } : {}),
      }),
    );
    payments.push(...nodes.filter((n) => n.orderId === lookup.orderId));
    if (next === undefined) return { payments, complete: true };
    after = next;
  }
  return { payments, complete: false };
}

/**
 * The orderId of one payment, from the payments created around `date` with exactly `amount` (what a webhook says of
 * its payment); undefined when it is not among them.
 */
export async function orderIdOf(list: ListPayments, paymentId: string, date: string, amount: number, pageSize: number): Promise<string | undefined> {
  const at = Date.parse(date);
  if (Number.isNaN(at) || amount > GRAPHQL_INT_MAX) return undefined;
  const { nodes } = readPage(
    await list({
      startDate: new Date(at - 60_000).toISOString(),
      endDate: new Date(at + 60_000).toISOString(),
      minAmount: amount,
      maxAmount: amount,
      first: pageSize,
    }),
  );
  return nodes.find((n) => bareId(n.id) === bareId(paymentId))?.orderId ?? undefined;
}

/** One page's readable nodes and the cursor of the next page (undefined on the last). */
function readPage(data: ListPaymentsData): { nodes: FoundPayment[]; next: string | undefined } {
  const list = data.listPayments;
  if (!list || !Array.isArray(list.edges) || !list.pageInfo) throw new ProviderUnavailable('whenthen: listPayments answered without a page');
  const nodes = list.edges.flatMap((edge) => (edge?.node ? [readNode(edge.node)] : []));
  const { hasNextPage, endCursor } = list.pageInfo;
  const next = hasNextPage === true && typeof endCursor === 'string' && endCursor ? endCursor : undefined;
  return { nodes, next };
}

function readNode(node: PaymentNode): FoundPayment {
  const { id, orderId, status, date } = node;
  if (typeof id !== 'string' || !id || typeof status !== 'string' || !status || typeof date !== 'string') {
    throw new ProviderUnavailable('whenthen: listPayments answered a payment without id, status or date');
  }
  return { id: bareId(id), orderId: typeof orderId === 'string' ? orderId : null, status, date, amount: minorUnits(node.amount), refundedAmount: minorUnits(node.refundedAmount) };
}

/** An `Amount`'s rawAmount, when it is a whole number of minor units (else unknown). */
export function minorUnits(amount: AmountData | null | undefined): number | undefined {
  const raw = amount?.rawAmount;
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
}
