/// <reference types="mocha" />
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { loadMessages, translate } from '../../core/i18n.ts';
import en from '../../core/locales/en.ts';
import type { NextAction } from '../../core/model.ts';
import { recallPending, type PendingPayment } from '../../core/pending-payment.ts';
import { KassaErrorEvent } from '../shared/events.ts';
import './define.ts';
import type { KassaRedirect } from './redirect.ts';
import type { KassaNavigation } from './navigation.ts';

const REF = 'kp_redirecttest0000000000001';
const PENDING: Omit<PendingPayment, 'savedAt'> = { reference: REF, endpoint: '/kassa', provider: 'milkypay' };
const REDIRECT: NextAction = { type: 'redirect', url: 'https://pay.example/hpp/inv_1?x=1' };
const POST_FORM: NextAction = {
  type: 'form',
  url: 'https://gate.example/hpp',
  method: 'POST',
  // `action` and `submit` would shadow the form's own properties if the element relied on them.
  fields: { sid: 'cgi_1', n: '2', action: 'pay', submit: 'yes', note: '"><script>window.__kassaPwned=2</script>' },
};

declare global {
  interface Window {
    __kassaPwned?: unknown;
  }
}

interface Spies {
  navigated: string[];
  submitted: HTMLFormElement[];
  /** Whether the pending payment was already in storage at each navigation / submission. */
  pendingAtLeave: boolean[];
}

function spies(): Spies {
  return { navigated: [], submitted: [], pendingAtLeave: [] };
}

/** A connected element with spies for navigate/submitForm, built the way a page would (properties, then insert). */
async function make(props: Partial<KassaRedirect> & { attrs?: Record<string, string> }, s: Spies = spies()): Promise<{ el: KassaRedirect; s: Spies }> {
  const el = document.createElement('kassa-redirect');
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  el.navigate = (url) => {
    s.pendingAtLeave.push(recallPending(REF) !== undefined);
    s.navigated.push(url);
  };
  el.submitForm = (form) => {
    s.pendingAtLeave.push(recallPending(REF) !== undefined);
    s.submitted.push(form);
  };
  const { attrs: _attrs, ...rest } = props;
  Object.assign(el, rest);
  await fixture(html`<div></div>`).then((host) => host.append(el));
  await el.updateComplete;
  return { el, s };
}

/**
 * Whether a node is missing. Assertions compare plain values, never DOM nodes: a failing chai assertion that holds
 * an element stalls web-test-runner until its 180 s timeout instead of failing (seen here).
 */
function absent(node: Node | null | undefined): boolean {
  return node == null;
}

function part(el: KassaRedirect, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

function clearPending(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('kassa:pending')) localStorage.removeItem(key);
}

