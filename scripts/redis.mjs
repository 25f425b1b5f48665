/**
 * Finds a `redis-server` for the Node tests that run RedisStore over a real Redis (src/server/redis-store.test.ts):
 * REDIS_SERVER, then the usual install places, then PATH. Where none is found and this is a Debian-like machine run
 * as root, installs Debian's `redis-server` package; otherwise stops with one line saying how to install one. The
 * tests start their own server on a free port and stop it after; nothing here starts one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server', '/usr/sbin/redis-server'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path && executable(path) ? path : undefined;
}

export function findRedisServer() {
  const fromEnv = process.env.REDIS_SERVER;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new Error(`REDIS_SERVER is set to ${fromEnv}, which is not an executable file`);
  }
  return CANDIDATES.find(executable) ?? onPath('redis-server');
}

/** Returns a redis-server path, installing Debian's package when that is possible; exits with one clear line otherwise. */
export function ensureRedisServer() {
  const found = findRedisServer();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && onPath('apt-get')) {
    console.log("No redis-server found: installing Debian's redis-server package (apt-get install -y redis-server) …");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env });
    const installed = findRedisServer();
    if (installed) return installed;
  }
  console.error(
    'No redis-server found: install one (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_SERVER to a redis-server executable.',
  );
  process.exit(1);
}
