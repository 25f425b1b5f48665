/// <reference types="mocha" />
/**
 * The checkout flow's on-demand parts (parts.ts), against the real demo endpoint and sandbox: the fields, redirect,
 * QR and status elements start loading once the methods are painted, and a pay click whose parts cannot load (the
 * shopper went offline) makes no payment, reports a network error, and pays once when clicked again.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { ReactiveElement } from 'lit';
import { sandboxControl, testEnv } from '../../../test/browser/env.ts';
import { CheckoutController } from './checkout-controller.ts';
import { loadCheckoutParts } from './parts.ts';

class FlowHost extends ReactiveElement {}
customElements.define('kassa-test-flow-host', FlowHost);

function mountFlow(loadParts: () => Promise<void>) {
  const host = document.createElement('kassa-test-flow-host') as FlowHost;
  const errors: string[] = [];
  host.addEventListener('kassa-error', (event) => errors.push((event as Event & { code: string }).code));
  const flow = new CheckoutController(host, (key) => key, { loadParts });
  document.body.append(host);
  return { host, flow, errors };
}

describe('checkout flow: parts loaded on demand', () => {
  afterEach(() => document.querySelectorAll('kassa-test-flow-host').forEach((el) => el.remove()));

  it('starts loading the parts once the methods are painted, not before', async () => {
    const { endpointUrl } = await testEnv();
    let calls = 0;
    const { host, flow } = mountFlow(() => {
      calls++;
      return Promise.resolve();
    });
    // How many loads had started when the host rendered the methods (before that frame is painted).
    let atRender: number | undefined;
    host.addController({ hostUpdate: () => void (flow.view.name === 'choose' && (atRender ??= calls)) });
    flow.configure(endpointUrl, 'DEMO-EUR', 'en');
    expect(flow.view.name).to.equal('loading');
    expect(calls, 'nothing loads while the session opens').to.equal(0);
    await waitUntil(() => flow.view.name === 'choose', 'the methods should be shown', { timeout: 5_000 });
    expect(atRender, 'nothing loads before the methods are painted').to.equal(0);
    await waitUntil(() => calls === 1, 'the parts start loading after the paint', { timeout: 1_000 });
  });

  it('makes no payment when the parts cannot load, and one payment on the next click', async () => {
    const { endpointUrl } = await testEnv();
    await sandboxControl('POST', '/reset');
    let failing = true;
    const { flow, errors } = mountFlow(() => (failing ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : loadCheckoutParts()));
    flow.configure(endpointUrl, 'DEMO-EUR', 'en');
    await waitUntil(() => flow.view.name === 'choose', 'the methods should be shown', { timeout: 5_000 });
    flow.choose('hi-health');

    await flow.pay();
    expect(flow.payError).to.equal('network');
    expect(errors).to.deep.equal(['network']);
    expect(flow.view.name, 'still on the picker').to.equal('choose');
    const none = await sandboxControl<{ payments: unknown[] }>('GET', '/payments?provider=hidirect');
    expect(none.payments, 'no payment was made').to.have.length(0);

    failing = false;
    await flow.pay();
    expect(flow.view.name).to.equal('redirect');
    expect(customElements.get('kassa-redirect'), 'the redirect element is registered').to.not.equal(undefined);
    const one = await sandboxControl<{ payments: unknown[] }>('GET', '/payments?provider=hidirect');
    expect(one.payments).to.have.length(1);
  });
});