describe('kassa-redirect', () => {
  beforeEach(() => {
    clearPending();
    delete window.__kassaPwned;
  });
  afterEach(clearPending);

  it('navigates once to a redirect URL, after remembering the pending payment', async () => {
    const { el, s } = await make({ action: REDIRECT, pending: PENDING, providerName: 'MilkyPay' });
    await waitUntil(() => s.navigated.length > 0, 'navigate was not called');
    await aTimeout(30);
    expect(s.navigated).to.deep.equal([REDIRECT.type === 'redirect' ? REDIRECT.url : '']);
    expect(s.pendingAtLeave).to.deep.equal([true]);
    expect(recallPending(REF)).to.include({ reference: REF, endpoint: '/kassa', provider: 'milkypay' });
    const message = part(el, 'message')!;
    expect(message.getAttribute('role')).to.equal('status');
    expect(message.textContent!.trim()).to.equal('Taking you to MilkyPay to pay…');
    expect(el.shadowRoot!.textContent).to.contain(en['redirect.notice']);
    const button = part(el, 'button') as HTMLAnchorElement;
    expect(button.localName).to.equal('a');
    expect(button.getAttribute('href')).to.equal('https://pay.example/hpp/inv_1?x=1');
    expect(button.textContent!.trim()).to.equal('Continue to payment');
    await expect(el).to.be.accessible();
  });

  it('says "the payment page" without a provider name', async () => {
    const { el } = await make({ action: REDIRECT, auto: true });
    expect(part(el, 'message')!.textContent!.trim()).to.equal(en['redirect.goingGeneric']);
  });

  it('submits a real POST form with one hidden input per field, after remembering the pending payment', async () => {
    const { el, s } = await make({ action: POST_FORM, pending: PENDING });
    await waitUntil(() => s.submitted.length > 0, 'submitForm was not called');
    await aTimeout(30);
    expect(s.submitted.length).to.equal(1);
    expect(s.navigated).to.deep.equal([]);
    expect(s.pendingAtLeave).to.deep.equal([true]);
    const form = s.submitted[0]!;
    expect(form.getRootNode() === el.shadowRoot).to.equal(true);
    expect(form.getAttribute('method')).to.equal('post');
    expect(form.getAttribute('action')).to.equal('https://gate.example/hpp');
    const inputs = [...form.querySelectorAll('input')];
    expect(inputs.every((input) => input.type === 'hidden')).to.equal(true);
    expect(inputs.map((input) => [input.name, input.value])).to.deep.equal(Object.entries((POST_FORM as { fields: object }).fields));
    // What the browser would actually send:
    expect(new FormData(form).get('note')).to.equal('"><script>window.__kassaPwned=2</script>');
    expect(absent(el.shadowRoot!.querySelector('script'))).to.equal(true);
    const button = part(el, 'button') as HTMLButtonElement;
    expect(button.localName).to.equal('button');
    expect(button.type).to.equal('submit');
    expect(button.form === form).to.equal(true);
    await aTimeout(10);
    expect(window.__kassaPwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('by default submits with the native submit, even when a field is named "submit"', async () => {
    const original = HTMLFormElement.prototype.submit;
    const submitted: HTMLFormElement[] = [];
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      submitted.push(this);
    };
    try {
      const el = document.createElement('kassa-redirect');
      el.navigate = () => undefined;
      el.action = POST_FORM;
      const host = await fixture(html`<div></div>`);
      host.append(el);
      await waitUntil(() => submitted.length > 0, 'the native submit was not called');
      expect(submitted[0]!.getRootNode() === el.shadowRoot).to.equal(true);
    } finally {
      HTMLFormElement.prototype.submit = original;
    }
  });

  describe('navigate(url, navigation)', () => {
    /** An element whose navigate declares both parameters, so it is handed form POSTs too. */
    async function takingOver(action: NextAction, extra: Partial<KassaRedirect> = {}) {
      const calls: Array<{ url: string; navigation: KassaNavigation; pendingSaved: boolean }> = [];
      const submitted: HTMLFormElement[] = [];
      const el = document.createElement('kassa-redirect');
      el.navigate = (url, navigation) => void calls.push({ url, navigation, pendingSaved: recallPending(REF) !== undefined });
      el.submitForm = (form) => void submitted.push(form);
      Object.assign(el, { action, pending: PENDING, ...extra });
      await fixture(html`<div></div>`).then((host) => host.append(el));
      await el.updateComplete;
      return { el, calls, submitted };
    }

    it('hands a POST form to a navigate that takes the navigation: method, URL and fields in order, nothing submitted', async () => {
      const { calls, submitted } = await takingOver(POST_FORM);
      await waitUntil(() => calls.length > 0, 'navigate was not called');
      await aTimeout(30);
      expect(calls.length).to.equal(1);
      expect(submitted.length, 'the form is not submitted').to.equal(0);
      const { url, navigation, pendingSaved } = calls[0]!;
      expect(url).to.equal('https://gate.example/hpp');
      expect(navigation.method).to.equal('POST');
      expect(navigation.url).to.equal(url);
      const fields = navigation.method === 'POST' ? navigation.fields.map(([name, value]) => [name, value]) : [];
      expect(fields).to.deep.equal(Object.entries((POST_FORM as { fields: object }).fields));
      expect(pendingSaved, 'the pending payment is remembered first').to.equal(true);
    });

    it('describes a redirect as a GET with its URL', async () => {
      const { calls, submitted } = await takingOver(REDIRECT);
      await waitUntil(() => calls.length > 0, 'navigate was not called');
      expect(calls.map(({ url, navigation }) => ({ url, navigation }))).to.deep.equal([
        { url: 'https://pay.example/hpp/inv_1?x=1', navigation: { method: 'GET', url: 'https://pay.example/hpp/inv_1?x=1' } },
      ]);
      expect(submitted.length).to.equal(0);
    });

    it('lets navigate fall back to submitting the element’s own form', async () => {
      const submitted: HTMLFormElement[] = [];
      const el = document.createElement('kassa-redirect');
      el.navigate = (url, navigation) => {
        if (navigation.method === 'POST') navigation.submit();
      };
      el.submitForm = (form) => void submitted.push(form);
      el.action = POST_FORM;
      await fixture(html`<div></div>`).then((host) => host.append(el));
      await waitUntil(() => submitted.length > 0, 'submit() did not submit the form');
      expect(submitted[0]!.getRootNode() === el.shadowRoot).to.equal(true);
    });

    it('submits the form by default (no navigate given)', async () => {
      const submitted: HTMLFormElement[] = [];
      const el = document.createElement('kassa-redirect');
      el.submitForm = (form) => void submitted.push(form);
      el.action = POST_FORM;
      await fixture(html`<div></div>`).then((host) => host.append(el));
      await waitUntil(() => submitted.length > 0, 'the default did not submit the form');
      expect(submitted.length).to.equal(1);
    });

    it('hands the POST to navigate from the fallback button too', async () => {
      const { el, calls, submitted } = await takingOver(POST_FORM, { auto: false });
      await aTimeout(30);
      expect(calls.length, 'nothing before the click').to.equal(0);
      (part(el, 'button') as HTMLButtonElement).click();
      await waitUntil(() => calls.length > 0, 'navigate was not called');
      expect(calls[0]!.navigation.method).to.equal('POST');
      expect(submitted.length).to.equal(0);
    });

    it('never hands a POST to a navigate that declares only the URL: the form is submitted', async () => {
      const { s } = await make({ action: POST_FORM, pending: PENDING });
      await waitUntil(() => s.submitted.length > 0, 'submitForm was not called');
      await aTimeout(30);
      expect(s.navigated).to.deep.equal([]);
      expect(s.submitted.length).to.equal(1);
    });
  });

  it('navigates to the URL with the fields in the query for a GET form', async () => {
    const { s } = await make({ action: { type: 'form', url: 'https://gate.example/hpp?lang=sv', method: 'GET', fields: { sid: 'a b', n: '2' } } });
    await waitUntil(() => s.navigated.length > 0);
    expect(s.submitted.length).to.equal(0);
    const url = new URL(s.navigated[0]!);
    expect(url.origin + url.pathname).to.equal('https://gate.example/hpp');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({ lang: 'sv', sid: 'a b', n: '2' });
  });

  const unsafe: Array<[label: string, action: NextAction, allowedHosts?: string[]]> = [
    ['a javascript: URL', { type: 'redirect', url: 'javascript:window.__kassaPwned=1' }],
    ['a data: URL', { type: 'redirect', url: 'data:text/html,<script>window.__kassaPwned=1</script>' }],
    ['a relative URL', { type: 'redirect', url: '/elsewhere' }],
    ['credentials in the URL', { type: 'redirect', url: 'https://user:pw@pay.example/' }],
    ['plain http off loopback', { type: 'redirect', url: 'http://pay.example/' }],
    ['a host outside allowedHosts', { type: 'redirect', url: 'https://evil.example/hpp' }, ['pay.example']],
    ['a POST form to a javascript: URL', { type: 'form', url: 'javascript:window.__kassaPwned=1', method: 'POST', fields: { a: '1' } }],
    ['a POST form to a host outside allowedHosts', { type: 'form', url: 'https://evil.example/', method: 'POST', fields: {} }, ['gate.example']],
  ];
  for (const [label, action, allowedHosts] of unsafe) {
    it(`refuses ${label}: no navigation, a kassa-error, the message`, async () => {
      const { el, s } = await make({ auto: true, allowedHosts });
      const event = oneEvent(document, KassaErrorEvent.type) as Promise<KassaErrorEvent>;
      el.action = action;
      const error = await event;
      expect(error instanceof KassaErrorEvent).to.equal(true);
      expect(error.code).to.equal('unsafe-action');
      expect(error.message).to.equal(en['redirect.unsafe']);
      expect(error.bubbles && error.composed).to.equal(true);
      await aTimeout(30);
      expect(s.navigated).to.deep.equal([]);
      expect(s.submitted.length).to.equal(0);
      const message = part(el, 'message')!;
      expect(message.getAttribute('role')).to.equal('alert');
      expect(message.textContent!.trim()).to.equal(en['redirect.unsafe']);
      expect(absent(part(el, 'button'))).to.equal(true);
      expect(absent(el.shadowRoot!.querySelector('a, form'))).to.equal(true);
      expect(window.__kassaPwned).to.equal(undefined);
      await expect(el).to.be.accessible();
    });
  }

  it('reports an unsafe action once, however often it re-renders', async () => {
    const { el } = await make({});
    let errors = 0;
    el.addEventListener(KassaErrorEvent.type, () => errors++);
    const action: NextAction = { type: 'redirect', url: 'javascript:alert(1)' };
    el.action = action;
    await el.updateComplete;
    el.action = action;
    el.providerName = 'X';
    await el.updateComplete;
    expect(errors).to.equal(1);
  });

  it('refuses an allowed URL once allowedHosts no longer lists it, before it leaves', async () => {
    const s = spies();
    const el = document.createElement('kassa-redirect');
    el.navigate = (url) => s.navigated.push(url);
    el.allowedHosts = ['pay.example'];
    el.action = REDIRECT;
    const host = await fixture(html`<div></div>`);
    host.append(el);
    await el.updateComplete; // rendered, the automatic step waiting
    el.allowedHosts = ['other.example'];
    await aTimeout(30);
    expect(s.navigated).to.deep.equal([]);
    expect(part(el, 'message')!.getAttribute('role')).to.equal('alert');
  });

  it('does nothing for actions that are not redirects or forms', async () => {
    for (const action of [{ type: 'none' }, { type: 'qr', data: 'D1' }] as NextAction[]) {
      const { el, s } = await make({ action });
      let errors = 0;
      el.addEventListener(KassaErrorEvent.type, () => errors++);
      await aTimeout(20);
      expect(s.navigated.length + s.submitted.length + errors).to.equal(0);
      expect(el.shadowRoot!.children.length).to.equal(0);
    }
  });

  it('with auto="false" waits; the link works with the keyboard (Tab, Enter)', async () => {
    const { el, s } = await make({ action: REDIRECT, pending: PENDING, attrs: { auto: 'false' } });
    expect(el.auto).to.equal(false);
    await aTimeout(30);
    expect(s.navigated).to.deep.equal([]);
    expect(absent(part(el, 'message'))).to.equal(true); // nothing claims to be "taking you" anywhere
    expect(localStorage.getItem(`kassa:pending:${REF}`)).to.equal(null);
    await expect(el).to.be.accessible();

    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === part(el, 'button')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => s.navigated.length > 0, 'Enter on the link did not navigate');
    expect(s.navigated).to.deep.equal(['https://pay.example/hpp/inv_1?x=1']);
    expect(s.pendingAtLeave).to.deep.equal([true]);
  });

  it('the POST fallback button submits the form with Enter', async () => {
    const { el, s } = await make({ action: POST_FORM, pending: PENDING, auto: false });
    await aTimeout(30);
    expect(s.submitted.length).to.equal(0);
    (part(el, 'button') as HTMLButtonElement).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => s.submitted.length > 0, 'Enter on the button did not submit');
    expect(s.submitted.length).to.equal(1);
    expect(s.submitted[0]!.getAttribute('action')).to.equal('https://gate.example/hpp');
    expect(s.pendingAtLeave).to.deep.equal([true]);
  });

  it('the button still works after the automatic step (a blocked redirect)', async () => {
    const { el, s } = await make({ action: REDIRECT });
    await waitUntil(() => s.navigated.length === 1);
    (part(el, 'button') as HTMLAnchorElement).click();
    expect(s.navigated).to.have.length(2);
  });

  it('leaves a modifier click (new tab) to the browser, remembering the payment', async () => {
    const { el, s } = await make({ action: REDIRECT, pending: PENDING, auto: false });
    // Stop the test page itself from opening a tab: cancel after the element has seen the click.
    el.addEventListener('click', (event) => event.preventDefault());
    part(el, 'button')!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true, ctrlKey: true }));
    expect(s.navigated).to.deep.equal([]);
    expect(recallPending(REF)?.reference).to.equal(REF);
  });

  it('acts once when the same action object is set again, re-rendered or re-inserted', async () => {
    const { el, s } = await make({ action: REDIRECT });
    await waitUntil(() => s.navigated.length > 0);
    el.action = REDIRECT;
    el.providerName = 'Hero';
    await el.updateComplete;
    const parent = el.parentElement!;
    el.remove();
    parent.append(el);
    await el.updateComplete;
    await aTimeout(50);
    expect(s.navigated).to.have.length(1);
  });

  it('acts again for a new action object', async () => {
    const { el, s } = await make({ action: REDIRECT });
    await waitUntil(() => s.navigated.length === 1);
    el.action = { type: 'redirect', url: 'https://pay.example/second' };
    await waitUntil(() => s.navigated.length === 2);
    expect(s.navigated[1]).to.equal('https://pay.example/second');
  });

  it('does not navigate when removed before the automatic step (nor after the first render)', async () => {
    const s = spies();
    const host = await fixture(html`<div></div>`);
    const early = document.createElement('kassa-redirect');
    early.navigate = (url) => s.navigated.push(url);
    early.action = REDIRECT;
    host.append(early);
    early.remove(); // in the same task: not even rendered

    const late = document.createElement('kassa-redirect');
    late.navigate = (url) => s.navigated.push(url);
    late.action = { type: 'form', url: 'https://gate.example/hpp', method: 'POST', fields: {} };
    late.submitForm = (form) => s.submitted.push(form);
    host.append(late);
    await late.updateComplete; // rendered, step not yet run
    late.remove();

    await aTimeout(50);
    expect(s.navigated).to.deep.equal([]);
    expect(s.submitted.length).to.equal(0);

    host.append(late); // back in the page, never left: goes now
    await waitUntil(() => s.submitted.length === 1, 'a re-inserted element did not go');
  });

  it('renders a hostile provider name as text and runs nothing', async () => {
    const name = '<img src=x onerror=window.__kassaPwned=1>';
    const { el } = await make({ action: REDIRECT, providerName: name, auto: true });
    expect(part(el, 'message')!.textContent!.trim()).to.equal(`Taking you to ${name} to pay…`);
    expect(absent(el.shadowRoot!.querySelector('img'))).to.equal(true);
    await aTimeout(50);
    expect(window.__kassaPwned).to.equal(undefined);
  });

  it('speaks the locale it is given', async () => {
    const { el } = await make({ action: REDIRECT, auto: false, attrs: { locale: 'sv' } });
    const sv = await loadMessages('sv');
    await waitUntil(() => part(el, 'button')!.textContent!.trim() === translate(sv, 'redirect.continue'));
    // The catalogue chosen is Swedish (keys it lacks fall back to English).
    await waitUntil(() => (el as unknown as { i18n: { locale: string } }).i18n.locale === 'sv');
    el.setAttribute('locale', 'en');
    el.auto = true;
    await waitUntil(() => part(el, 'message')?.textContent!.trim() === en['redirect.goingGeneric']);
  });
});
