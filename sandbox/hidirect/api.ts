/**
 * The HiDirect REST API under `/hidirect`: create, fetch, capture and cancel payments, upload documents, and the
 * public key that verifies webhooks.
 */
import type { ServerResponse } from 'node:http';
import type { SandboxContext } from '../core/context.ts';
import { START_OPERATION } from '../core/faults.ts';
import { sendJson, sendText, type SandboxRequest } from '../core/http.ts';
import {
  API_KEY_HEADER,
  AUTH_FAILURE,
  CANCELLED_STATUS,
  DEFAULT_DOCUMENT_TYPE,
  DOCUMENT_CONTENT_TYPE,
  DOCUMENT_TYPES,
  LEGACY_INVOICE_DOCUMENT_TYPE,
  MAX_DOCUMENT_BYTES,
  MESSAGES,
  PDF_MAGIC,
  PREFIX,
  PROVIDER,
  SANDBOX_API_KEY,
  type DocumentType,
} from './config.ts';
import type { Keys } from './keys.ts';
import type { Lifecycle } from './lifecycle.ts';
import { refusalForManualAction, ulid, type Payment } from './state.ts';
import { parseCreatePayment, type FieldError } from './validation.ts';
import { createdPaymentView, paymentView } from './views.ts';

/** INVENTED: the docs show no status codes; a new payment answers 201, a stored document 201. */
const CREATED = 201;

type Kind = 'create' | 'status' | 'other';
type Handler = (req: SandboxRequest, res: ServerResponse) => void | Promise<void>;

export function sendError(res: ServerResponse, status: number, message: string, errors?: FieldError[]): void {
  sendJson(res, status, errors ? { message, errors } : { message });
}

export function registerApi(ctx: SandboxContext, lifecycle: Lifecycle, keys: Keys): void {
  const { router } = ctx;

  /** Every API operation is counted, may be hit by a fault, and then needs the API key. */
  const operation = (name: string, kind: Kind, handler: Handler, needsKey = true): Handler =>
    async (req, res) => {
      ctx.record(PROVIDER, name);
      // Only a merchant's server creates payments at hi.health: a create is a payment start.
      const operations = kind === 'create' ? [kind, name, START_OPERATION] : [kind, name];
      if (await ctx.faults.intercept(PROVIDER, operations, res, req)) return;
      if (needsKey && req.header(API_KEY_HEADER) !== SANDBOX_API_KEY) return sendError(res, AUTH_FAILURE.status, AUTH_FAILURE.message);
      await handler(req, res);
    };

  /** Runs `handler` with the payment named in the path (as it is now: a lapsed authorisation is cancelled), or 404. */
  const withPayment =
    (handler: (payment: Payment, req: SandboxRequest, res: ServerResponse) => void): Handler =>
    (req, res) => {
      const payment = lifecycle.find(req.params.id!);
      if (!payment) return sendError(res, 404, MESSAGES.notFound);
      handler(payment, req, res);
    };

  router.post(
    `${PREFIX}/payments`,
    operation('createPayment', 'create', async (req, res) => {
      const body = req.json();
      if (body === undefined) return sendError(res, 400, MESSAGES.invalidBody, [{ field: 'body', message: 'must be valid JSON' }]);
      const parsed = parseCreatePayment(body);
      if (!parsed.ok) return sendError(res, 400, MESSAGES.invalidBody, parsed.errors);
      sendJson(res, CREATED, createdPaymentView(await lifecycle.create(parsed.value)));
    }),
  );

  router.get(
    `${PREFIX}/payments/:id`,
    operation('getPayment', 'status', withPayment((payment, _req, res) => sendJson(res, 200, paymentView(payment)))),
  );

  for (const [action, status] of [['capture', 'SETTLED'], ['cancel', CANCELLED_STATUS]] as const) {
    router.post(
      `${PREFIX}/payments/:id/${action}`,
      operation(
        `${action}Payment`,
        'other',
        withPayment((payment, _req, res) => {
          // A capture on day 7 finds the payment already CANCELLED (withPayment let the authorisation lapse).
          const refusal = refusalForManualAction(payment, action);
          if (refusal) return sendError(res, 409, refusal);
          // The reply does not wait for the merchant's callback endpoint.
          void lifecycle.change(payment, status);
          sendJson(res, 200, paymentView(payment));
        }),
      ),
    );
  }

  const upload = (fixedType?: DocumentType) =>
    operation(
      'uploadDocument',
      'other',
      withPayment((payment, req, res) => {
        const type = fixedType ?? req.params.type ?? DEFAULT_DOCUMENT_TYPE;
        if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) {
          return sendError(res, 400, `type must be one of ${DOCUMENT_TYPES.join(', ')}`);
        }
        const problem = documentProblem(req);
        if (problem) return sendError(res, problem.status, problem.message);
        const now = lifecycle.clock.now();
        const document = { id: ulid(now), type: type as DocumentType, size: req.raw.length, createdAt: new Date(now).toISOString() };
        payment.documents.push(document);
        sendJson(res, CREATED, { ...document, paymentId: payment.id });
      }),
    );
  router.post(`${PREFIX}/payments/:id/document/:type`, upload());
  // "if not specified, the default value is: OTHER"
  router.post(`${PREFIX}/payments/:id/document`, upload());
  router.post(`${PREFIX}/payments/:id/invoice`, upload(LEGACY_INVOICE_DOCUMENT_TYPE));

  router.get(
    `${PREFIX}/public-key.pem`,
    operation('getPublicKey', 'other', (_req, res) => sendText(res, 200, keys.webhookPublicKeyPem, 'application/x-pem-file'), false),
  );
}

/** A PDF (starting `%PDF-`) of at most 10 MB, sent as `application/pdf`. */
export function documentProblem(req: Pick<SandboxRequest, 'header' | 'raw'>): { status: number; message: string } | undefined {
  const contentType = req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== DOCUMENT_CONTENT_TYPE) return { status: 415, message: MESSAGES.wrongContentType };
  if (req.raw.length === 0) return { status: 400, message: MESSAGES.emptyDocument };
  if (req.raw.length > MAX_DOCUMENT_BYTES) return { status: 413, message: MESSAGES.tooLarge };
  if (req.raw.subarray(0, PDF_MAGIC.length).toString('latin1') !== PDF_MAGIC) return { status: 400, message: MESSAGES.notPdf };
  return undefined;
}
