/**
 * `npm start`: the sandbox on 127.0.0.1:${KASSA_SANDBOX_PORT:-4010} and the demo shop with the endpoint at `/kassa`
 * on 127.0.0.1:${KASSA_DEMO_PORT:-4000}; prints one URL to open.
 */
import { startDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';

function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number, got "${process.env[name]}"`);
    process.exit(1);
  }
  return value;
}

const sandbox = await startSandbox({ port: port('KASSA_SANDBOX_PORT', 4010) });
const allowedOrigins = (process.env.KASSA_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
const demo = await startDemo({ port: port('KASSA_DEMO_PORT', 4000), sandboxUrl: sandbox.url, allowedOrigins });
console.log(`Kassa demo shop: ${demo.url}/   (endpoint ${demo.url}/kassa, sandbox ${sandbox.url}/_sandbox/)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([demo.close(), sandbox.close()]).then(() => process.exit(0));
  });
}
