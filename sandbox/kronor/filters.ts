/**
 * Hasura's list arguments over plain rows: `where` (boolean expressions with `_and/_or/_not`, comparison operators,
 * and array relationships that match when any related row does), `orderBy`, `limit` and `offset`.
 * Pure functions; the resolvers hand in one row of column values per item.
 */
import { invalid } from './errors.ts';

export type Row = Record<string, unknown>;
export type BoolExp = Record<string, unknown>;
export type OrderByArg = Record<string, string> | Array<Record<string, string>>;

export interface ListArgs {
  where?: BoolExp | null;
  orderBy?: OrderByArg | null;
  limit?: number | null;
  offset?: number | null;
}

/** Filters, sorts and pages `items`, reading each item's columns through `toRow`. */
export function applyListArgs<T>(items: readonly T[], toRow: (item: T) => Row, args: ListArgs = {}): T[] {
  if (args.limit != null && args.limit < 0) invalid('unexpected negative value for "limit"');
  if (args.offset != null && args.offset < 0) invalid('unexpected negative value for "offset"');
  let rows = items.map((item) => ({ item, row: toRow(item) }));
  if (args.where) rows = rows.filter(({ row }) => matches(row, args.where!));
  const order = args.orderBy ? (Array.isArray(args.orderBy) ? args.orderBy : [args.orderBy]) : [];
  if (order.length) rows = [...rows].sort((a, b) => compareRows(a.row, b.row, order));
  const start = args.offset ?? 0;
  const end = args.limit == null ? undefined : start + args.limit;
  return rows.slice(start, end).map(({ item }) => item);
}

export function matches(row: Row, where: BoolExp): boolean {
  return Object.entries(where).every(([key, condition]) => {
    if (condition == null) return true;
    if (key === '_and') return (condition as BoolExp[]).every((c) => matches(row, c));
    if (key === '_or') return (condition as BoolExp[]).some((c) => matches(row, c));
    if (key === '_not') return !matches(row, condition as BoolExp);
    const value = row[key];
    if (Array.isArray(value)) return value.some((related) => matches(related as Row, condition as BoolExp));
    return compareColumn(value, condition as Record<string, unknown>);
  });
}

function compareColumn(value: unknown, ops: Record<string, unknown>): boolean {
  return Object.entries(ops).every(([op, operand]) => {
    if (operand === undefined) return true;
    switch (op) {
      case '_eq':
        return value != null && operand != null && compare(value, operand) === 0;
      case '_neq':
        return value != null && operand != null && compare(value, operand) !== 0;
      case '_gt':
        return value != null && compare(value, operand) > 0;
      case '_gte':
        return value != null && compare(value, operand) >= 0;
      case '_lt':
        return value != null && compare(value, operand) < 0;
      case '_lte':
        return value != null && compare(value, operand) <= 0;
      case '_in':
        return value != null && (operand as unknown[]).some((o) => compare(value, o) === 0);
      case '_nin':
        return value != null && !(operand as unknown[]).some((o) => compare(value, o) === 0);
      case '_isNull':
        return (value == null) === operand;
      case '_like':
        return typeof value === 'string' && likePattern(String(operand), '').test(value);
      case '_nlike':
        return typeof value === 'string' && !likePattern(String(operand), '').test(value);
      case '_ilike':
        return typeof value === 'string' && likePattern(String(operand), 'i').test(value);
      case '_nilike':
        return typeof value === 'string' && !likePattern(String(operand), 'i').test(value);
      default:
        return invalid(`unsupported operator ${op}`);
    }
  });
}

/** SQL LIKE: `%` any run, `_` one character, everything else literal. */
export function likePattern(pattern: string, flags: string): RegExp {
  const body = [...pattern]
    .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, `s${flags}`);
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Numbers (bigint may arrive as a string) numerically, timestamps by instant, everything else as text. */
export function compare(a: unknown, b: unknown): number {
  const as = String(a);
  const bs = String(b);
  if (NUMERIC.test(as) && NUMERIC.test(bs)) return Math.sign(Number(as) - Number(bs));
  if (TIMESTAMP.test(as) && TIMESTAMP.test(bs)) return Math.sign(Date.parse(as) - Date.parse(bs));
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/** Postgres order: ASC puts nulls last, DESC puts them first, unless the direction says otherwise. */
function compareRows(a: Row, b: Row, order: Array<Record<string, string>>): number {
  for (const spec of order) {
    for (const [column, direction] of Object.entries(spec)) {
      const desc = direction.startsWith('DESC');
      const nullsFirst = direction.endsWith('NULLS_FIRST') || (desc && !direction.endsWith('NULLS_LAST'));
      const x = a[column];
      const y = b[column];
      if (x == null || y == null) {
        if (x == null && y == null) continue;
        return (x == null) === nullsFirst ? -1 : 1;
      }
      const result = compare(x, y);
      if (result !== 0) return desc ? -result : result;
    }
  }
  return 0;
}
