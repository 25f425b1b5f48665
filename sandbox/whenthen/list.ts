/**
 * listPayments: filter, sort and page the payments into WhenThen's `PaymentsWithFilter` (Relay-style edges and
 * pageInfo). Cursors are 1-based positions in the filtered, sorted list, as the seed's example shows ("1"); `after: "0"`
 * starts at the beginning.
 */
import { DEFAULT_PAGE_SIZE, ERROR_CODES, MAX_PAGE_SIZE, TEAM_ID } from './config.ts';
import { whenThenError } from './errors.ts';
import type { WhenThenPayment } from './state.ts';
import { paymentInternalGraph } from './views.ts';

interface FilterValue {
  value?: unknown;
  selectedVerb?: string | null;
}

export interface ListPaymentsArgs {
  startDate?: Date | null;
  endDate?: Date | null;
  status?: Array<string | null> | null;
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  minAmount?: number | null;
  maxAmount?: number | null;
  data?: {
    filter?: Record<string, FilterValue | null | undefined> | null;
    sort?: Array<{ fieldName?: string | null; order?: 'ASC' | 'DESC' | null } | null> | null;
  } | null;
}

/**
 * The `data.filter` entries the sandbox applies (INVENTED: any verb means "equals one of"); the others are accepted
 * and ignored.
 */
const FILTERABLE: Record<string, (payment: WhenThenPayment) => string | null> = {
  status: (p) => p.status,
  currency: (p) => p.currency,
  flowId: (p) => p.flowId,
  method: (p) => p.card?.brand ?? p.methodType,
};

function valuesOf(filter: FilterValue | null | undefined): string[] | undefined {
  if (!filter || filter.value === undefined || filter.value === null) return undefined;
  return (Array.isArray(filter.value) ? filter.value : [filter.value]).map(String);
}

function matches(payment: WhenThenPayment, args: ListPaymentsArgs): boolean {
  const created = new Date(payment.createdAt).getTime();
  if (args.startDate && created < args.startDate.getTime()) return false;
  if (args.endDate && created > args.endDate.getTime()) return false;
  if (args.status?.length && !args.status.includes(payment.status)) return false;
  if (args.minAmount != null && payment.amount < args.minAmount) return false;
  if (args.maxAmount != null && payment.amount > args.maxAmount) return false;
  for (const [name, read] of Object.entries(FILTERABLE)) {
    const wanted = valuesOf(args.data?.filter?.[name]);
    if (wanted && !wanted.includes(read(payment) ?? '')) return false;
  }
  return true;
}

/** Newest first unless `data.sort` asks otherwise; `amount` and `date` are the sortable fields. */
function compare(args: ListPaymentsArgs): (a: WhenThenPayment, b: WhenThenPayment) => number {
  const sort = args.data?.sort?.find((s) => s?.fieldName);
  const direction = sort?.order === 'ASC' ? 1 : -1;
  const key = sort?.fieldName === 'amount' ? (p: WhenThenPayment) => p.amount : (p: WhenThenPayment) => Date.parse(p.createdAt);
  return (a, b) => direction * (key(a) - key(b));
}

function cursorIndex(cursor: string, name: string): number {
  if (!/^\d+$/.test(cursor)) throw whenThenError(ERROR_CODES.invalidPagination, `${name} must be a cursor from a previous page`);
  return Number(cursor);
}

function pageSize(value: number | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value < 0 || value > MAX_PAGE_SIZE) {
    throw whenThenError(ERROR_CODES.invalidPagination, `${name} must be from 0 to ${MAX_PAGE_SIZE}`);
  }
  return value;
}

/** The window [start, end) of a list of `total` items that first/after/last/before select. */
export function pageWindow(total: number, args: Pick<ListPaymentsArgs, 'first' | 'last' | 'after' | 'before'>): [number, number] {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  let start = args.after != null ? Math.min(cursorIndex(args.after, 'after'), total) : 0;
  let end = args.before != null ? Math.max(Math.min(cursorIndex(args.before, 'before') - 1, total), start) : total;
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  if (first === undefined && last === undefined) end = Math.min(end, start + DEFAULT_PAGE_SIZE);
  return [start, end];
}

export function listPayments(payments: WhenThenPayment[], args: ListPaymentsArgs) {
  const selected = payments.filter((p) => matches(p, args)).sort(compare(args));
  const [start, end] = pageWindow(selected.length, args);
  const edges = selected.slice(start, end).map((payment, i) => ({ cursor: String(start + i + 1), node: paymentInternalGraph(payment) }));
  return {
    data: {
      id: null,
      teamId: TEAM_ID,
      customerId: null,
      userId: null,
      name: 'Default',
      filter: null,
      sort: (args.data?.sort ?? []).filter((s) => s !== null).map((s) => ({ fieldName: s.fieldName ?? null, order: s.order ?? null })),
    },
    pageInfo: {
      hasNextPage: end < selected.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      totalSize: selected.length,
    },
    edges,
  };
}
