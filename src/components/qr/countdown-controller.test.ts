/// <reference types="mocha" />
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { CountdownController } from './countdown-controller.ts';

let clock = 0;

/** A throwaway host with a clock the test moves. */
class CountdownHost extends LitElement {
  readonly countdown = new CountdownController(this, () => clock);
  updates = 0;
  protected override updated(): void {
    this.updates++;
  }
}
customElements.define('test-countdown-host', CountdownHost);

describe('CountdownController', () => {
  beforeEach(() => {
    clock = Date.parse('2030-01-01T12:00:00.000Z');
  });

  it('gives whole seconds left, rounded up, and expires at the deadline', async () => {
    const host = await fixture<CountdownHost>(html`<test-countdown-host></test-countdown-host>`);
    expect([host.countdown.active, host.countdown.secondsLeft, host.countdown.expired]).to.deep.equal([false, undefined, false]);
    host.countdown.setDeadline('2030-01-01T12:01:05.000Z');
    expect([host.countdown.active, host.countdown.secondsLeft, host.countdown.expired]).to.deep.equal([true, 65, false]);
    clock += 64_200;
    expect(host.countdown.secondsLeft).to.equal(1);
    clock += 800;
    expect([host.countdown.secondsLeft, host.countdown.expired]).to.deep.equal([0, true]);
    clock += 10_000;
    expect(host.countdown.secondsLeft).to.equal(0);
  });

  it('treats an unreadable time as no deadline', async () => {
    const host = await fixture<CountdownHost>(html`<test-countdown-host></test-countdown-host>`);
    for (const value of ['', 'soon', undefined, null]) {
      host.countdown.setDeadline(value);
      expect([host.countdown.active, host.countdown.expired]).to.deep.equal([false, false]);
    }
  });

  it('updates its host about once a second while connected, and never after it leaves', async () => {
    const host = await fixture<CountdownHost>(html`<test-countdown-host></test-countdown-host>`);
    host.countdown.setDeadline('2030-01-01T12:10:00.000Z');
    const start = host.updates;
    await aTimeout(1100);
    expect(host.updates - start).to.be.within(1, 2);
    host.remove();
    const after = host.updates;
    await aTimeout(1200);
    expect(host.updates).to.equal(after);
  });

  it('stops ticking once expired', async () => {
    const host = await fixture<CountdownHost>(html`<test-countdown-host></test-countdown-host>`);
    host.countdown.setDeadline('2030-01-01T12:00:00.500Z');
    clock += 1000; // expired before the first tick
    await aTimeout(700);
    const after = host.updates;
    await aTimeout(1200);
    expect(host.updates).to.equal(after);
  });
});
