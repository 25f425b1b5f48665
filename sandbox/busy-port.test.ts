/**
 * A start on a port another process holds prints one clear line and exits 1: `npm run sandbox` (sandbox/main.ts)
 * and `npm start` (scripts/start.ts), each spawned as the command line runs it, on a port this test holds.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { busyPortLine } from './busy-port.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a busy port', () => {
  let held: Server;
  let port: number;
  before(async () => {
    held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    port = (held.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => held.close(() => resolve())));

  it('names only a listen on a port in use', () => {
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    assert.equal(busyPortLine(busy, 4010, 'KASSA_SANDBOX_PORT'), 'Port 4010 is in use: set KASSA_SANDBOX_PORT=… or stop the other process.');
    assert.equal(busyPortLine(Object.assign(new Error('denied'), { code: 'EACCES' }), 80, 'X'), undefined);
    assert.equal(busyPortLine(new Error('other'), 4010, 'X'), undefined);
    assert.equal(busyPortLine(null, 4010, 'X'), undefined);
  });

  it('npm run sandbox: one line, exit code 1', async () => {
    const { code, stdout, stderr } = await run('sandbox/main.ts', { KASSA_SANDBOX_PORT: String(port) });
    assert.equal(code, 1, stderr);
    assert.equal(stderr, `Port ${port} is in use: set KASSA_SANDBOX_PORT=… or stop the other process.\n`);
    assert.equal(stdout, '');
  });

  it('npm start, the demo shop: one line, exit code 1', async () => {
    const { code, stderr } = await run('scripts/start.ts', { KASSA_DEMO_PORT: String(port), KASSA_SANDBOX_PORT: '0' });
    assert.equal(code, 1, stderr);
    assert.equal(stderr, `Port ${port} is in use: set KASSA_DEMO_PORT=… or stop the other process.\n`);
  });
});
