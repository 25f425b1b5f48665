/// <reference types="mocha" />
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { recallPending } from '../../core/pending-payment.ts';
import { RedirectController } from './redirect-controller.ts';

/** A throwaway host for the controller alone. */
class RedirectControllerHost extends LitElement {
  readonly controller = new RedirectController(this);
}
customElements.define('test-redirect-controller-host', RedirectControllerHost);

const REF = 'kp_controllertest00000000001';

describe('RedirectController', () => {
  afterEach(() => {
    localStorage.removeItem(`kassa:pending:${REF}`);
    localStorage.removeItem('kassa:pending');
  });

  it('runs a scheduled step once, on a later task', async () => {
    const host = await fixture<RedirectControllerHost>(html`<test-redirect-controller-host></test-redirect-controller-host>`);
    const key = {};
    let runs = 0;
    host.controller.schedule(key, () => runs++);
    expect(runs).to.equal(0);
    expect(host.controller.isScheduled(key)).to.equal(true);
    await aTimeout(20);
    expect(runs).to.equal(1);
    expect(host.controller.isScheduled(key)).to.equal(false);
  });

  it('drops the scheduled step when its host leaves the page', async () => {
    const host = await fixture<RedirectControllerHost>(html`<test-redirect-controller-host></test-redirect-controller-host>`);
    const key = {};
    let runs = 0;
    host.controller.schedule(key, () => runs++);
    host.remove();
    expect(host.controller.isScheduled(key)).to.equal(false);
    await aTimeout(30);
    expect(runs).to.equal(0);
  });

  it('replaces an earlier step with a later one', async () => {
    const host = await fixture<RedirectControllerHost>(html`<test-redirect-controller-host></test-redirect-controller-host>`);
    const ran: string[] = [];
    host.controller.schedule({}, () => ran.push('first'));
    host.controller.schedule({}, () => ran.push('second'));
    await aTimeout(20);
    expect(ran).to.deep.equal(['second']);
  });

  it('remembers the pending payment before leaving, and cancels a scheduled step', async () => {
    const host = await fixture<RedirectControllerHost>(html`<test-redirect-controller-host></test-redirect-controller-host>`);
    let scheduledRuns = 0;
    host.controller.schedule({}, () => scheduledRuns++);
    let storedAtLeave: string | undefined;
    host.controller.leave({ reference: REF, endpoint: '/kassa', provider: 'hero' }, () => {
      storedAtLeave = recallPending(REF)?.provider;
    });
    expect(storedAtLeave).to.equal('hero');
    await aTimeout(20);
    expect(scheduledRuns).to.equal(0);
  });
});
