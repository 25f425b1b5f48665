/**
 * The checkout's flow and all its I/O: the session, the chosen method and its fields, the pay request (one
 * idempotency key per click, network retries with that same key), carrying out the next action (redirect, QR,
 * Kronor in the browser, status), and the final result. `kassa-checkout` only renders `view` and forwards the
 * shopper's gestures and its children's events here.
 */
import { isServer, type ReactiveController, type ReactiveControllerHost } from 'lit';
import {
  EndpointError,
  newIdempotencyKey,
  openSession,
  readPayment,
  startPayment,
  type EndpointErrorCode,
} from '../../core/endpoint-client.ts';
import { carriedSession } from '../../core/carried-session.ts';
import { forgetAttempt, recallAttempt, rememberAttempt } from '../../core/open-attempt.ts';
import type { MessageKey } from '../../core/i18n.ts';
import { retryableImport } from '../../core/retryable-import.ts';
import { isSettledForShopper, type NextAction, type PaymentMethod, type PaymentState, type PaymentView, type SessionResponse } from '../../core/model.ts';
import { checkoutPageUrl, type PendingPayment } from '../../core/pending-payment.ts';
import type { KronorAccess, KronorBrowserSession, KronorMethod } from '../../providers/kronor/browser.ts';
import { KassaErrorEvent, KassaMethodChangeEvent, KassaPaymentStartEvent } from '../shared/events.ts';
import { loadCheckoutParts } from './parts.ts';

/** Kronor access plus the payment request to follow: what `kassa-status` and the return page need. */
export interface KronorWatch extends KronorAccess {
  waitToken: string;
}

/** The Kronor browser module (`src/providers/kronor/browser.ts`), loaded only when a Kronor method is used. */
export type KronorModule = Pick<typeof import('../../providers/kronor/browser.ts'), 'openKronorSession'>;

export type RedirectAction = Extract<NextAction, { type: 'redirect' | 'form' }>;
type KronorAction = Extract<NextAction, { type: 'kronor' }>;

/** Why the checkout stopped without a payment result of its own. */
export type CheckoutFailure = 'kronor' | 'unsafe-action';

/** Everything the checkout can show; `kassa-checkout` renders exactly one of these. */
export type CheckoutView =
  /** No endpoint or order yet. */
  | { name: 'idle' }
  | { name: 'loading' }
  /** The session could not be opened (or is no longer valid): a message and a retry that opens a new one. */
  | { name: 'unavailable'; code: EndpointErrorCode }
  /** The order already has a successful payment (`order-already-paid`): that payment's status, no picker. */
  | { name: 'paid'; reference: string }
  /** The picker, the chosen method's fields and the pay button. */
  | { name: 'choose' }
  | { name: 'redirect'; payment: PaymentView; action: RedirectAction; pending: Omit<PendingPayment, 'savedAt'> }
  /** Kronor: the payment is being started in the browser; waiting for its QR code or page. */
  | { name: 'starting'; payment: PaymentView; action: KronorAction; key: string }
  /** A QR code to scan (and an app link), with the live status; `app` is set when Kassa knows the app (Swish). */
  | { name: 'qr'; payment: PaymentView; data: string; deepLink?: string; app?: string; expiresAt?: string; kronor?: KronorWatch }
  /** Waiting for the payment to become final, shown by `kassa-status`. */
  | { name: 'waiting'; payment: PaymentView; kronor?: KronorWatch }
  | { name: 'succeeded'; payment: PaymentView }
  | { name: 'failed'; payment?: PaymentView; state?: PaymentState; reason?: CheckoutFailure };

/** How long a pay request runs before the checkout says whom it is waiting for and offers to stop waiting. */
export const SLOW_START_MS = 1_000;

/** How long to wait before each automatic retry of a pay request that met a network error (same key each time). */
export const PAY_RETRY_DELAYS_MS = [300, 900] as const;

