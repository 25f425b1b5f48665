/**
 * Helpers for Node tests against a sandbox started on a free port: `useSandbox()` inside a `describe` starts one
 * before the tests and resets it between them; `control` drives the control API.
 */
import { after, before, beforeEach } from 'node:test';
import { startSandbox, type RunningSandbox } from './server.ts';

export interface SandboxHandle {
  readonly url: string;
  readonly sandbox: RunningSandbox;
  /** Calls the control API: `control('POST', '/outcomes', {provider, outcome})` → parsed JSON. */
  control<T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** Calls a sandbox's control API and answers the parsed JSON; a non-2xx answer throws with its body. */
export async function callControl<T = any>(sandboxUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`control ${method} ${path} → ${response.status}: ${text}`);
  return JSON.parse(text);
}

export function useSandbox(): SandboxHandle {
  let running: RunningSandbox | undefined;
  before(async () => {
    running = await startSandbox();
  });
  beforeEach(async () => {
    await handle.control('POST', '/reset');
  });
  after(async () => {
    await running?.close();
  });
  const handle: SandboxHandle = {
    get url() {
      if (!running) throw new Error('the sandbox is not started yet; use it inside a test');
      return running.url;
    },
    get sandbox() {
      if (!running) throw new Error('the sandbox is not started yet; use it inside a test');
      return running;
    },
    control(method, path, body) {
      return callControl(handle.url, method, path, body);
    },
  };
  return handle;
}
