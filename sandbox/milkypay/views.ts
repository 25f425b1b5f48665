/**
 * How MilkyPay writes its objects: the public API's flat invoice, the private API's (and callbacks') JSON:API
 * invoice resource, payment-service resources and the pre-request answer — field names and order as in the seed.
 * Amounts go out as JSON numbers in major units (`123.45`, `100`), as the seed's samples show them.
 */
import { toMajor } from '../core/money.ts';
import { findMethod, servicesForCurrency, type CatalogueMethod, type CatalogueService } from './catalogue.ts';
import { SANDBOX_EXTERNAL_MID, type MilkyPayConfig } from './config.ts';
import { cardPayload, isUndecided, type Invoice } from './state.ts';

/** Where the sandbox's MilkyPay pieces live under the sandbox's base URL. */
export const PATHS = {
  publicApi: '/milkypay/public-api',
  privateApi: '/milkypay/api',
  hpp: '/milkypay/hpp',
  logos: '/milkypay/static/logos',
} as const;

export const hppUrl = (base: string, invoiceId: string) => `${base}${PATHS.hpp}/${encodeURIComponent(invoiceId)}`;
export const logoUrl = (base: string, name: string) => `${base}${PATHS.logos}/${name}.svg`;

export function majorAmount(minor: number | null, currency: string): number | null {
  return minor === null ? null : Number(toMajor(minor, currency));
}

/**
 * `flow_data`: how the merchant sends the shopper on. hpp_url services: a plain GET of the page (params `[]`, as the
 * platform's PHP writes an empty list); form_post services: a POST form whose params carry the page's token.
 */
export function flowData(invoice: Invoice, base: string) {
  const metadata = { sid: invoice.sid, token: invoice.token };
  return invoice.service.redirect === 'hpp_url'
    ? { action: hppUrl(base, invoice.id), method: 'GET', params: [], metadata }
    : { action: hppUrl(base, invoice.id), method: 'POST', params: { sid: invoice.sid, token: invoice.token }, metadata };
}

export function invoiceHppUrl(invoice: Invoice, base: string): string | null {
  return invoice.service.redirect === 'hpp_url' ? hppUrl(base, invoice.id) : null;
}

/** PHP serialises an empty map as `[]`; the seed's callbacks show `"metadata":[]` and `"callback_logs": []`. */
const phpMap = (value: Record<string, unknown> | null) => (value && Object.keys(value).length ? value : []);

/** The public API's flat invoice (`POST /public-api/payment-invoices`, `GET /public-api/payment-invoices/{id}`). */
export function publicInvoice(invoice: Invoice, base: string) {
  const amount = majorAmount(invoice.amountMinor, invoice.currency);
  // The seed's public samples spell the resolution in capitals ("OK") where the private API writes "ok".
  const resolution = invoice.resolution.toUpperCase();
  return {
    data: {
      id: invoice.id,
      serial_number: invoice.serialNumber,
      created: invoice.created,
      test_mode: invoice.testMode,
      reference_id: invoice.referenceId,
      currency: invoice.currency,
      amount,
      payment_amount: amount,
      processed_amount: majorAmount(invoice.processedMinor, invoice.currency),
      refunded_amount: majorAmount(invoice.refundedMinor, invoice.currency),
      description: invoice.description,
      has_return_url: Boolean(invoice.returnUrl || invoice.returnUrls),
      status: invoice.status,
      resolution,
      service: invoice.service.code,
      service_method: invoice.service.method,
      service_flow: invoice.service.flow,
      service_currency: invoice.service.currency,
      metadata: phpMap(invoice.metadata),
      hpp_url: invoiceHppUrl(invoice, base),
      active_payment: {
        payload: flowData(invoice, base),
        status: isUndecided(invoice) ? 'invoked' : invoice.status,
        resolution,
      },
    },
  };
}

