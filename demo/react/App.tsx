/**
 * `<kassa-checkout>` in React 19, with nothing in between: React 19 sets a prop as a property when the element has
 * one (`order`, `endpoint`, the `navigate` function) and as an attribute otherwise (`group-by`), and a prop named
 * `on` + an event's exact name (`onkassa-complete`) adds a listener for that DOM event. The element's read-only
 * `session` is read back through a ref.
 *
 * TypeScript, as an app would write it: `kassa/jsx` declares the elements in React's `JSX.IntrinsicElements`, so each
 * prop and event handler below is checked (`npm test` type-checks this folder with its own tsconfig.json).
 */
import { useCallback, useRef, useState } from 'react';
import type {} from 'kassa/jsx';
import {
  KassaCompleteEvent,
  KassaErrorEvent,
  KassaFailEvent,
  KassaMethodChangeEvent,
  KassaPaymentStartEvent,
  KassaStatusChangeEvent,
  type KassaCheckout,
  type SessionResponse,
} from 'kassa';

const ORDERS = ['DEMO-SEK', 'DEMO-EUR', 'DEMO-DKK', 'DEMO-NOK', 'DEMO-PLN'];

type KassaEvent = KassaMethodChangeEvent | KassaPaymentStartEvent | KassaStatusChangeEvent | KassaCompleteEvent | KassaFailEvent | KassaErrorEvent;

interface LogEntry {
  id: number;
  type: string;
  text: string;
}

/** One line about a Kassa event, from its typed fields (each `kassa-…` event is its own class). */
function summary(event: KassaEvent): string {
  if (event instanceof KassaMethodChangeEvent) return event.method.id;
  if (event instanceof KassaPaymentStartEvent) return `${event.payment.reference}, next: ${event.action.type}`;
  if (event instanceof KassaStatusChangeEvent) return `${event.payment.reference} is ${event.state}`;
  if (event instanceof KassaCompleteEvent || event instanceof KassaFailEvent) return `${event.payment.reference} ended ${event.payment.state}`;
  if (event instanceof KassaErrorEvent) return `${event.code}: ${event.message}`;
  return '';
}

/** Minor units → "SEK 499.00". */
function money(minor: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 100);
}

function initialOrder(): string {
  const asked = new URLSearchParams(location.search).get('order') ?? '';
  return ORDERS.includes(asked) ? asked : ORDERS[0]!;
}

/**
 * A new variant of a fixed order, `DEMO-SEK~<12 hex digits>`: the shop resolves it to the same order under a
 * reference of its own, so each checkout started here is a new order.
 */
function freshVariant(order: string): string {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${order}~${id}`;
}

/** The fixed order a variant belongs to (what the select shows). */
function fixedOrderOf(variant: string): string {
  return variant.split('~')[0]!;
}

export function App() {
  /** The element itself (a `KassaCheckout`), for reading its read-only `session`. */
  const checkout = useRef<KassaCheckout>(null);
  /** The order reference the element gets: a fresh variant of the chosen fixed order. */
  const [order, setOrder] = useState(() => freshVariant(initialOrder()));
  const [log, setLog] = useState<LogEntry[]>([]);
  const [session, setSession] = useState<SessionResponse>();
  const [redirect, setRedirect] = useState<string>();

  const record = useCallback((type: string, text: string) => {
    setLog((entries) => [...entries, { id: entries.length + 1, type, text }]);
  }, []);

  const onKassaEvent = useCallback(
    (event: KassaEvent) => {
      record(event.type, summary(event));
      setSession(checkout.current?.session);
    },
    [record],
  );

  // A function goes in as a property. Here it keeps the shopper on this page and shows where the provider's page
  // is; an app with a client-side router would route there instead.
  const navigate = useCallback(
    (url: string) => {
      record('navigate', url);
      setRedirect(url);
    },
    [record],
  );

  const chooseOrder = (next: string) => {
    setOrder(freshVariant(next));
    setSession(undefined);
    setRedirect(undefined);
  };

  return (
    <>
      <header className="site">
        <a className="brand" href="/">
          Kassa demo shop
        </a>
        <nav aria-label="Demo">
          <a href="/">Shop</a>
          <a href="/react/">React example</a>
        </nav>
      </header>
      <main className="react-example">
        <section aria-labelledby="react-title">
          <h1 id="react-title">Kassa in React 19</h1>
          <p>
            <label>
              Order{' '}
              <select value={fixedOrderOf(order)} onChange={(event) => chooseOrder(event.target.value)}>
                {ORDERS.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            </label>
          </p>
          <kassa-checkout
            ref={checkout}
            endpoint="/kassa"
            order={order}
            group-by="provider"
            navigate={navigate}
            onkassa-method-change={onKassaEvent}
            onkassa-payment-start={onKassaEvent}
            onkassa-status-change={onKassaEvent}
            onkassa-complete={onKassaEvent}
            onkassa-fail={onKassaEvent}
            onkassa-error={onKassaEvent}
          ></kassa-checkout>
          {redirect && (
            <p data-redirect>
              The checkout called <code>navigate(url)</code> instead of leaving the page.{' '}
              <a href={redirect}>Continue to the provider&rsquo;s page</a>
            </p>
          )}
        </section>
        <aside>
          <h2 id="session-title">Session</h2>
          {session ? (
            <dl aria-labelledby="session-title" data-session>
              <dt>Order</dt>
              <dd>{session.order}</dd>
              <dt>Amount</dt>
              <dd>{money(session.amount, session.currency)}</dd>
              <dt>Methods</dt>
              <dd>{session.methods.length}</dd>
            </dl>
          ) : (
            <p className="hint">Read from the element&rsquo;s <code>session</code> property at its next event.</p>
          )}
          <h2 id="log-title">Events</h2>
          <ol className="event-log" role="log" aria-labelledby="log-title">
            {log.map((entry) => (
              <li key={entry.id}>
                <code>{entry.type}</code> {entry.text}
              </li>
            ))}
          </ol>
        </aside>
      </main>
    </>
  );
}
