/**
 * All of kassa-status's I/O: follows one payment from `hostConnected` until it is final, and releases everything
 * (stream, socket, timers, listeners) in `hostDisconnected`.
 *
 * - Most payments: the endpoint's Server-Sent Events (`status` events, each a PaymentView). When the browser cannot
 *   hold the stream (it closes for good, or errors `MAX_STREAM_ERRORS` times without a status in between) the
 *   stream is closed and `GET /payments/{ref}` is polled after 1, 2, 4, 8, then every 15 s, until the payment is
 *   settled for the shopper (final, or `authorized`). When the browser comes back online, a stream that is down
 *   reconnects and a poll reads at once, instead of waiting for their timers.
 * - Kronor payments with a session token: one read for the PaymentView, then the Kronor browser client (loaded only
 *   now, with `import()`) follows the payment request over Kronor's subscription; when the page becomes visible
 *   again (the shopper is back from the Swish app) Kronor is asked to refresh. If Kronor cannot be followed, the
 *   endpoint's stream takes over.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { EndpointError, paymentEventsUrl, readPayment, type EndpointErrorCode } from '../../core/endpoint-client.ts';
import { FINAL_STATES, isProviderName, isSettledForShopper, PAYMENT_STATES, type PaymentState, type PaymentView } from '../../core/model.ts';
import { forgetPending, recallPending, referenceFromUrl } from '../../core/pending-payment.ts';
import { isLoopbackHost } from '../../core/url-safety.ts';
import { retryableImport } from '../../core/retryable-import.ts';
import type { KronorAccess, KronorBrowserSession } from '../../providers/kronor/browser.ts';
import { KassaCompleteEvent, KassaErrorEvent, KassaFailEvent, KassaStatusChangeEvent } from '../shared/events.ts';

/** The Kronor browser client, in its own chunk: loaded only when a Kronor payment is followed. */
const loadKronorBrowser = retryableImport(() => import('../../providers/kronor/browser.ts'));

/** What kassa-status needs to follow a Kronor payment at Kronor itself. */
export type KronorStatusAccess = KronorAccess & { waitToken?: string };

/** Delays between reads of `GET /payments/{ref}` once the stream is given up; the last one repeats. */
export const POLL_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000];
/** Errors in a row (with no status between them) after which the stream counts as not holding. */
export const MAX_STREAM_ERRORS = 3;

/** Endpoint failures that may pass by themselves: keep trying (and show the error meanwhile). */
const TRANSIENT: ReadonlySet<EndpointErrorCode> = new Set(['network', 'generic', 'internal', 'provider-unavailable', 'rate-limited', 'too-many-streams', 'server-busy']);
const SUCCESS: ReadonlySet<PaymentState> = new Set(['paid', 'authorized']);
const FAILURE: ReadonlySet<PaymentState> = new Set(['failed', 'declined', 'cancelled', 'expired']);

export type StatusPhase = 'checking' | 'live' | 'unknown' | 'error';

export interface StatusHost extends ReactiveControllerHost, HTMLElement {
  endpoint?: string | undefined;
  reference?: string | undefined;
  kronor?: KronorStatusAccess | undefined;
}

interface Inputs {
  endpoint: string | undefined;
  reference: string | undefined;
  kronor: KronorStatusAccess | undefined;
}

/** A PaymentView from the network, checked field by field; anything else is ignored. */
export function parsePaymentView(value: unknown, reference: string): PaymentView | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (v.reference !== reference || !isProviderName(v.provider)) return undefined;
  if (typeof v.state !== 'string' || !(PAYMENT_STATES as readonly string[]).includes(v.state)) return undefined;
  if (typeof v.amount !== 'number' || !Number.isSafeInteger(v.amount) || v.amount < 0) return undefined;
  if (typeof v.currency !== 'string' || !/^[A-Z]{3}$/.test(v.currency)) return undefined;
  return {
    reference,
    provider: v.provider,
    method: typeof v.method === 'string' ? v.method : '',
    order: typeof v.order === 'string' ? v.order : '',
    amount: v.amount,
    currency: v.currency,
    state: v.state as PaymentState,
    providerStatus: typeof v.providerStatus === 'string' ? v.providerStatus : null,
    updatedAt: typeof v.updatedAt === 'string' ? v.updatedAt : new Date().toISOString(),
  };
}

/**
 * Kronor access that can be used: a token, an https (or loopback http) API and a wss (or loopback ws) socket.
 * Checked before the Kronor client is loaded, so hostile or broken access never costs the download.
 */
export function usableKronorAccess(value: KronorStatusAccess | undefined): KronorStatusAccess | undefined {
  if (!value || typeof value !== 'object' || typeof value.sessionToken !== 'string' || !value.sessionToken) return undefined;
  const ok = (url: unknown, secure: string, plain: string) => {
    try {
      const parsed = new URL(String(url));
      return parsed.protocol === secure || (parsed.protocol === plain && isLoopbackHost(parsed.hostname));
    } catch {
      return false;
    }
  };
  return ok(value.httpUrl, 'https:', 'http:') && ok(value.wsUrl, 'wss:', 'ws:') ? value : undefined;
}

