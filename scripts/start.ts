/**
 * `npm start`: builds dist/kassa.js and the React example when they are missing or older than their sources, then
 * starts the sandbox on 127.0.0.1:${KASSA_SANDBOX_PORT:-4010} and the demo shop with the endpoint at `/kassa` on
 * 127.0.0.1:${KASSA_DEMO_PORT:-4000}; prints one URL to open (the shop links to everything else).
 */
import { ensureBundle, ensureReactExample } from '../demo/build.ts';
import { startDemo } from '../demo/server.ts';
import { exitOnBusyPort } from '../sandbox/busy-port.ts';
import { startSandbox } from '../sandbox/server.ts';

function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number, got "${process.env[name]}"`);
    process.exit(1);
  }
  return value;
}

const sandboxPort = port('KASSA_SANDBOX_PORT', 4010);
const demoPort = port('KASSA_DEMO_PORT', 4000);
await ensureBundle(console.log);
await ensureReactExample(console.log);

const sandbox = await startSandbox({ port: sandboxPort }).catch(exitOnBusyPort(sandboxPort, 'KASSA_SANDBOX_PORT'));
const allowedOrigins = (process.env.KASSA_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
const demo = await startDemo({ port: demoPort, sandboxUrl: sandbox.url, allowedOrigins }).catch(exitOnBusyPort(demoPort, 'KASSA_DEMO_PORT'));
console.log(`Kassa demo shop: ${demo.url}/`);
console.log(`Its back office (a demo, without authentication): ${demo.url}/admin/orders`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([demo.close(), sandbox.close()]).then(() => process.exit(0));
  });
}
