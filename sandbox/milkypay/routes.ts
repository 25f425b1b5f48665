/**
 * MilkyPay's REST API under `/milkypay`: the public API (`/public-api/…`, authenticated by `public_key` in the body)
 * and the private API (`/api/…`, HTTP Basic `accountId:apiKey`, JSON:API bodies). Every operation is counted and
 * passes through fault injection first; refusals use the seed's status codes and error bodies.
 */
import type { ServerResponse } from 'node:http';
import type { SandboxContext } from '../core/context.ts';
import { START_OPERATION } from '../core/faults.ts';
import { redirect, sendJson, sendText, type Handler, type Method, type SandboxRequest } from '../core/http.ts';
import { findServiceById, MILKYPAY_CATALOGUE } from './catalogue.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type MilkyPayConfig } from './config.ts';
import {
  MESSAGES,
  sendBadRequest,
  sendDuplicate,
  sendForbidden,
  sendMethodNotAllowed,
  sendNotFound,
  sendUnauthorized,
  sendValidationErrors,
  type FieldErrors,
} from './errors.ts';
import type { HostedPages } from './hpp.ts';
import { logoSvg } from './logos.ts';
import type { MilkyPayService } from './service.ts';
import type { Invoice, InvoiceSource } from './state.ts';
import { checkAmount, formToObject, validateInvoice, type InvoiceDraft } from './validation.ts';
import { invoiceResource, invoiceHppUrl, PATHS, prerequestBody, publicInvoice, serviceResource } from './views.ts';

type OperationKind = 'create' | 'status' | 'other';
type Body = { ok: true; value: Record<string, unknown>; fromForm: boolean } | { ok: false };
type Auth = 'ok' | 'unauthorized' | 'forbidden';

const ALL_METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Reads a JSON or `application/x-www-form-urlencoded` body into an object; an empty body is an empty object. */
export function readBody(req: SandboxRequest): Body {
  if ((req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
    return { ok: true, value: formToObject(req.form()), fromForm: true };
  }
  if (req.raw.length === 0) return { ok: true, value: {}, fromForm: false };
  const json = req.json();
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false };
  return { ok: true, value: json as Record<string, unknown>, fromForm: false };
}

/** HTTP Basic `accountId:apiKey`. INVENTED: the right account with its public key as password is known but not allowed (403). */
export function checkBasicAuth(header: string | undefined, config: MilkyPayConfig): Auth {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return 'unauthorized';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'unauthorized';
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (user !== config.accountId) return 'unauthorized';
  if (password === config.apiKey) return 'ok';
  return password === config.publicKey ? 'forbidden' : 'unauthorized';
}

/** Test keys (`pk_test_…`) create test-mode invoices. */
const isTestKey = (key: string) => key.startsWith('pk_test_');

function pageSize(req: SandboxRequest, errors: FieldErrors): number {
  const raw = req.url.searchParams.get('page[size]');
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const size = Number(raw);
  if (!/^\d+$/.test(raw) || size < 1 || size > MAX_PAGE_SIZE) errors['page[size]'] = MESSAGES.between(1, MAX_PAGE_SIZE);
  return size;
}

/** Cursor paging of the invoice list (`page[after]` / `page[before]` take an invoice id); INVENTED details. */
export function cursorPage<T extends { id: string }>(items: T[], size: number, after: string | null, before: string | null) {
  let start = 0;
  let end = items.length;
  const afterIndex = after ? items.findIndex((i) => i.id === after) : -1;
  const beforeIndex = before ? items.findIndex((i) => i.id === before) : -1;
  if (afterIndex >= 0) start = afterIndex + 1;
  if (beforeIndex >= 0) {
    end = beforeIndex;
    start = Math.max(0, end - size);
  }
  const page = items.slice(start, Math.min(end, start + size));
  return { page, hasPrevious: start > 0, hasNext: start + page.length < items.length };
}

