/**
 * MilkyPay's error answers, shaped as the seed's "HTTP status codes used in responses" section shows them:
 * JSON:API error lists for HTTP-level errors, and a field → message map for validation errors.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../core/http.ts';

export type FieldErrors = Record<string, string>;

/** The seed's `{"errors":[{"status":"Unauthorized","code":"401"}]}` shape. */
export function httpErrorBody(code: number, status: string): { errors: Array<{ status: string; code: string }> } {
  return { errors: [{ status, code: String(code) }] };
}

export const sendUnauthorized = (res: ServerResponse) => sendJson(res, 401, httpErrorBody(401, 'Unauthorized'));
export const sendForbidden = (res: ServerResponse) => sendJson(res, 403, httpErrorBody(403, 'Forbidden'));
export const sendNotFound = (res: ServerResponse) => sendJson(res, 404, httpErrorBody(404, 'Not Found'));
export const sendMethodNotAllowed = (res: ServerResponse) => sendJson(res, 405, httpErrorBody(405, 'Method Not Allowed'));

/** INVENTED: the seed documents 400 for "invalid syntax" but shows no body; this follows its other error lists. */
export function sendBadRequest(res: ServerResponse, detail: string): void {
  sendJson(res, 400, { errors: [{ status: 'Bad Request', code: '400', title: 'bad_request', detail }] });
}

/** The seed's validation shape `{"errors":{"amount":"This value should be greater than 0."}}`, with 422. */
export function sendValidationErrors(res: ServerResponse, errors: FieldErrors): void {
  sendJson(res, 422, { errors });
}

/**
 * INVENTED shape for 409: the seed says a duplicate answers with an error message and the previously created
 * transaction ("process the response body with the previously created transaction"), so the body has both.
 */
export function sendDuplicate(res: ServerResponse, referenceId: string, existingId: string, existing: unknown): void {
  sendJson(res, 409, {
    errors: [
      {
        status: 'Conflict',
        code: '409',
        title: 'duplicate',
        detail: `Payment invoice with reference_id "${referenceId}" already exists (${existingId}).`,
        source: { parameter: 'reference_id' },
      },
    ],
    data: existing,
  });
}

/** Symfony-validator messages, which the platform's validation errors use (the seed's "This value should be …"). */
export const MESSAGES = {
  blank: 'This value should not be blank.',
  greaterThanZero: 'This value should be greater than 0.',
  invalid: 'This value is not valid.',
  invalidChoice: 'The value you selected is not a valid choice.',
  invalidCurrency: 'This value is not a valid currency.',
  invalidUrl: 'This value is not a valid URL.',
  invalidDatetime: 'This value is not a valid datetime.',
  invalidEmail: 'This value is not a valid email address.',
  type: (type: string) => `This value should be of type ${type}.`,
  tooLong: (max: number) => `This value is too long. It should have ${max} characters or less.`,
  equalTo: (value: string) => `This value should be equal to "${value}".`,
  between: (min: number | string, max: number | string) => `This value should be between ${min} and ${max}.`,
  /** INVENTED: the message for more decimals than the currency has. */
  decimals: (currency: string, exponent: number) => `This value should have at most ${exponent} decimal places for ${currency}.`,
  /** INVENTED: the message for an `expires` outside the documented 14 minutes – 2 days. */
  expiresRange: 'The expiry should be between 14 minutes and 2 days from the invoice creation.',
} as const;
