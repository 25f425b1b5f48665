/**
 * The Kassa sandbox: one HTTP (and websocket) server that simulates all five providers under fixed prefixes —
 * `/hero`, `/milkypay`, `/hidirect`, `/whenthen`, `/kronor` — plus the control API under `/_sandbox`.
 *
 * `startSandbox()` starts it on a free port for tests; `npm run sandbox` starts it on 127.0.0.1:4010.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROVIDERS, type ProviderName, type SandboxContext, type Simulator, type UpgradeHandler } from './core/context.ts';
import { Faults } from './core/faults.ts';
import { BodyTooLarge, readRequest, Router, sendJson } from './core/http.ts';
import { PresetOutcomes } from './core/outcomes.ts';
import { Webhooks } from './core/webhooks.ts';
import { registerControlApi, type RequestLog } from './control.ts';
import { SIMULATORS } from './simulators.ts';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  simulators: Record<ProviderName, Simulator>;
  close(): Promise<void>;
}

/** The browser-facing provider APIs (Kronor with a session token, MilkyPay's public API) are called cross-origin. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, x-idempotency-key',
  'access-control-max-age': '600',
};

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const router = new Router();
  const upgrades = new Map<string, UpgradeHandler>();
  const requests: RequestLog = [];
  let baseUrl = '';
  const faults = new Faults();

  const ctx: SandboxContext = {
    router,
    baseUrl: () => baseUrl,
    faults,
    webhooks: new Webhooks(faults),
    presets: new PresetOutcomes(),
    onUpgrade: (path, handler) => upgrades.set(path, handler),
    record: (provider, operation) => requests.push({ provider, operation, at: new Date().toISOString() }),
  };

  const simulators = {} as Record<ProviderName, Simulator>;
  for (const name of PROVIDERS) simulators[name] = SIMULATORS[name](ctx);
  registerControlApi(ctx, simulators, requests);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('sandbox: unexpected error', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'sandbox internal error' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', baseUrl);
    const found = router.match(req.method ?? 'GET', url.pathname);
    if ('allowed' in found) {
      if (found.allowed.length) {
        res.setHeader('allow', found.allowed.join(', '));
        sendJson(res, 405, { error: `method not allowed; use ${found.allowed.join(' or ')}` });
      } else {
        sendJson(res, 404, { error: `no sandbox route for ${url.pathname}` });
      }
      return;
    }
    let request;
    try {
      request = await readRequest(req, found.params, baseUrl);
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: 'request body too large' });
      throw error;
    }
    await found.handler(request, res);
  }

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    const handler = upgrades.get(path);
    if (handler) handler(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    simulators,
    async close() {
      ctx.faults.clear();
      await Promise.all(Object.values(simulators).map((s) => s.close?.()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