export function registerApiRoutes(ctx: SandboxContext, service: MilkyPayService, pages: HostedPages): void {
  const { config } = service;
  const { router } = ctx;
  const publicPath = (p: string) => `${PATHS.publicApi}${p}`;
  const privatePath = (p: string) => `${PATHS.privateApi}${p}`;
  const registered = new Map<string, Method[]>();

  /** Counts the call, lets a fault answer it, then runs the operation. */
  const route = (method: Method, path: string, kind: OperationKind, name: string, handler: Handler) => {
    registered.set(path, [...(registered.get(path) ?? []), method]);
    // A create through the private API is a merchant's server starting a payment (the public one is the browser's).
    const operations = kind === 'create' && path.startsWith(PATHS.privateApi) ? [kind, name, START_OPERATION] : [kind, name];
    router.add(method, path, async (req, res) => {
      ctx.record('milkypay', name);
      if (await ctx.faults.intercept('milkypay', operations, res, req)) return;
      await handler(req, res);
    });
  };

  /** Private operations: Basic auth before anything else. */
  const privateRoute = (method: Method, path: string, kind: OperationKind, name: string, handler: Handler) =>
    route(method, privatePath(path), kind, name, async (req, res) => {
      const auth = checkBasicAuth(req.header('authorization'), config);
      if (auth === 'unauthorized') return sendUnauthorized(res);
      if (auth === 'forbidden') return sendForbidden(res);
      await handler(req, res);
    });

  /** Validates, refuses duplicates (409, per account across both APIs) and creates; answers a refusal itself. */
  function createOrRefuse(
    res: ServerResponse,
    attributes: Record<string, unknown>,
    fromForm: boolean,
    source: InvoiceSource,
    testMode: (draft: InvoiceDraft) => boolean,
    render: (invoice: Invoice) => unknown,
  ): Invoice | undefined {
    const validated = validateInvoice(attributes, { fromForm, now: Date.now(), config });
    if (!validated.ok) {
      sendValidationErrors(res, validated.errors);
      return undefined;
    }
    const { draft } = validated;
    const existing = draft.referenceId === null ? undefined : service.store.byReference(draft.referenceId);
    if (existing) {
      sendDuplicate(res, existing.referenceId, existing.id, render(existing));
      return undefined;
    }
    return service.createInvoice(draft, source, testMode(draft));
  }

  /** The public flat body: `public_key` plus the invoice's own fields. */
  function publicCreate(req: SandboxRequest, res: ServerResponse): Invoice | undefined {
    const body = readBody(req);
    if (!body.ok) return void sendBadRequest(res, 'The request body is not valid JSON.');
    const { public_key: key, ...attributes } = body.value;
    if (key !== config.publicKey) return void sendUnauthorized(res);
    if (config.forbidPublicCreation) return void sendForbidden(res);
    const render = (invoice: Invoice) => publicInvoice(invoice, ctx.baseUrl()).data;
    return createOrRefuse(res, attributes, body.fromForm, 'public_api', () => isTestKey(key), render);
  }

  route('POST', publicPath('/payment-prerequest'), 'other', 'paymentPrerequest', (req, res) => {
    const body = readBody(req);
    if (!body.ok) return sendBadRequest(res, 'The request body is not valid JSON.');
    const { public_key: key, currency, amount } = body.value;
    if (key !== config.publicKey) return sendUnauthorized(res);
    const errors: FieldErrors = {};
    if (currency === undefined || currency === null || currency === '') errors.currency = MESSAGES.blank;
    else if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) errors.currency = MESSAGES.invalidCurrency;
    // The amount is optional and only checked for shape: the pre-request never filters by amount.
    if (amount !== undefined && amount !== null) checkAmount(amount, undefined, undefined, errors);
    if (Object.keys(errors).length) return sendValidationErrors(res, errors);
    sendJson(res, 200, prerequestBody(currency as string, isTestKey(key), ctx.baseUrl(), config));
  });

  route('POST', publicPath('/payment-invoices'), 'create', 'createPaymentInvoice', (req, res) => {
    const invoice = publicCreate(req, res);
    if (invoice) sendJson(res, 201, publicInvoice(invoice, ctx.baseUrl()));
  });

  // The HTML form post alternative: the browser arrives here and goes straight on to the payment page.
  route('POST', publicPath('/payment-invoices/process'), 'create', 'processPaymentInvoice', async (req, res) => {
    const invoice = publicCreate(req, res);
    if (!invoice) return;
    const hpp = invoiceHppUrl(invoice, ctx.baseUrl());
    if (hpp) return redirect(res, hpp);
    await pages.open(invoice, res);
  });

  route('GET', publicPath('/payment-invoices/:id'), 'status', 'getPaymentInvoice', async (req, res) => {
    // INVENTED: the public read needs no key (the platform's JS SDK sends none); a wrong one given is refused.
    const key = req.url.searchParams.get('public_key');
    if (key !== null && key !== config.publicKey) return sendUnauthorized(res);
    const invoice = await service.read(req.params.id!);
    if (!invoice) return sendNotFound(res);
    sendJson(res, 200, publicInvoice(invoice, ctx.baseUrl()));
  });

  privateRoute('POST', '/payment-invoices', 'create', 'createPaymentInvoice', (req, res) => {
    const body = readBody(req);
    if (!body.ok) return sendBadRequest(res, 'The request body is not valid JSON.');
    const data = body.value.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return sendValidationErrors(res, { data: MESSAGES.blank });
    const { type, attributes } = data as Record<string, unknown>;
    if (type !== 'payment-invoices') return sendValidationErrors(res, { type: MESSAGES.equalTo('payment-invoices') });
    const attrs = typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes) ? (attributes as Record<string, unknown>) : {};
    const render = (invoice: Invoice) => invoiceResource(invoice, ctx.baseUrl());
    // Seed: `test_mode` — "send true for test transactions; it is false by default".
    const invoice = createOrRefuse(res, attrs, body.fromForm, 'merchant_api', (d) => d.testMode ?? false, render);
    if (invoice) sendJson(res, 201, { data: render(invoice) });
  });

  privateRoute('GET', '/payment-invoices/:id', 'status', 'getPaymentInvoice', async (req, res) => {
    const invoice = await service.read(req.params.id!);
    if (!invoice) return sendNotFound(res);
    sendJson(res, 200, { data: invoiceResource(invoice, ctx.baseUrl()) });
  });

  privateRoute('GET', '/payment-invoices', 'status', 'listPaymentInvoices', async (req, res) => {
    const errors: FieldErrors = {};
    const size = pageSize(req, errors);
    if (Object.keys(errors).length) return sendValidationErrors(res, errors);
    const reference = req.url.searchParams.get('filter[reference_id]');
    const all = service.store.list().filter((i) => reference === null || i.referenceId === reference);
    for (const invoice of all) await service.refresh(invoice);
    const params = req.url.searchParams;
    const { page, hasPrevious, hasNext } = cursorPage(all, size, params.get('page[after]'), params.get('page[before]'));
    const link = (cursor: string, id: string) =>
      `${privatePath('/payment-invoices')}?page[size]=${size}&page[${cursor}]=${id}` +
      (reference === null ? '' : `&filter[reference_id]=${encodeURIComponent(reference)}`);
    sendJson(res, 200, {
      meta: { count: all.length, size, before: page[0]?.id ?? null, after: page.at(-1)?.id ?? null },
      links: {
        prev: hasPrevious && page[0] ? link('before', page[0].id) : '',
        next: hasNext && page.length ? link('after', page.at(-1)!.id) : '',
      },
      data: page.map((i) => invoiceResource(i, ctx.baseUrl())),
    });
  });

  privateRoute('GET', '/payment-services', 'other', 'listPaymentServices', (req, res) => {
    const errors: FieldErrors = {};
    const size = pageSize(req, errors);
    const rawNumber = req.url.searchParams.get('page[number]') ?? '1';
    const number = Number(rawNumber);
    if (!/^\d+$/.test(rawNumber) || number < 1) errors['page[number]'] = MESSAGES.greaterThanZero;
    if (Object.keys(errors).length) return sendValidationErrors(res, errors);
    const all = MILKYPAY_CATALOGUE.services;
    const pageCount = Math.max(1, Math.ceil(all.length / size));
    const link = (n: number) => `${privatePath('/payment-services')}?page[number]=${n}&page[size]=${size}`;
    const links: Record<string, string> = { first: link(1) };
    if (number > 1) links.prev = link(Math.min(number - 1, pageCount));
    if (number < pageCount) links.next = link(number + 1);
    links.last = link(pageCount);
    sendJson(res, 200, {
      meta: { total: all.length, pages: pageCount, page: number },
      links,
      data: all.slice((number - 1) * size, number * size).map((s) => serviceResource(s, config)),
    });
  });

  privateRoute('GET', '/payment-services/:id', 'other', 'getPaymentService', (req, res) => {
    const found = findServiceById(req.params.id!);
    if (!found) return sendNotFound(res);
    sendJson(res, 200, { data: serviceResource(found, config) });
  });

  // The pre-request's logo and icon URLs point here.
  router.get(`${PATHS.logos}/:file`, (req, res) => {
    const svg = /^([a-z0-9_-]+)\.svg$/.exec(req.params.file!)?.[1];
    const body = svg ? logoSvg(svg) : undefined;
    if (!body) return sendText(res, 404, 'Not Found');
    res.setHeader('cache-control', 'public, max-age=3600');
    sendText(res, 200, body, 'image/svg+xml');
  });

  // Other methods on known paths answer MilkyPay's 405, unknown API paths its 404 (instead of the sandbox's own).
  for (const [path, methods] of registered) {
    for (const method of ALL_METHODS.filter((m) => !methods.includes(m))) router.add(method, path, (_req, res) => sendMethodNotAllowed(res));
  }
  for (const prefix of [PATHS.publicApi, PATHS.privateApi]) {
    for (const depth of [0, 1, 2, 3, 4]) {
      const path = prefix + Array.from({ length: depth }, (_, i) => `/:p${i}`).join('');
      for (const method of ALL_METHODS) router.add(method, path, (_req, res) => sendNotFound(res));
    }
  }
}