/**
 * Resolves after `ms` (true), or earlier (true) when the browser comes back online — a shopper whose connection
 * returns should not wait out a long backoff to see the payment — or at once with false when `signal` aborts.
 * Neither the timer nor the listeners outlive the pause.
 */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const end = (result: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      window.removeEventListener('online', onOnline);
      resolve(result);
    };
    const onAbort = () => end(false);
    const onOnline = () => end(true);
    const timer = setTimeout(() => end(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    window.addEventListener('online', onOnline, { once: true });
  });
}

export class StatusController implements ReactiveController {
  /** The payment as last read; undefined until the first answer. */
  payment: PaymentView | undefined;
  /** What to show: checking (no answer yet), live (a payment), unknown (no such payment), error (see `error`). */
  phase: StatusPhase = 'checking';
  /** The endpoint problem being shown, with a retry button. */
  error: EndpointErrorCode | undefined;
  /** The stream was lost and the last read failed: the shown state may be stale. */
  reconnecting = false;

  private run: AbortController | undefined;
  /** The host's inputs the current run started from (before defaults). */
  private given: Inputs | undefined;
  private connected = false;
  private completed = false;
  private failed = false;

  constructor(
    private readonly host: StatusHost,
    private readonly describe: (code: EndpointErrorCode) => string,
  ) {
    host.addController(this);
  }

  get state(): PaymentState | undefined {
    return this.payment?.state;
  }

  hostConnected(): void {
    this.connected = true;
    this.host.requestUpdate(); // the run starts in hostUpdate, once the host's properties are all in place
  }

  /** Before each render: (re)start when the host's own inputs changed, so the render shows the new run. */
  hostUpdate(): void {
    if (!this.connected) return;
    const { endpoint, reference, kronor } = this.host;
    const current = this.given;
    if (current && current.endpoint === endpoint && current.reference === reference && current.kronor === kronor) return;
    this.given = { endpoint, reference, kronor };
    this.start();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
    this.given = undefined;
  }

  /** The retry button: start again from scratch with the same inputs. */
  retry(): void {
    if (!this.connected) return;
    this.start();
    this.host.requestUpdate();
  }

  /**
   * What to follow: the host's own inputs, with the defaults resolved now (the address, then what the checkout
   * remembered). Resolved once per start: forgetting the pending payment at the end must not change what is shown.
   */
  private resolveInputs(): Inputs {
    const endpoint = this.host.endpoint?.trim() || undefined;
    const reference = this.host.reference?.trim() || referenceFromUrl() || recallPending()?.reference;
    const pending = reference ? recallPending(reference) : undefined;
    return { endpoint, reference, kronor: usableKronorAccess(this.host.kronor ?? pending?.kronor) };
  }

  private stop(): void {
    this.run?.abort();
    this.run = undefined;
  }

  private start(): void {
    this.stop();
    const inputs = this.resolveInputs();
    const run = new AbortController();
    this.run = run;
    this.payment = undefined;
    this.error = undefined;
    this.reconnecting = false;
    this.completed = false;
    this.failed = false;
    this.phase = 'checking';
    const { endpoint, reference } = inputs;
    if (!reference) {
      this.phase = 'unknown';
      return;
    }
    if (!endpoint) {
      this.phase = 'error';
      this.error = 'generic';
      return;
    }
    if (inputs.kronor) void this.followKronor(run.signal, endpoint, reference, inputs.kronor);
    else this.followStream(run.signal, endpoint, reference);
  }

  // ——— the endpoint's stream, then polling ———

  private followStream(signal: AbortSignal, endpoint: string, reference: string): void {
    if (signal.aborted) return;
    if (typeof EventSource !== 'function') return void this.poll(signal, endpoint, reference);
    const source = new EventSource(paymentEventsUrl(endpoint, reference));
    // Back online with the stream down: reconnect now rather than when the browser's own retry timer fires.
    const onOnline = () => {
      if (signal.aborted || source.readyState === EventSource.OPEN) return;
      finish();
      this.followStream(signal, endpoint, reference);
    };
    const close = () => {
      source.close();
      window.removeEventListener('online', onOnline);
    };
    signal.addEventListener('abort', close, { once: true });
    window.addEventListener('online', onOnline);
    const finish = () => {
      close();
      signal.removeEventListener('abort', close);
    };
    let errors = 0;
    source.addEventListener('status', (event) => {
      let data: unknown;
      try {
        data = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return;
      }
      const view = parsePaymentView(data, reference);
      if (!view || signal.aborted) return;
      errors = 0;
      this.reconnecting = false;
      this.apply(view);
      // The endpoint closes the stream after a final state; close first, or the browser would reconnect.
      if (FINAL_STATES.has(view.state)) finish();
    });
    source.addEventListener('error', () => {
      if (signal.aborted) return;
      if (this.payment && FINAL_STATES.has(this.payment.state)) return finish();
      errors++;
      if (source.readyState === EventSource.CLOSED || errors >= MAX_STREAM_ERRORS) {
        finish();
        void this.poll(signal, endpoint, reference);
      }
    });
  }