/** The private API's JSON:API resource; callbacks carry exactly this object too. */
export function invoiceResource(invoice: Invoice, base: string) {
  const amount = majorAmount(invoice.amountMinor, invoice.currency);
  const processed = invoice.processedMinor !== null;
  const relationships: Record<string, { data: { type: string; id: string } }> = {
    'payment-service': { data: { type: 'payment-services', id: invoice.service.code } },
    'payment-method': { data: { type: 'payment-methods', id: invoice.service.method } },
  };
  if (invoice.customer) relationships.customer = { data: { type: 'customers', id: invoice.customer.id } };
  return {
    type: 'payment-invoices',
    id: invoice.id,
    attributes: {
      serial_number: invoice.serialNumber,
      status: invoice.status,
      resolution: invoice.resolution,
      moderation_required: false,
      amount,
      payment_amount: amount,
      currency: invoice.currency,
      service_currency: invoice.service.currency,
      reference_id: invoice.referenceId,
      test_mode: invoice.testMode,
      fee: 0,
      deposit: amount,
      processed: invoice.processed,
      processed_amount: majorAmount(invoice.processedMinor, invoice.currency),
      refunded_amount: majorAmount(invoice.refundedMinor, invoice.currency),
      processed_fee: processed ? 0 : null,
      processed_deposit: majorAmount(invoice.processedMinor, invoice.currency),
      metadata: phpMap(invoice.metadata),
      flow_data: flowData(invoice, base),
      flow: invoice.service.flow,
      hpp_url: invoiceHppUrl(invoice, base),
      payment_flow: invoice.paymentFlow,
      created: invoice.created,
      updated: invoice.updated,
      payload: cardPayload(invoice),
      description: invoice.description,
      descriptor: null,
      callback_url: invoice.callbackUrl,
      return_url: invoice.returnUrl,
      original_data: {
        external_id: invoice.sid,
        merchant_id: null,
        provider_id: null,
        external_mid: SANDBOX_EXTERNAL_MID,
        provider_code: null,
      },
      rrn: null,
      approval_code: null,
      reserved_amount: null,
      reserve_expires: null,
      unreserved: null,
      source: invoice.source,
      callback_logs: phpMap(invoice.callbackLogs),
    },
    relationships,
    links: { self: `${PATHS.privateApi}/payment-invoices/${invoice.id}` },
  };
}

export function serviceResource(service: CatalogueService, config: MilkyPayConfig) {
  return {
    type: 'payment-services',
    id: service.id,
    attributes: {
      service: service.code,
      service_method: service.method,
      service_currency: service.currency,
      available: true,
      active: false,
      enabled: true,
      amount_min: service.amountMin,
      amount_max: service.amountMax,
      fee_min: 0,
      fee_max: 0,
      fee_rate: 0,
      fee_fix: 0,
      reserve_lifetime: 0,
      reserve_rate: 0,
      currency: config.accountCurrency,
      test_mode: true,
    },
    relationships: {
      'payment-method': { data: { type: 'payment-methods', id: service.method } },
      'payment-service': { data: { type: 'payment-services', id: service.code } },
    },
    links: { self: `${PATHS.privateApi}/payment-services/${service.id}` },
  };
}

function prerequestService(service: CatalogueService) {
  return {
    code: service.code,
    method: service.method,
    flow: service.flow,
    currency: service.currency,
    fields: service.fields,
    amount_min: service.amountMin,
    amount_max: service.amountMax,
  };
}

function prerequestMethod(method: CatalogueMethod, base: string) {
  return {
    code: method.code,
    category: method.category,
    description: method.description,
    name: method.name,
    logo: logoUrl(base, method.code),
    icon: logoUrl(base, `${method.code}-icon`),
    metadata: null,
    position: method.position,
    hide: method.hide,
  };
}

/** The pre-request answer: the currency's services (not filtered by amount) and the methods they use. */
export function prerequestBody(currency: string, testMode: boolean, base: string, config: MilkyPayConfig) {
  const services = servicesForCurrency(currency);
  const methods = [...new Set(services.map((s) => s.method))]
    .map(findMethod)
    .filter((m): m is CatalogueMethod => m !== undefined);
  return {
    data: {
      currency,
      test_mode: testMode,
      services: Object.fromEntries(services.map((s) => [s.code, prerequestService(s)])),
      methods: Object.fromEntries(methods.map((m) => [m.code, prerequestMethod(m, base)])),
      account: {
        name: config.account.name,
        description: config.account.description,
        icon: logoUrl(base, 'account'),
        website: config.account.website,
      },
    },
  };
}
