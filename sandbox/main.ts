/** `npm run sandbox`: the five simulated providers on 127.0.0.1:4010 (KASSA_SANDBOX_PORT to change). */
import { exitOnBusyPort } from './busy-port.ts';
import { startSandbox } from './server.ts';

const port = Number(process.env.KASSA_SANDBOX_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`KASSA_SANDBOX_PORT must be a port number, got "${process.env.KASSA_SANDBOX_PORT}"`);
  process.exit(1);
}
const sandbox = await startSandbox({ port, host: process.env.KASSA_SANDBOX_HOST ?? '127.0.0.1' }).catch(exitOnBusyPort(port, 'KASSA_SANDBOX_PORT'));
console.log(`Kassa sandbox listening on ${sandbox.url}  (panel: ${sandbox.url}/_sandbox/)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