  /** Reads the payment until it is settled for the shopper, with backoff; the first read is at once. */
  private async poll(signal: AbortSignal, endpoint: string, reference: string): Promise<void> {
    for (let step = 0; !signal.aborted; step++) {
      const view = await this.read(signal, endpoint, reference);
      if (view === null) return; // not found, or an error retrying cannot fix
      if (view && isSettledForShopper(view.state)) return;
      if (!(await pause(POLL_DELAYS_MS[Math.min(step, POLL_DELAYS_MS.length - 1)]!, signal))) return;
    }
  }

  /** One read: the view (applied), undefined after a transient failure, null when there is no point going on. */
  private async read(signal: AbortSignal, endpoint: string, reference: string): Promise<PaymentView | undefined | null> {
    try {
      const view = parsePaymentView(await readPayment(endpoint, reference, signal), reference);
      if (signal.aborted) return null;
      if (!view) throw new EndpointError('generic', 200);
      this.reconnecting = false;
      this.apply(view);
      return view;
    } catch (error) {
      if (signal.aborted) return null;
      const code: EndpointErrorCode = error instanceof EndpointError ? error.code : 'network';
      if (code === 'payment-not-found') {
        this.setPhase('unknown');
        return null;
      }
      if (!TRANSIENT.has(code)) {
        this.showError(code);
        return null;
      }
      if (this.payment && this.phase === 'live') {
        this.reconnecting = true;
        this.host.requestUpdate();
      } else {
        this.showError(code);
      }
      return undefined;
    }
  }

  // ——— Kronor ———

  private async followKronor(signal: AbortSignal, endpoint: string, reference: string, access: KronorStatusAccess): Promise<void> {
    // The PaymentView (amount, currency, state) comes from the endpoint; retried like polling until it answers.
    let first: PaymentView | undefined | null;
    for (let step = 0; ; step++) {
      first = await this.read(signal, endpoint, reference);
      if (first !== undefined) break;
      if (!(await pause(POLL_DELAYS_MS[Math.min(step, POLL_DELAYS_MS.length - 1)]!, signal))) return;
    }
    if (!first || isSettledForShopper(first.state)) return;

    let session: KronorBrowserSession;
    try {
      const { openKronorSession } = await loadKronorBrowser();
      if (signal.aborted) return;
      session = openKronorSession(access);
    } catch {
      return this.followStream(signal, endpoint, reference);
    }
    const onVisible = () => {
      if (document.visibilityState === 'visible') session.refresh().catch(() => undefined);
    };
    const release = () => {
      document.removeEventListener('visibilitychange', onVisible);
      signal.removeEventListener('abort', release);
      session.dispose();
    };
    signal.addEventListener('abort', release, { once: true });
    document.addEventListener('visibilitychange', onVisible);
    session.watch(
      access.waitToken,
      (request) => {
        if (signal.aborted || !this.payment) return;
        this.apply({ ...this.payment, state: request.state, providerStatus: request.status, updatedAt: new Date().toISOString() });
        if (FINAL_STATES.has(request.state)) release();
      },
      () => {
        if (signal.aborted) return;
        release();
        this.followStream(signal, endpoint, reference);
      },
    );
  }

  // ——— what the host shows and tells ———

  private apply(view: PaymentView): void {
    const previous = this.payment?.state;
    // A final state is never left for another one by a late or out-of-order answer.
    if (previous && FINAL_STATES.has(previous) && view.state !== previous) return;
    this.payment = view;
    this.phase = 'live';
    this.error = undefined;
    this.host.requestUpdate();
    if (view.state === previous) return;
    this.host.dispatchEvent(new KassaStatusChangeEvent(view, view.state));
    if (SUCCESS.has(view.state) && !this.completed) {
      this.completed = true;
      this.host.dispatchEvent(new KassaCompleteEvent(view));
    }
    if (FAILURE.has(view.state) && !this.failed) {
      this.failed = true;
      this.host.dispatchEvent(new KassaFailEvent(view));
    }
    if (FINAL_STATES.has(view.state)) forgetPending(view.reference);
  }

  private setPhase(phase: StatusPhase): void {
    this.phase = phase;
    this.host.requestUpdate();
  }

  private showError(code: EndpointErrorCode): void {
    const fresh = this.phase !== 'error' || this.error !== code;
    this.error = code;
    this.reconnecting = false;
    this.setPhase('error');
    if (fresh) this.host.dispatchEvent(new KassaErrorEvent(code, this.describe(code)));
  }
}
