/**
 * The merchant's routes under `{basePath}/merchant/`, off unless `merchantApi` is configured: the after-sale operations
 * and the payment's history over HTTP, for a merchant whose back office is not in the same process. Every request is
 * the merchant's `authorize` check first; one bearing a shopper's Kassa token is refused before that check is asked,
 * so a naive check ("any bearer token") still never lets a shopper in. No CORS: these are server-to-server calls.
 */
import { z } from 'zod';
import type { MerchantApiConfig } from '../config.ts';
import { merchantPayment, type MerchantPayment } from '../events/event.ts';
import { readBytes, readJsonBody } from '../http/body.ts';
import { jsonAnswer, type Answer, type IncomingRequest } from '../http/exchange.ts';
import { HttpProblem } from '../http/problems.ts';
import type { Route } from '../http/router.ts';
import type { ProblemCode } from '../../core/problem-codes.ts';
import { OperationNotSupported, type DocumentType, type OperationProblem } from '../provider.ts';
import type { Tokens } from '../sessions/tokens.ts';
import type { KassaStore } from '../stores/store.ts';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, PaymentOperationError, type PaymentOperations } from './operations.ts';

const operationBody = z.strictObject({
  amount: z.number().int().positive().optional(),
  reason: z.string().max(500).optional(),
});

export interface MerchantApiDeps {
  config: MerchantApiConfig;
  operations: PaymentOperations;
  store: KassaStore;
  tokens: Tokens;
  maxBodyBytes: number;
  onError: (error: unknown, context: string) => void;
}

export class MerchantApi {
  constructor(private readonly deps: MerchantApiDeps) {}

  /** The routes, for the endpoint's table; each checks the caller first. */
  routes<Client>(): Array<Route<Client>> {
    const { operations, store } = this.deps;
    return [
      ['GET', 'merchant/payments/*', this.guarded(async (_request, reference) => {
        const record = await store.getPayment(reference);
        if (!record) throw new HttpProblem('payment-not-found');
        return jsonAnswer({ payment: merchantPayment(record), events: await store.paymentEvents(reference) });
      })],
      ['POST', 'merchant/payments/*/capture', this.guarded(async (request, reference) => {
        const { amount } = await this.body(request);
        return operations.capture(reference, { ...(amount ? { amount } : {}), ...keyOf(request) });
      })],
      ['POST', 'merchant/payments/*/cancel', this.guarded(async (request, reference) => {
        const { reason } = await this.body(request);
        return operations.cancel(reference, { ...(reason ? { reason } : {}), ...keyOf(request) });
      })],
      ['POST', 'merchant/payments/*/refund', this.guarded(async (request, reference) => {
        const { amount, reason } = await this.body(request);
        return operations.refund(reference, { ...(amount ? { amount } : {}), ...(reason ? { reason } : {}), ...keyOf(request) });
      })],
      ['POST', 'merchant/payments/*/documents/*', this.guarded(async (request, reference, type) => {
        if (!DOCUMENT_TYPES.includes(type as DocumentType)) throw new HttpProblem('not-found', `document types: ${DOCUMENT_TYPES.join(', ')}`);
        if (!/^application\/pdf\b/i.test(request.headers.get('content-type') ?? '')) throw new HttpProblem('unsupported-media-type', 'the document must be sent as application/pdf');
        const content = await readBytes(request, MAX_DOCUMENT_BYTES);
        return operations.uploadDocument(reference, { type: type as DocumentType, content, ...keyOf(request) });
      })],
    ];
  }

  /** The merchant's check around a route; the operations' own errors become their problems. */
  private guarded<Client>(run: (request: IncomingRequest, reference: string, extra: string) => Promise<MerchantPayment | Answer>): Route<Client>[2] {
    return async ({ request, ids: [reference, extra] }) => {
      await this.authorize(request);
      try {
        const result = await run(request, reference!, extra ?? '');
        return 'status' in result && 'headers' in result ? result : jsonAnswer({ payment: result });
      } catch (error) {
        if (error instanceof PaymentOperationError || error instanceof OperationNotSupported) {
          throw new HttpProblem(error.code as ProblemCode, error.message, undefined, {}, extensionMembers(error.problem));
        }
        throw error;
      }
    };
  }

  private async authorize(request: IncomingRequest): Promise<void> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (bearer && (await this.deps.tokens.isShopperToken(bearer))) throw new HttpProblem('forbidden', "a shopper's token cannot reach the merchant's routes");
    let allowed = false;
    try {
      allowed = (await this.deps.config.authorize(request.fetchRequest())) === true;
    } catch (error) {
      this.deps.onError(error, 'merchantApi.authorize threw: the request is refused');
    }
    if (!allowed) throw new HttpProblem('forbidden');
  }

  private body(request: IncomingRequest): Promise<z.infer<typeof operationBody>> {
    // An operation without options may come with no body at all.
    if (request.headers.get('content-length') === '0' || (!request.hasBody && !request.headers.get('content-type'))) return Promise.resolve({});
    return readJsonBody(request, operationBody, this.deps.maxBodyBytes);
  }
}

function keyOf(request: IncomingRequest): { idempotencyKey?: string } {
  const key = request.headers.get('idempotency-key');
  return key ? { idempotencyKey: key } : {};
}

/** The problem's extension members (`provider`, `operation`), as the HTTP problem carries them. */
function extensionMembers(problem: OperationProblem): Record<string, string> {
  const { type: _type, title: _title, status: _status, detail: _detail, ...members } = problem;
  return Object.fromEntries(Object.entries(members).map(([key, value]) => [key, String(value)]));
}
