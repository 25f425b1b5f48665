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
  /** Asks for the list sorted by date, newest first (a batch read relies on the order to stop early). */
  newestFirst?: boolean;
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

/** How many requests one batch read's walk may make (Kassa's bound on its cost); each asks a page of every window. */
export const MAX_BATCH_ROUNDS = 10;
/** How many windows one batch read walks at most (aliases in one request); more are joined across their gaps. */
export const MAX_SEARCH_RANGES = 10;
/**
 * INVENTED: room around the estimated clock offset (ms), for WhenThen dating a payment a moment before or after the
 * instant Kassa noted (the payment is made while the call is under way; the hosted checkout pays while the token
 * lives).
 */
export const SEARCH_MARGIN_MS = 2000;

/** A window in WhenThen's clock (epoch ms, both ends included). */
export interface TimeWindow {
  from: number;
  until: number;
}

/** The lookups a batch read can take: those with both bounds (a record without them is read alone). */
export function isBounded(lookup: OrderLookup): lookup is OrderLookup & { from: string; until: string } {
  return lookup.from !== undefined && lookup.until !== undefined && Number.isFinite(Date.parse(lookup.from)) && Number.isFinite(Date.parse(lookup.until));
}

/**
 * Where a batch read searches for a lookup's payment, in WhenThen's clock: the lookup's own window (Kassa's instants
 * widened by CLOCK_SKEW_MS), narrowed once the offset between the clocks is known to the instants Kassa noted
 * (`made`: the payment was made after `from` and before `until`, Kassa's clock) shifted by it, SEARCH_MARGIN_MS
 * either side. Never wider than the lookup's own window, and that window whole while either is unknown.
 */
export function searchWindow(
  lookup: OrderLookup & { from: string; until: string },
  made: TimeWindow | undefined,
  offset: { low: number; high: number } | undefined,
): TimeWindow {
  const own = { from: Date.parse(lookup.from), until: Date.parse(lookup.until) };
  if (!made || !offset) return own;
  const narrowed = {
    from: Math.max(own.from, made.from + offset.low - SEARCH_MARGIN_MS),
    until: Math.min(own.until, made.until + offset.high + SEARCH_MARGIN_MS),
  };
  // An offset beyond CLOCK_SKEW_MS leaves nothing of the window: search it whole, as readStatus would.
  return narrowed.from <= narrowed.until ? narrowed : own;
}

/** A window one walk pages through, with the largest amount of the lookups in it (none when one has none). */
export interface SearchRange extends TimeWindow {
  maxAmount: number | undefined;
}

/**
 * The windows to walk for a batch: overlapping ones joined (a payment is listed once), then, past `maxRanges`, the
 * two nearest joined across their gap until `maxRanges` are left. Earliest first.
 */
export function searchRanges(windows: ReadonlyArray<TimeWindow & { maxAmount: number | undefined }>, maxRanges = MAX_SEARCH_RANGES): SearchRange[] {
  const join = (a: SearchRange, b: SearchRange): SearchRange => ({
    from: Math.min(a.from, b.from),
    until: Math.max(a.until, b.until),
    maxAmount: a.maxAmount === undefined || b.maxAmount === undefined ? undefined : Math.max(a.maxAmount, b.maxAmount),
  });
  const ranges: SearchRange[] = [];
  for (const window of [...windows].sort((a, b) => a.from - b.from)) {
    const last = ranges.at(-1);
    const range = { from: window.from, until: window.until, maxAmount: window.maxAmount };
    if (last && window.from <= last.until) ranges[ranges.length - 1] = join(last, range);
    else ranges.push(range);
  }
  while (ranges.length > Math.max(1, maxRanges)) {
    let nearest = 0;
    for (let i = 1; i < ranges.length - 1; i++) if (ranges[i + 1]!.from - ranges[i]!.until < ranges[nearest + 1]!.from - ranges[nearest]!.until) nearest = i;
    ranges.splice(nearest, 2, join(ranges[nearest]!, ranges[nearest + 1]!));
  }
  return ranges;
}

