/** Hasura's where / orderBy / limit / offset over plain rows (pure functions, table-driven). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KronorError } from './errors.ts';
import { applyListArgs, compare, type ListArgs, type Row } from './filters.ts';

const rows: Row[] = [
  { id: 1, amount: 100, reference: 'A-1', createdAt: '2024-01-01T10:00:00+00:00', paidAt: null, status: [{ status: 'PAID' }] },
  { id: 2, amount: 2500, reference: 'A-2', createdAt: '2024-01-01T09:00:00.5+00:00', paidAt: null, status: [{ status: 'DECLINED' }] },
  { id: 3, amount: 300, reference: 'b-3', createdAt: '2024-01-02T08:00:00Z', paidAt: '2024-01-02T08:05:00Z', status: [{ status: 'PAID' }] },
];

const ids = (args: ListArgs) => applyListArgs(rows, (r) => r, args).map((r) => r.id);

describe('applyListArgs', () => {
  const cases: Array<[name: string, args: ListArgs, expected: number[]]> = [
    ['no arguments keeps the order', {}, [1, 2, 3]],
    ['_eq on a number given as a string (bigint)', { where: { amount: { _eq: '2500' } } }, [2]],
    ['_neq', { where: { reference: { _neq: 'A-1' } } }, [2, 3]],
    ['_gt compares numbers, not text', { where: { amount: { _gt: 200 } } }, [2, 3]],
    ['_lte on timestamps compares instants', { where: { createdAt: { _lte: '2024-01-01T09:30:00Z' } } }, [2]],
    ['_in', { where: { id: { _in: [1, 3] } } }, [1, 3]],
    ['_nin', { where: { id: { _nin: [1, 3] } } }, [2]],
    ['_isNull true', { where: { paidAt: { _isNull: true } } }, [1, 2]],
    ['_isNull false', { where: { paidAt: { _isNull: false } } }, [3]],
    ['_like is case-sensitive', { where: { reference: { _like: 'a-%' } } }, []],
    ['_ilike ignores case', { where: { reference: { _ilike: '%-_' } } }, [1, 2, 3]],
    ['_nlike', { where: { reference: { _nlike: 'A-%' } } }, [3]],
    ['an array relationship matches when any row does', { where: { status: { status: { _eq: 'PAID' } } } }, [1, 3]],
    ['_and', { where: { _and: [{ amount: { _gt: 100 } }, { reference: { _like: 'A%' } }] } }, [2]],
    ['_or', { where: { _or: [{ id: { _eq: 1 } }, { id: { _eq: 3 } }] } }, [1, 3]],
    ['_not', { where: { _not: { id: { _eq: 2 } } } }, [1, 3]],
    ['orderBy DESC', { orderBy: { amount: 'DESC' } }, [2, 3, 1]],
    ['orderBy as a list, by instant', { orderBy: [{ createdAt: 'ASC' }] }, [2, 1, 3]],
    ['ASC puts nulls last', { orderBy: { paidAt: 'ASC' } }, [3, 1, 2]],
    ['DESC puts nulls first', { orderBy: { paidAt: 'DESC' } }, [1, 2, 3]],
    ['ASC_NULLS_FIRST', { orderBy: { paidAt: 'ASC_NULLS_FIRST' } }, [1, 2, 3]],
    ['limit and offset after sorting', { orderBy: { amount: 'ASC' }, offset: 1, limit: 1 }, [3]],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => assert.deepEqual(ids(args), expected));
  }

  it('refuses a negative limit', () => {
    assert.throws(() => ids({ limit: -1 }), KronorError);
  });
});

describe('compare', () => {
  const cases: Array<[a: unknown, b: unknown, expected: number]> = [
    [9, '10', -1],
    ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00+01:00', 0],
    ['abc', 'abd', -1],
    ['x', 'x', 0],
  ];
  for (const [a, b, expected] of cases) {
    it(`${String(a)} vs ${String(b)} → ${expected}`, () => assert.equal(compare(a, b), expected));
  }
});
