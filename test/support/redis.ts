/**
 * A real, throwaway `redis-server` for Node tests: `startRedisServer()` starts it on a free loopback port in a
 * temporary directory with nothing saved to disk, and answers once it replies to PING; `stop()` ends it and removes
 * the directory. `npm test` finds (or installs) the binary with scripts/programs.mjs and passes it as `REDIS_SERVER`;
 * a test file run alone uses PATH's `redis-server`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 5_000;

export async function startRedisServer(): Promise<RunningRedis> {
  const binary = process.env.REDIS_SERVER || 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'kassa-redis-'));
  const port = await freePort();
  const server = spawn(binary, ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (chunk) => (stderr += chunk));
  let notStarted: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    server.once('exit', () => resolve());
    server.once('error', (error) => {
      notStarted = error; // ENOENT: no such program
      resolve();
    });
  });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPong(port, server);
  } catch (error) {
    await stop();
    const why = notStarted ? `${notStarted.message} (install redis-server or set REDIS_SERVER)` : `${(error as Error).message} ${stderr}`;
    throw new Error(`redis-server (${binary}) did not start on port ${port}: ${why}`.trim(), { cause: error });
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

/** A TCP port free on the loopback interface now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPong(port: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`it exited with code ${server.exitCode}`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no PONG within ${STARTUP_TIMEOUT_MS} ms`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
