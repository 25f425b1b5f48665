/**
 * The recorded answers (stories/fixtures/*.json, written by `npx tsx scripts/record-fixtures.ts` from the real
 * sandbox and endpoint), typed with Kassa's own wire types.
 */
import type { PaymentMethod, PaymentResponse, PaymentState, PaymentView, Problem, SessionResponse } from '../../src/core/model.ts';
import kronorJson from '../fixtures/kronor.json';
import logosJson from '../fixtures/logos.json';
import paymentsJson from '../fixtures/payments.json';
import problemsJson from '../fixtures/problems.json';
import sessionsJson from '../fixtures/sessions.json';
import statesJson from '../fixtures/states.json';
import { englishMessages, methodNames, translate } from '../../src/core/i18n.ts';

export const ORDERS = ['DEMO-EUR', 'DEMO-SEK', 'DEMO-DKK', 'DEMO-NOK', 'DEMO-PLN'] as const;
export type Order = (typeof ORDERS)[number];
/** DEMO-EUR for a shopper without a company on file: Hero asks for the company details. */
export type RecordedOrder = Order | 'DEMO-EUR-PERSON';

export const SESSIONS = sessionsJson as unknown as Record<RecordedOrder, SessionResponse>;
/** The answer to `POST /payments` for every method of every order. */
export const PAYMENTS = paymentsJson as unknown as Record<Order, Record<string, PaymentResponse>>;
export const PROBLEMS = problemsJson as unknown as Record<'order-not-found' | 'invalid-fields' | 'payment-not-found' | 'order-already-paid', { status: number; body: Problem }>;

type ReadState = Exclude<PaymentState, 'created' | 'refunded' | 'partially_refunded'>;
/** `GET /payments/{ref}` answers: one payment in each state, and one card payment through pending → processing → paid. */
export const STATES = statesJson as unknown as { sequence: PaymentView[]; byState: Record<ReadState, PaymentView> };

/** A Swish payment through Kronor, from the endpoint's answer to the shopper's phone deciding. */
export interface KronorFlow {
  payment: PaymentResponse;
  /** Kronor's answer to `newSwishPayment`. */
  started: { data: { newSwishPayment: { waitToken: string } } };
  /** The payment request row (as the `paymentRequests` subscription selects it) and the endpoint's read. */
  waiting: { request: Record<string, unknown>; read: PaymentView };
  decided: { request: Record<string, unknown>; read: PaymentView };
}
export const KRONOR = kronorJson as unknown as Record<'paid' | 'declined' | 'cancelled', KronorFlow>;

/** MilkyPay's logos, by the URL the method lists carry. */
export const LOGOS = logosJson as Record<string, string>;

export function method(order: RecordedOrder, id: string): PaymentMethod {
  const found = SESSIONS[order].methods.find((m) => m.id === id);
  if (!found) throw new Error(`${order} has no method ${id}`);
  return found;
}

/** The English names a list of methods is shown with, in its order (as the picker names them). */
export function methodNamesEn(methods: readonly PaymentMethod[]): string[] {
  return methodNames(methods, (key, params) => translate(englishMessages, key, params), 'en');
}
