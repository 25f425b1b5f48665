/**
 * The batch and live reads' pure parts: a session read from its latest Payment and request (as readStatus reads
 * it), many sessions from one answer, a live result's reads, what changed since the last result, and the backoff.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import type { StatusRead } from '../../server/provider.ts';
import { backoffMs, diffResult, followWaitingRequests, movedOn, sameRead, waitingReads } from './live.ts';
import { sessionRead, sessionReads } from './status.ts';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const entry = (status: string, minute = 0) => ({ status, enteredAt: new Date(NOW - 60_000 + minute * 1000).toISOString() });
const request = (reference: string, status: string, errorCode?: string) => ({ reference, status: [entry(status)], transactionSwishDetails: errorCode ? [{ errorCode }] : [] });
const payment = (merchantReference: string, currentStatus: string, refunds: number[] = []) => ({
  merchantReference,
  currentStatus,
  paymentRefundStatus: refunds.length ? 'PARTIALLY_REFUNDED' : 'NO_REFUND',
  amountPaid: 25_000,
  captures: [],
  refunds: refunds.map((totalAmount) => ({ totalAmount, status: [entry('DONE')] })),
});

describe('sessionReads: one batch answer, a read per reference', () => {
  const expired = new Date(NOW - 1000).toISOString();
  const open = new Date(NOW + 60_000).toISOString();
  const sessions = ['kp_paid', 'kp_refunded', 'kp_waiting', 'kp_retried', 'kp_timeout', 'kp_open', 'kp_expired', 'kp_broken'].map((reference) => ({
    reference,
    providerPaymentId: reference,
    data: { expiresAt: reference === 'kp_expired' ? expired : open },
  }));
  const payments = [payment('kp_refunded', 'PAID', [10_000]), payment('kp_paid', 'PAID')];
  const requests = [
    request('kp_retried', 'WAITING_FOR_PAYMENT'),
    request('kp_paid', 'PAID'),
    request('kp_waiting', 'WAITING_FOR_PAYMENT'),
    // Older attempt of the same session, listed after the newer one: not the one that counts.
    request('kp_retried', 'DECLINED'),
    request('kp_timeout', 'ERROR', 'TM01'),
    { reference: 'kp_broken', status: null, transactionSwishDetails: null },
  ];
  const reads = sessionReads(sessions, payments, requests, NOW);
  const TABLE: Array<[string, StatusRead | undefined]> = [
    ['kp_paid', { state: 'paid', providerStatus: 'PAID', capturedAmount: 25_000, refundedAmount: 0 }],
    ['kp_refunded', { state: 'partially_refunded', providerStatus: 'PAID (PARTIALLY_REFUNDED)', capturedAmount: 25_000, refundedAmount: 10_000 }],
    ['kp_waiting', { state: 'action_required', providerStatus: 'WAITING_FOR_PAYMENT' }],
    ['kp_retried', { state: 'action_required', providerStatus: 'WAITING_FOR_PAYMENT' }],
    ['kp_timeout', { state: 'expired', providerStatus: 'ERROR (TM01)' }],
    ['kp_open', { state: 'action_required', providerStatus: 'SESSION_OPEN' }],
    ['kp_expired', { state: 'expired', providerStatus: 'SESSION_EXPIRED' }],
    ['kp_broken', undefined],
  ];
  for (const [reference, read] of TABLE) {
    test(`${reference} → ${read ? `${read.state} ${read.providerStatus}` : 'no read (read alone)'}`, () => assert.deepEqual(reads.get(reference), read));
  }

  test('each read is what sessionRead says of the same rows alone (readStatus)', () => {
    const alone = sessionRead({ payment: payments[0], request: undefined, expiresAt: open, now: NOW });
    assert.deepEqual(reads.get('kp_refunded'), alone);
  });
});

describe('waitingReads: a live result, the newest request per reference', () => {
  test('rows read with sessionRead; an older attempt and an unreadable row say nothing', () => {
    const reads = waitingReads([request('kp_a', 'WAITING_FOR_PAYMENT'), request('kp_b', 'FLOW_COMPLETED'), request('kp_a', 'INITIALIZING'), { reference: 'kp_c', status: [] }, null], NOW);
    assert.deepEqual(
      reads,
      new Map([
        ['kp_a', { state: 'action_required', providerStatus: 'WAITING_FOR_PAYMENT' }],
        ['kp_b', { state: 'processing', providerStatus: 'FLOW_COMPLETED' }],
      ]),
    );
  });

  test('no result, no reads', () => assert.equal(waitingReads(null, NOW).size, 0));
});

describe('diffResult: what a result changes', () => {
  const waiting: StatusRead = { state: 'action_required', providerStatus: 'WAITING_FOR_PAYMENT' };
  const processing: StatusRead = { state: 'processing', providerStatus: 'FLOW_COMPLETED' };
  const TABLE: Array<[string, Array<[string, StatusRead]>, string[], Array<[string, StatusRead]>, string[], string[]]> = [
    // [what, known before, listed before, listed now, changed, gone]
    ['the first result: everything is new', [], [], [['kp_a', waiting]], ['kp_a'], []],
    ['the same result again (a change elsewhere): nothing', [['kp_a', waiting]], ['kp_a'], [['kp_a', waiting]], [], []],
    ['a status that moved while still waiting', [['kp_a', waiting]], ['kp_a'], [['kp_a', processing]], ['kp_a'], []],
    ['a request that left the list', [['kp_a', waiting], ['kp_b', waiting]], ['kp_a', 'kp_b'], [['kp_b', waiting]], [], ['kp_a']],
    ['after a reconnect, only what changed meanwhile', [['kp_a', waiting], ['kp_b', waiting]], ['kp_a', 'kp_b'], [['kp_a', waiting], ['kp_b', processing]], ['kp_b'], []],
  ];
  for (const [what, known, before, now, changed, gone] of TABLE) {
    test(what, () => {
      const knownMap = new Map(known);
      const result = diffResult(knownMap, new Map(now), new Set(before));
      assert.deepEqual([...result.changed.keys()], changed);
      assert.deepEqual(result.gone, gone);
      for (const [reference, read] of now) assert.deepEqual(knownMap.get(reference), read);
    });
  }
});

describe('sameRead', () => {
  const read: StatusRead = { state: 'paid', providerStatus: 'PAID', capturedAmount: 100, refundedAmount: 0 };
  const TABLE: Array<[string, StatusRead | undefined, StatusRead | undefined, boolean]> = [
    ['equal reads', read, { ...read }, true],
    ['another amount', read, { ...read, refundedAmount: 50 }, false],
    ['another raw status', read, { ...read, providerStatus: 'PAID (PARTIALLY_REFUNDED)' }, false],
    ['nothing known yet', undefined, read, false],
  ];
  for (const [what, a, b, same] of TABLE) test(what, () => assert.equal(sameRead(a, b), same));
});

describe('backoffMs', () => {
  const TABLE: Array<[number, number, number]> = [
    // [attempt, random, ms]
    [0, 1, 250],
    [0, 0, 125],
    [1, 1, 500],
    [3, 1, 2000],
    [7, 1, 30_000],
    [50, 1, 30_000],
    [50, 0, 15_000],
  ];
  for (const [attempt, random, ms] of TABLE) test(`attempt ${attempt}, random ${random} → ${ms} ms`, () => assert.equal(backoffMs(attempt, () => random), ms));
});

describe('followWaitingRequests: a socket that never opens', () => {
  test('stopping ends the feed although the opening handshake never finished', async () => {
    // A server that takes the connection and never answers the upgrade, as a broken proxy would.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stop = new AbortController();
    const reads: string[] = [];
    try {
      const following = followWaitingRequests(
        { url: `ws://127.0.0.1:${port}/v1/graphql`, authorization: 'Bearer t', limit: 10, readStatuses: async () => new Map(), connectTimeoutMs: 300, backoffMs: () => 50 },
        (reference) => reads.push(reference),
        stop.signal,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(sockets.size >= 1, 'the feed connected');
      stop.abort();
      const ended = await Promise.race([following.then(() => 'ended'), new Promise((resolve) => setTimeout(resolve, 3_000, 'still running'))]);
      assert.equal(ended, 'ended');
      assert.deepEqual(reads, []);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

describe('movedOn: gone from the list because it moved on, not because newer requests pushed it out', () => {
  const created = new Map([
    ['kp_old', 100],
    ['kp_mid', 200],
    ['kp_new', 300],
  ]);
  const cases: Array<[string, string[], number[], number, string[]]> = [
    ['a list under its limit: everything gone moved on', ['kp_old', 'kp_new'], [150, 250], 3, ['kp_old', 'kp_new']],
    ['a full list: the oldest gone was pushed out, a newer one moved on', ['kp_old', 'kp_mid'], [150, 250, 400], 3, ['kp_mid']],
    ['a full list: a gone request as old as the oldest listed was pushed out', ['kp_mid'], [200, 250, 400], 3, []],
    ['a full list: a gone request whose creation is unknown is taken as pushed out', ['kp_unknown'], [150, 250, 400], 3, []],
    ['nothing gone', [], [150], 1, []],
  ];
  for (const [name, gone, listed, limit, expected] of cases) test(name, () => assert.deepEqual(movedOn(gone, created, listed, limit), expected));
});
