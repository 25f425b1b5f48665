/** CORS for the browser-facing routes: the endpoint's own origin and the configured `allowedOrigins`, nothing else. */
import { HttpProblem } from './problems.ts';

/** The headers to add to every answer of this request (problems too, so a page can read and localize them). */
export function corsHeaders(request: { headers: { get(name: string): string | null } }, url: URL, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || origin === url.origin) return {};
  if (!allowedOrigins.includes(origin)) throw new HttpProblem('origin-not-allowed', `${origin} is not an allowed origin`);
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type, idempotency-key',
    vary: 'origin',
  };
}