/** Whether readStatus's own listPayments for `lookup` would list `payment`: its orderId, window and amount. */
export function withinLookup(payment: FoundPayment, lookup: OrderLookup): boolean {
  if (payment.orderId !== lookup.orderId) return false;
  const at = Date.parse(payment.date);
  if (lookup.from !== undefined && at < Date.parse(lookup.from)) return false;
  if (lookup.until !== undefined && at > Date.parse(lookup.until)) return false;
  const capped = lookup.maxAmount !== undefined && lookup.maxAmount <= GRAPHQL_INT_MAX;
  return !(capped && payment.amount !== undefined && payment.amount > lookup.maxAmount!);
}

/** How far a walk of one range got, newest first: to its end, or down to its oldest payment so far. */
export interface RangeWalk {
  range: TimeWindow;
  ended: boolean;
  oldest: number | undefined;
}

/** A lookup of a batch read, with the window it is searched in (searchWindow). */
export interface BatchLookup {
  lookup: OrderLookup & { from: string; until: string };
  search: TimeWindow;
}

/**
 * The payments the walks found for each lookup. A lookup's search is complete when the walk of the range holding its
 * window reached the range's end or went past (older than) the window's start; an incomplete one gets no entry, since
 * a payment not seen may still be there. The payments are those readStatus's own search would list (withinLookup).
 */
export function paymentsByLookup(lookups: readonly BatchLookup[], found: readonly FoundPayment[], walks: readonly RangeWalk[]): Map<string, OrderPayments> {
  const result = new Map<string, OrderPayments>();
  for (const { lookup, search } of lookups) {
    const walk = walks.find((w) => w.range.from <= search.from && search.until <= w.range.until);
    const covered = walk !== undefined && (walk.ended || (walk.oldest !== undefined && walk.oldest < search.from));
    if (covered) result.set(lookup.orderId, { payments: found.filter((p) => withinLookup(p, lookup)), complete: true });
  }
  return result;
}

/** Pages of listPayments asked in one request (one answer per page asked, in order). */
export type ListPages = (pages: readonly ListPaymentsVariables[]) => Promise<ListPaymentsData[]>;

/**
 * Every lookup's payments from one walk of the batch's search ranges, newest first, `pageSize` a page: each request
 * asks the next page of every range not yet walked to its end, at most MAX_BATCH_ROUNDS requests. A lookup the bound
 * cut short is left out (see paymentsByLookup).
 */
export async function paymentsForOrders(list: ListPages, lookups: readonly BatchLookup[], pageSize: number): Promise<Map<string, OrderPayments>> {
  if (lookups.length === 0) return new Map();
  const ranges = searchRanges(lookups.map(({ lookup, search }) => ({ ...search, maxAmount: lookup.maxAmount })));
  const walks = ranges.map((range) => ({ range, ended: false, oldest: undefined as number | undefined, after: undefined as string | undefined }));
  const found: FoundPayment[] = [];
  for (let round = 0; round < MAX_BATCH_ROUNDS; round++) {
    const open = walks.filter((w) => !w.ended);
    if (open.length === 0) break;
    const answers = await list(
      open.map(({ range, after }) => ({
        startDate: new Date(range.from).toISOString(),
        endDate: new Date(range.until).toISOString(),
        ...(range.maxAmount !== undefined && range.maxAmount <= GRAPHQL_INT_MAX ? { maxAmount: range.maxAmount } : {}),
        first: pageSize,
        ...(after !== undefined ? { after } : {}),
        newestFirst: true,
      })),
    );
    open.forEach((walk, i) => {
      const { nodes, next } = readPage(answers[i] ?? { listPayments: null });
      found.push(...nodes);
      for (const node of nodes) {
        const at = Date.parse(node.date);
        if (Number.isFinite(at) && (walk.oldest === undefined || at < walk.oldest)) walk.oldest = at;
      }
      walk.ended = next === undefined;
      walk.after = next;
    });
  }
  return paymentsByLookup(lookups, found, walks);
}
