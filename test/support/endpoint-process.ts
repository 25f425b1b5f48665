/**
 * The demo endpoint in a process of its own, for drills that stop it hard (SIGKILL): its state in a FileStore at
 * `KASSA_STORE_DIR`, its sandbox at `KASSA_SANDBOX_URL`. Its `onPaymentEvent` hook reports each call on stdout and
 * never answers, as a process that stops mid-delivery. Prints `{"url": …}` once listening, then `{"hook": <event id>}`.
 *
 *   node --import tsx test/support/endpoint-process.ts
 */
import { startDemo } from '../../demo/server.ts';
import { FileStore } from '../../src/server/stores/file-store.ts';

async function main(): Promise<void> {
  const dir = process.env.KASSA_STORE_DIR;
  const sandboxUrl = process.env.KASSA_SANDBOX_URL;
  if (!dir || !sandboxUrl) throw new Error('KASSA_STORE_DIR and KASSA_SANDBOX_URL are required');
  const demo = await startDemo({
    sandboxUrl,
    overrides: {
      store: new FileStore(dir),
      onError: () => {},
      onPaymentEvent: (event) => {
        console.log(JSON.stringify({ hook: event.id }));
        return new Promise(() => {});
      },
    },
  });
  console.log(JSON.stringify({ url: demo.url }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