export interface CheckoutDeps {
  openSession: typeof openSession;
  startPayment: typeof startPayment;
  readPayment: typeof readPayment;
  newIdempotencyKey: () => string;
  /** Loads the Kronor browser module; only ever called when a Kronor method is used. */
  loadKronor: () => Promise<KronorModule>;
  /** Loads (and registers) the fields, redirect, QR and status elements; started once the methods are painted. */
  loadParts: () => Promise<void>;
  /** The session the page carries inside the element for this order (see core/carried-session.ts), if usable. */
  carriedSession: (host: HTMLElement, order: string, given: unknown) => SessionResponse | undefined;
}

const DEFAULT_DEPS: CheckoutDeps = {
  openSession,
  startPayment,
  readPayment,
  newIdempotencyKey,
  loadKronor: retryableImport(() => import('../../providers/kronor/browser.ts')),
  loadParts: loadCheckoutParts,
  carriedSession: (host, order, given) => carriedSession(host, order, given),
};

/** Runs `then` in a task after the next frame is painted (an animation frame, then a task). */
export const afterPaint = (then: () => unknown): unknown => (isServer ? undefined : requestAnimationFrame(() => setTimeout(then)));

/** Session problems a new session fixes; the others leave the shopper on the picker. */
const SESSION_PROBLEMS: ReadonlySet<EndpointErrorCode> = new Set(['invalid-token', 'token-mismatch', 'idempotency-conflict']);

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export class CheckoutController implements ReactiveController {
  view: CheckoutView = { name: 'idle' };
  session: SessionResponse | undefined;
  /** The chosen method's id. */
  methodId: string | undefined;
  /** The chosen method's field values, as `kassa-method-fields` last reported them. */
  values: Record<string, string> = {};
  /** Whether the chosen method's fields are valid (true for a method without fields). */
  fieldsValid = false;
  /** A pay request is running (the pay button does nothing meanwhile). */
  busy = false;
  /** The running pay request has taken longer than `SLOW_START_MS`: progress and a way to stop waiting are shown. */
  slow = false;
  /** Why the last pay request failed, shown next to the pay button. */
  payError: EndpointErrorCode | undefined;
  /** The field the endpoint found wrong (`fields.phone`), for the fields element to show; taken once. */
  fieldProblem: string | undefined;
  /** Set when a method was chosen and the host must read the fields element's validity once it has rendered. */
  fieldsSyncPending = false;

  private endpoint = '';
  private order = '';
  private locale: string | undefined;
  private deps: CheckoutDeps;
  /** Aborts the running session or pay request (and its retry waits). */
  private abort: AbortController | undefined;
  /** Bumped whenever the flow leaves a step, so answers for a step that is over are ignored. */
  private run = 0;
  /**
   * The key of a click whose outcome is unknown (network error after every retry, or the element left the page
   * mid-request). The next click with the same method and fields sends it again, so it cannot make a second payment.
   */
  private unsettled: { key: string; body: string } | undefined;
  private kronor: { session?: KronorBrowserSession; access: KronorAccess; unwatch?: () => void } | undefined;
  private resumeOnConnect = false;
  /** The token of the carried session last taken: never taken twice, so a refused one leads to a new session. */
  private carriedToken: string | undefined;
  /** A session given to the element as a property (`session`), taken like one the page carries. */
  private given: unknown;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly t: Translate,
    deps: Partial<CheckoutDeps> = {},
  ) {
    this.deps = { ...DEFAULT_DEPS, ...deps };
    host.addController(this);
  }

  get method(): PaymentMethod | undefined {
    return this.session?.methods.find((m) => m.id === this.methodId);
  }

  /** Whether a click on pay would start a payment now. */
  get canPay(): boolean {
    return this.view.name === 'choose' && !this.busy && this.method !== undefined && this.fieldsValid;
  }

  hostConnected(): void {
    window.addEventListener('online', this.onOnline);
    if (!this.resumeOnConnect) return;
    this.resumeOnConnect = false;
    if (this.view.name === 'loading') void this.load();
    else if (this.view.name === 'starting') void this.startKronor(this.view.payment, this.view.action, this.view.key);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.onOnline);
    this.run++;
    this.abort?.abort();
    this.abort = undefined;
    this.releaseKronor();
    if (this.busy) this.busy = false; // the request's outcome is unknown: `unsettled` keeps its key for the next click
    this.resumeOnConnect = true;
  }

  /** A session that could not open for want of a network opens as soon as the browser is back online. */
  private readonly onOnline = (): void => {
    if (this.view.name === 'unavailable' && this.view.code === 'network') void this.load();
  };

  /**
   * A session the shop's server opened (a server renderer or a framework sets the element's `session`): taken instead
   * of asking the endpoint, as a carried one is. Given while the checkout is still asking, it ends the wait.
   */
  give(session: unknown): void {
    this.given = session;
    if (this.view.name === 'loading' || this.view.name === 'idle') void this.load();
  }

  /** Opens a session for this endpoint and order (again, when they change). */
  configure(endpoint: string, order: string, locale: string | undefined): void {
    this.locale = locale;
    if (endpoint === this.endpoint && order === this.order) return;
    this.endpoint = endpoint;
    this.order = order;
    void this.load();
  }

  /** Opens a new session: on first show, after an endpoint error (the retry button), or when the order changed. */
  async load(): Promise<void> {
    const run = this.leaveStep();
    this.session = undefined;
    this.methodId = undefined;
    this.values = {};
    this.fieldsValid = false;
    this.payError = undefined;
    this.unsettled = undefined;
    if (!this.endpoint || !this.order) return this.show({ name: 'idle' });
    const carried = this.takeCarriedSession();
    // A carried session with no earlier payment to resume shows the methods in this very update: a server-rendered
    // checkout then hydrates as it was rendered, and a plain page paints the methods one task sooner.
    if (carried && (isServer || !recallAttempt(this.endpoint, this.order))) {
      this.session = carried;
      this.show({ name: 'choose' });
      afterPaint(() => this.deps.loadParts().catch(() => undefined));
      return;
    }
    this.show({ name: 'loading' });
    // A server renderer shows "loading" and asks nothing: the browser opens the session once the element runs there.
    if (isServer) return;
    const abort = (this.abort = new AbortController());
    try {
      const session = carried ?? (await this.deps.openSession(this.endpoint, this.order, { locale: this.locale, signal: abort.signal }));
      if (run !== this.run) return;
      this.session = session;
      if (await this.resume(run, abort.signal)) return;
      this.show({ name: 'choose' });
      // Once the methods are painted: starting four imports costs a phone ~15 ms. pay() waits for them (and reports a failure).
      afterPaint(() => this.deps.loadParts().catch(() => undefined));
    } catch (error) {
      if (run !== this.run) return;
      if (this.showPaid(error)) return;
      const code = errorCode(error);
      this.show({ name: 'unavailable', code });
      this.reportError(code);
    }
  }

  /** The session the page carries for this order, unless it was taken before (it may be the one that failed). */
  private takeCarriedSession(): SessionResponse | undefined {
    const carried = this.deps.carriedSession(this.host, this.order, this.given);
    if (!carried || carried.token === this.carriedToken) return undefined;
    this.carriedToken = carried.token;
    return carried;
  }

  /**
   * After a reload: the payment this tab started for the order and has not seen end is shown again (its QR code,
   * its provider page, its status) instead of the picker, so the shopper does not start a second one.
   */
  private async resume(run: number, signal: AbortSignal): Promise<boolean> {
    const attempt = recallAttempt(this.endpoint, this.order);
    if (!attempt) return false;
    let payment: PaymentView;
    try {
      payment = await this.deps.readPayment(this.endpoint, attempt.payment.reference, signal);
    } catch {
      return false; // unknown or unreadable: the picker, and the endpoint cancels the old attempt on the next one
    }
    if (run !== this.run) return true;
    if (isSettledForShopper(payment.state)) {
      forgetAttempt(this.endpoint, this.order);
      return false;
    }
    await this.deps.loadParts().catch(() => undefined);
    if (run !== this.run) return true;
    // A provider page is not opened again by itself (the shopper may have come back from it on purpose): its live
    // status, with Cancel, is shown instead. A QR code or a Kronor request is shown again as it was.
    if (attempt.action.type === 'redirect' || attempt.action.type === 'form') this.show({ name: 'waiting', payment });
    else this.carryOut(payment, attempt.action, attempt.key);
    return true;
  }

  /** `order-already-paid`: the paying payment's status instead of the picker; false for any other failure. */
  private showPaid(error: unknown): boolean {
    if (!(error instanceof EndpointError) || error.code !== 'order-already-paid' || !error.payment) return false;
    const reference = error.payment;
    forgetAttempt(this.endpoint, this.order);
    const run = this.leaveStep();
    void this.deps
      .loadParts()
      .catch(() => undefined)
      .then(() => {
        if (run === this.run) this.show({ name: 'paid', reference });
      });
    return true;
  }

  /** The shopper chose a method in the picker. */
  choose(methodId: string): void {
    if (this.view.name !== 'choose' || this.busy || methodId === this.methodId) return;
    const method = this.session?.methods.find((m) => m.id === methodId);
    if (!method) return;
    this.methodId = methodId;
    this.values = {};
    this.fieldsValid = !method.fields?.length;
    this.fieldsSyncPending = Boolean(method.fields?.length);
    this.payError = undefined;
    this.fieldProblem = undefined;
    this.host.requestUpdate();
    this.host.dispatchEvent(new KassaMethodChangeEvent(method));
  }

  /** What `kassa-method-fields` reports: its values and whether they are valid. */
  setFields(values: Record<string, string>, valid: boolean): void {
    this.fieldsSyncPending = false;
    if (valid === this.fieldsValid && sameValues(values, this.values)) return;
    this.values = { ...values };
    this.fieldsValid = valid;
    this.host.requestUpdate();
  }

  /**
   * Starts the payment for the chosen method: one idempotency key per click, sent again on each automatic retry
   * after a network error. Does nothing while a request runs, so a double click makes one request.
   */
  async pay(): Promise<void> {
    const method = this.method;
    const session = this.session;
    if (!this.canPay || !method || !session) return;
    this.busy = true; // synchronously: a second click in the same task finds the checkout busy
    this.slow = false;
    this.payError = undefined;
    this.host.requestUpdate();

    const fields = method.fields?.length ? { ...this.values } : undefined;
    const body = JSON.stringify([method.id, fields ?? null]);
    const key = this.unsettled?.body === body ? this.unsettled.key : this.deps.newIdempotencyKey();
    this.unsettled = { key, body };
    const run = this.run;
    const abort = (this.abort = new AbortController());
    const slowTimer = setTimeout(() => {
      if (run !== this.run || !this.busy) return;
      this.slow = true;
      this.host.requestUpdate();
    }, SLOW_START_MS);

    try {
      // What follows the answer (redirect, QR code, status) must be able to show before a payment is made.
      await this.deps.loadParts().catch(() => {
        throw new EndpointError('network', 0);
      });
      if (run !== this.run) return;
      const response = await this.requestPayment({ token: session.token, method: method.id, fields, idempotencyKey: key, signal: abort.signal });
      if (run !== this.run) return;
      this.unsettled = undefined; // the outcome is known: the next click is a new payment
      this.busy = false;
      rememberAttempt(this.endpoint, this.order, { payment: response.payment, action: response.action, key });
      this.host.dispatchEvent(new KassaPaymentStartEvent(response.payment, response.action));
      this.carryOut(response.payment, response.action, key);
    } catch (error) {
      if (run !== this.run) return;
      this.busy = false;
      if (this.showPaid(error)) return;
      const code = errorCode(error);
      if (code !== 'network') this.unsettled = undefined;
      if (code === 'invalid-fields' && error instanceof EndpointError && error.field?.startsWith('fields.')) this.fieldProblem = error.field;
      if (SESSION_PROBLEMS.has(code)) this.show({ name: 'unavailable', code });
      else {
        this.payError = code;
        this.host.requestUpdate();
      }
      this.reportError(code);
    } finally {
      clearTimeout(slowTimer);
      if (run === this.run) this.slow = false;
    }
  }

  /** `kassa-status` reported success (it fired `kassa-complete` itself). */
  succeeded(payment: PaymentView): void {
    if (!isWaiting(this.view)) return;
    forgetAttempt(this.endpoint, this.order);
    this.leaveStep();
    this.show({ name: 'succeeded', payment });
  }

  /** `kassa-status` reported a final failure (it fired `kassa-fail` itself). */
  failed(payment: PaymentView): void {
    if (!isWaiting(this.view)) return;
    forgetAttempt(this.endpoint, this.order);
    this.leaveStep();
    this.show({ name: 'failed', payment, state: payment.state });
  }

  /** `kassa-redirect` refused the action's address (it fired `kassa-error` itself). */
  refusedAction(): void {
    if (this.view.name !== 'redirect') return;
    const payment = this.view.payment;
    this.cancelKronor();
    this.leaveStep();
    this.show({ name: 'failed', payment, reason: 'unsafe-action' });
  }

  /**
   * The shopper stopped waiting: back to the picker (a Kronor payment is cancelled at Kronor). While the pay request
   * itself runs, it stops waiting for the answer; the click's key stays kept (`unsettled`), so the same method and
   * fields again send it again and cannot make a second payment.
   */
  cancel(): void {
    if (this.view.name === 'choose' && this.busy) {
      this.leaveStep();
      this.slow = false;
      this.host.requestUpdate();
      return;
    }
    if (!isWaiting(this.view)) return;
    forgetAttempt(this.endpoint, this.order);
    this.cancelKronor();
    this.leaveStep();
    this.show({ name: 'choose' });
  }

  /** "Try again" after a failed payment: back to the picker; the next click makes a new payment (a new key). */
  retry(): void {
    if (this.view.name === 'unavailable' || this.view.name === 'idle') {
      void this.load();
      return;
    }
    if (this.view.name !== 'failed') return;
    this.leaveStep();
    this.unsettled = undefined;
    this.payError = undefined;
    this.show({ name: 'choose' });
  }

  private async requestPayment(input: Parameters<typeof startPayment>[1] & { signal: AbortSignal }) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.startPayment(this.endpoint, input);
      } catch (error) {
        const delay = PAY_RETRY_DELAYS_MS[attempt];
        if (!(error instanceof EndpointError) || error.code !== 'network' || delay === undefined) throw error;
        await wait(delay, input.signal);
      }
    }
  }

  private carryOut(payment: PaymentView, action: NextAction, key: string): void {
    switch (action.type) {
      case 'redirect':
      case 'form':
        return this.show({
          name: 'redirect',
          payment,
          action,
          pending: { reference: payment.reference, endpoint: this.endpoint, provider: payment.provider, ...this.checkoutPlace() },
        });
      case 'qr':
        return this.show({
          name: 'qr',
          payment,
          data: action.data,
          deepLink: action.deepLink,
          expiresAt: action.expiresAt,
        });
      case 'kronor':
        this.show({ name: 'starting', payment, action, key });
        void this.startKronor(payment, action, key);
        return;
      case 'none':
        return this.show({ name: 'waiting', payment });
    }
  }

  /** Where the shopper is checking out (this page, this language): the return page comes back to it. */
  private checkoutPlace(): Pick<PendingPayment, 'checkoutUrl' | 'locale'> {
    const checkoutUrl = checkoutPageUrl();
    return { ...(checkoutUrl ? { checkoutUrl } : {}), ...(this.locale ? { locale: this.locale } : {}) };
  }

  /**
   * Kronor: the browser starts the payment with the session token (the same key again on a resume, so Kronor answers
   * the same request), then follows it until it has a QR code (Swish) or a page to send the shopper to.
   */
  private async startKronor(payment: PaymentView, action: KronorAction, key: string): Promise<void> {
    const run = this.run;
    const access: KronorAccess = { sessionToken: action.sessionToken, httpUrl: action.httpUrl, wsUrl: action.wsUrl };
    this.kronor = { access };
    try {
      const module = await this.deps.loadKronor();
      if (run !== this.run) return;
      const session = module.openKronorSession(access);
      if (run !== this.run) return session.dispose();
      this.kronor = { access, session };
      const { waitToken } = await session.start(action.paymentMethod as KronorMethod, { returnUrl: action.returnUrl, idempotencyKey: key });
      if (run !== this.run) return;
      const watch: KronorWatch = { ...access, waitToken };
      let done = false;
      const unwatch = session.watch(
        waitToken,
        (request) => {
          if (done || run !== this.run) return;
          if (request.qrCode) {
            this.show({ name: 'qr', payment, data: request.qrCode, deepLink: request.appUrl, app: 'Swish', expiresAt: action.expiresAt, kronor: watch });
          } else if (request.pageUrl) {
            this.show({
              name: 'redirect',
              payment,
              action: { type: 'redirect', url: request.pageUrl },
              pending: { reference: payment.reference, endpoint: this.endpoint, provider: 'kronor', kronor: watch, ...this.checkoutPlace() },
            });
          } else if (isSettledForShopper(request.state)) this.show({ name: 'waiting', payment, kronor: watch });
          else return;
          done = true;
          this.stopWatching(); // from here kassa-status (or the return page) follows the payment
        },
        (error) => {
          if (run === this.run) this.kronorFailed(payment, error);
        },
      );
      if (this.kronor?.session === session && run === this.run) this.kronor.unwatch = unwatch;
      if (done) this.stopWatching();
    } catch (error) {
      if (run === this.run) this.kronorFailed(payment, error);
    }
  }

  private kronorFailed(payment: PaymentView, _error: unknown): void {
    this.leaveStep();
    this.show({ name: 'failed', payment, reason: 'kronor' });
    this.host.dispatchEvent(new KassaErrorEvent('kronor', this.t('checkout.error.kronor')));
  }

  private stopWatching(): void {
    const unwatch = this.kronor?.unwatch;
    if (this.kronor) this.kronor.unwatch = undefined;
    unwatch?.();
  }

  /** Asks Kronor to cancel the payment request (best effort), then closes the session. */
  private cancelKronor(): void {
    const kronor = this.kronor;
    if (!kronor) return;
    this.kronor = undefined;
    kronor.unwatch?.();
    const session = kronor.session;
    if (session) {
      void session
        .cancel(this.deps.newIdempotencyKey())
        .catch(() => undefined)
        .finally(() => session.dispose());
      return;
    }
    // The element came back to the page after the session was closed: open one just to cancel.
    const key = this.deps.newIdempotencyKey();
    void this.deps
      .loadKronor()
      .then((module) => {
        const fresh = module.openKronorSession(kronor.access);
        return fresh
          .cancel(key)
          .catch(() => undefined)
          .finally(() => fresh.dispose());
      })
      .catch(() => undefined);
  }

  /** Ends the current step: its answers are ignored from now on, its request and subscriptions end. */
  private leaveStep(): number {
    this.abort?.abort();
    this.abort = undefined;
    this.busy = false;
    this.releaseKronor();
    return ++this.run;
  }

  /** Closes the Kronor session. Its access stays known while the shopper waits, so Cancel can still cancel. */
  private releaseKronor(): void {
    const kronor = this.kronor;
    if (!kronor) return;
    kronor.unwatch?.();
    kronor.session?.dispose();
    this.kronor = isWaiting(this.view) ? { access: kronor.access } : undefined;
  }

  private show(view: CheckoutView): void {
    this.view = view;
    if (!isWaiting(view) && this.kronor && !this.kronor.session) this.kronor = undefined;
    this.host.requestUpdate();
  }

  private reportError(code: EndpointErrorCode): void {
    this.host.dispatchEvent(new KassaErrorEvent(code, this.t(`error.${code}`)));
  }
}

function errorCode(error: unknown): EndpointErrorCode {
  return error instanceof EndpointError ? error.code : 'generic';
}

function isWaiting(view: CheckoutView): view is Extract<CheckoutView, { name: 'redirect' | 'starting' | 'qr' | 'waiting' }> {
  return view.name === 'redirect' || view.name === 'starting' || view.name === 'qr' || view.name === 'waiting';
}

function sameValues(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Resolves after `ms`, or rejects at once when `signal` aborts (the timer is cleared either way). */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
