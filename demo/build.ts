/**
 * Builds what the demo serves when it is missing or older than its sources, with Vite's own API: the script-tag
 * bundle (dist/kassa.js, from src/ with the project's vite.config.ts) and the React 19 example (demo/react/dist/,
 * from demo/react/ and src/ with demo/react/vite.config.ts). A fresh build is skipped: each takes a second or two.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The newest modification time under the given files and folders (skipping node_modules and build output). */
function newest(paths: string[]): number {
  let latest = 0;
  const visit = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (!stat.isDirectory()) {
      latest = Math.max(latest, stat.mtimeMs);
      return;
    }
    for (const name of readdirSync(path)) {
      if (name !== 'node_modules' && name !== 'dist' && !name.startsWith('.')) visit(join(path, name));
    }
  };
  for (const path of paths) visit(join(ROOT, path));
  return latest;
}

function builtAt(file: string): number | undefined {
  try {
    return statSync(join(ROOT, file)).mtimeMs;
  } catch {
    return undefined;
  }
}

interface Target {
  /** What a person reads while it builds. */
  label: string;
  output: string;
  sources: string[];
  configFile: string;
  /** Vite's root when the config file does not set one. */
  root?: string;
}

const BUNDLE: Target = {
  label: 'dist/kassa.js',
  output: 'dist/kassa.js',
  sources: ['src', 'vite.config.ts'],
  configFile: 'vite.config.ts',
  root: ROOT,
};

const REACT_EXAMPLE: Target = {
  label: 'the React example (demo/react/dist/)',
  output: 'demo/react/dist/index.html',
  sources: ['src', 'demo/react', 'demo/public/demo.css'],
  configFile: 'demo/react/vite.config.ts',
};

/** Whether the target's output is missing or older than one of its sources. */
export function isStale(target: Target): boolean {
  const built = builtAt(target.output);
  return built === undefined || newest(target.sources) > built;
}

async function buildIfStale(target: Target, log: (line: string) => void): Promise<boolean> {
  if (!isStale(target)) return false;
  log(`Building ${target.label}…`);
  const { build } = await import('vite');
  await build({ root: target.root, configFile: join(ROOT, target.configFile), logLevel: 'warn' });
  return true;
}

/** Builds dist/kassa.js when it is missing or older than src/; answers whether it built. */
export function ensureBundle(log: (line: string) => void = () => {}): Promise<boolean> {
  return buildIfStale(BUNDLE, log);
}

/** Builds the React example when it is missing or older than its sources; answers whether it built. */
export function ensureReactExample(log: (line: string) => void = () => {}): Promise<boolean> {
  return buildIfStale(REACT_EXAMPLE, log);
}
