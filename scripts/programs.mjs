/**
 * Finds the programs the tests drive — Chromium (browser tests) and redis-server (RedisStore's tests) — from an
 * environment variable, the usual install places, then PATH. Where one is missing and this is a Debian-like machine
 * run as root, installs Debian's package; otherwise stops with one line saying how to install it. Never downloads a
 * build of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const CHROMIUM = {
  label: 'Chromium',
  envVar: 'CHROME_PATH',
  candidates: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  names: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
  aptPackage: 'chromium',
  hint: 'Debian/Ubuntu: `sudo apt-get install chromium`',
};

const REDIS_SERVER = {
  label: 'redis-server',
  envVar: 'REDIS_SERVER',
  candidates: ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server', '/usr/sbin/redis-server'],
  names: ['redis-server'],
  aptPackage: 'redis-server',
  hint: 'Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`',
};

export const findChromium = () => findProgram(CHROMIUM);
export const ensureChromium = () => ensureProgram(CHROMIUM);
export const findRedisServer = () => findProgram(REDIS_SERVER);
export const ensureRedisServer = () => ensureProgram(REDIS_SERVER);

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

function findProgram({ envVar, candidates, names }) {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new Error(`${envVar} is set to ${fromEnv}, which is not an executable file`);
  }
  return candidates.find(executable) ?? names.map(onPath).find(Boolean);
}

/** Returns the program's path, installing Debian's package when that is possible; exits with one clear line otherwise. */
function ensureProgram(program) {
  const found = findProgram(program);
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && onPath('apt-get')) {
    console.log(`No ${program.label} found: installing Debian's ${program.aptPackage} package (apt-get install -y ${program.aptPackage}) …`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', program.aptPackage], { stdio: 'inherit', env });
    const installed = findProgram(program);
    if (installed) return installed;
  }
  console.error(`No ${program.label} found: install one (${program.hint}) or set ${program.envVar} to its executable.`);
  process.exit(1);
}
