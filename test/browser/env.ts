/** Where the sandbox and the demo endpoint run during browser tests (started by web-test-runner.config.mjs). */
export interface TestEnv {
  sandboxUrl: string;
  /** The demo's Kassa endpoint, e.g. `http://127.0.0.1:41234/kassa`; it allows the test page's origin. */
  endpointUrl: string;
}

let env: Promise<TestEnv> | undefined;

export function testEnv(): Promise<TestEnv> {
  env ??= fetch('/__kassa__/env.json').then((r) => r.json() as Promise<TestEnv>);
  return env;
}

/** Calls the sandbox's control API from a test page. */
export async function sandboxControl<T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const { sandboxUrl } = await testEnv();
  const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

let orders = 0;

/**
 * A fixed demo order's fresh variant (`DEMO-EUR` → `DEMO-EUR~b3-x1y2`, the same contents under a reference of its
 * own), so a payment in one test never makes the order paid for the next; any other reference as it is.
 */
export function freshOrder(order: string): string {
  return /^DEMO-[A-Z]{3}$/.test(order) ? `${order}~b${++orders}-${Math.random().toString(36).slice(2, 8)}` : order;
}
