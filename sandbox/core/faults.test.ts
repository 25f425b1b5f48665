/** What a fault counts: each request, or one payment start with its retries (the same request again, soon after). */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { Faults, REPEAT_GAP_MS } from './faults.ts';

/** A response that only records what was written to it. */
function response(): ServerResponse & { statusWritten?: number } {
  const res = {
    statusWritten: undefined as number | undefined,
    writeHead(status: number) {
      res.statusWritten = status;
      return res;
    },
    end() {
      return res;
    },
  };
  return res as unknown as ServerResponse & { statusWritten?: number };
}

const request = (body: string) => ({ method: 'POST', url: new URL('http://sandbox/milkypay/api/payment-invoices'), text: () => body });

async function answered(faults: Faults, body: string, operations = ['create', 'createPaymentInvoice', 'start']): Promise<number | undefined> {
  const res = response();
  return (await faults.intercept('milkypay', operations, res, request(body))) ? res.statusWritten : undefined;
}

describe('faults: per request and per payment start', () => {
  it('per request (the default): one hit, and the retry goes through', async () => {
    const faults = new Faults();
    faults.add({ provider: 'milkypay', operation: 'start', kind: 'error', status: 500 });
    assert.equal(await answered(faults, '{"ref":"a"}'), 500);
    assert.equal(await answered(faults, '{"ref":"a"}'), undefined);
  });

  it('per payment: every retry of the start fails too; another start goes through', async () => {
    const faults = new Faults();
    faults.add({ provider: 'milkypay', operation: 'start', kind: 'error', status: 500, times: 1, per: 'payment' });
    assert.equal(await answered(faults, '{"ref":"a"}'), 500);
    assert.equal(await answered(faults, '{"ref":"a"}'), 500);
    assert.equal(await answered(faults, '{"ref":"a"}'), 500);
    assert.equal(await answered(faults, '{"ref":"b"}'), undefined, 'another payment start');
    assert.deepEqual(faults.list(), [], 'the one start used the rule up');
  });

  it('per payment: a repeat long after the last is a new start', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const faults = new Faults();
    faults.add({ provider: 'milkypay', operation: 'start', kind: 'error', status: 500, per: 'payment' });
    assert.equal(await answered(faults, 'x'), 500);
    t.mock.timers.tick(REPEAT_GAP_MS - 1);
    assert.equal(await answered(faults, 'x'), 500, 'a retry within the gap');
    t.mock.timers.tick(REPEAT_GAP_MS - 1);
    assert.equal(await answered(faults, 'x'), 500, 'the gap counts from the last retry');
    t.mock.timers.tick(REPEAT_GAP_MS + 1);
    assert.equal(await answered(faults, 'x'), undefined);
  });

  it('a start fault leaves other operations alone, and clearing ends its retries too', async () => {
    const faults = new Faults();
    faults.add({ provider: 'milkypay', operation: 'start', kind: 'error', status: 503, per: 'payment' });
    assert.equal(await answered(faults, 'x', ['create', 'processPaymentInvoice']), undefined, "the browser's own create");
    assert.equal(await answered(faults, 'x'), 503);
    faults.clear('milkypay');
    assert.equal(await answered(faults, 'x'), undefined);
  });

  it('refuses a per it does not know, and per payment on a webhook drop', () => {
    const faults = new Faults();
    assert.throws(() => faults.add({ provider: 'hero', kind: 'error', per: 'click' as 'payment' }), /per must be/);
    assert.throws(() => faults.add({ provider: 'hero', kind: 'drop', per: 'payment' }), /request faults only/);
  });
});
