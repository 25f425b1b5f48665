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
 *
 * On a return page (the reference is in the address, or the checkout remembered the payment) the shopper has just
 * acted at the provider, so a first state that still waits for the shopper is taken for news from before the
 * return: it is shown as "checking" until a read that followed the return answers (`GET /payments/{ref}` reads the
 * provider) or the state moves on. While the state is awaited, going offline and coming back online are said.
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
/** How long "back online" is said before the note goes. */
export const BACK_ONLINE_MS = 4_000;
/** The longest a state from before the shopper's return is held back while the read that follows the return runs. */
export const RETURN_HOLD_MS = 6_000;

/** States that say the shopper still has to act: not news on a page the shopper reached by acting. */
const SHOPPER_TURN: ReadonlySet<PaymentState> = new Set(['created', 'action_required']);


/** Endpoint failures that may pass by themselves: keep trying (and show the error meanwhile). */
const TRANSIENT: ReadonlySet<EndpointErrorCode> = new Set(['network', 'generic', 'internal', 'provider-unavailable', 'rate-limited', 'too-many-streams', 'server-busy']);
const SUCCESS: ReadonlySet<PaymentState> = new Set(['paid', 'authorized']);
const FAILURE: ReadonlySet<PaymentState> = new Set(['failed', 'declined', 'cancelled', 'expired']);

export type StatusPhase = 'checking' | 'live' | 'unknown' | 'error';
/** The browser's connection as the shopper is told about it: `back` for a while after it returned. */
export type Connection = 'online' | 'offline' | 'back';

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
  /** Offline, or back online a moment ago; said only while the state is awaited (`awaiting`). */
  connection: Connection = 'online';
  /** A state from before the shopper's return is held back: show "checking" instead of asking the shopper to act. */
  holding = false;
  /**
   * The payment as someone already read it (the checkout, showing the final state its status element reported):
   * shown at once when a run starts for it, and not followed again when it is final.
   */
  known: PaymentView | undefined;

  private run: AbortController | undefined;
  /** The host's inputs the current run started from (before defaults). */
  private given: Inputs | undefined;
  private connected = false;
  private completed = false;
  private failed = false;
  private backTimer: ReturnType<typeof setTimeout> | undefined;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: StatusHost,
    private readonly describe: (code: EndpointErrorCode) => string,
  ) {
    host.addController(this);
  }

  get state(): PaymentState | undefined {
    return this.payment?.state;
  }

  /** Whether the shopper is still waiting for a settled state (final, or authorized). */
  get awaiting(): boolean {
    if (this.phase === 'unknown' || !this.given) return false;
    return !this.payment || !isSettledForShopper(this.payment.state);
  }

  /** The state to put in words: a state held back since the return reads as no state yet. */
  get shownState(): PaymentState | undefined {
    return this.holding ? undefined : this.state;
  }

  hostConnected(): void {
    this.connected = true;
    this.connection = navigator.onLine === false ? 'offline' : 'online';
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
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
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.backTimer);
    this.stop();
    this.given = undefined;
  }

  private readonly onOffline = (): void => {
    clearTimeout(this.backTimer);
    this.connection = 'offline';
    this.host.requestUpdate();
  };

  /** Back online: said for a moment; the stream and the polling resume by themselves (their own `online` listeners). */
  private readonly onOnline = (): void => {
    if (this.connection === 'online') return;
    this.connection = 'back';
    this.host.requestUpdate();
    clearTimeout(this.backTimer);
    this.backTimer = setTimeout(() => {
      this.connection = 'online';
      this.host.requestUpdate();
    }, BACK_ONLINE_MS);
  };

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
  private resolveInputs(): Inputs & { returned: boolean } {
    const endpoint = this.host.endpoint?.trim() || undefined;
    const given = this.host.reference?.trim();
    const fromUrl = referenceFromUrl();
    const reference = given || fromUrl || recallPending()?.reference;
    const pending = reference ? recallPending(reference) : undefined;
    // Back from the provider: the endpoint's return URL names the payment, or the checkout remembered leaving for it.
    const returned = Boolean(reference && (reference === fromUrl || (!given && pending)));
    return { endpoint, reference, kronor: usableKronorAccess(this.host.kronor ?? pending?.kronor), returned };
  }

  private stop(): void {
    this.run?.abort();
    this.run = undefined;
    this.endHold();
  }

  private endHold(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    if (!this.holding) return;
    this.holding = false;
    this.host.requestUpdate();
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
    const known = this.known?.reference === reference ? this.known : undefined;
    if (known) {
      this.payment = known;
      this.phase = 'live';
      // Already told: a known outcome is not announced again with a second kassa-complete or kassa-fail.
      this.completed = SUCCESS.has(known.state);
      this.failed = FAILURE.has(known.state);
      if (FINAL_STATES.has(known.state)) return;
    }
    if (!endpoint) {
      this.phase = 'error';
      this.error = 'generic';
      return;
    }
    if (inputs.returned) {
      this.holding = true;
      this.holdTimer = setTimeout(() => this.endHold(), RETURN_HOLD_MS);
    }
    if (inputs.kronor) void this.followKronor(run.signal, endpoint, reference, inputs.kronor);
    else {
      this.followStream(run.signal, endpoint, reference);
      // The stream's first status is what the endpoint had stored; a read asks the provider what happened since.
      if (inputs.returned) void this.readAfterReturn(run.signal, endpoint, reference);
    }
  }

  /** One read once the shopper is back; if it fails, the stream goes on alone (its errors are its own to show). */
  private async readAfterReturn(signal: AbortSignal, endpoint: string, reference: string): Promise<void> {
    try {
      const view = parsePaymentView(await readPayment(endpoint, reference, signal), reference);
      if (view && !signal.aborted) this.apply(view);
    } catch {
      // offline, or the endpoint could not read the provider: nothing more to learn from this read
    } finally {
      if (!signal.aborted) this.endHold();
    }
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
      this.endHold();
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
    // Held back only while the state still waits for the shopper: any other state is news after the return.
    if (this.holding && !SHOPPER_TURN.has(view.state)) this.endHold();
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
