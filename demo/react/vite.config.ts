/**
 * The React 19 example's build: `vite build -c demo/react/vite.config.ts` (or `buildReactExample()` in
 * demo/build.ts, which `npm start` and the test run) writes demo/react/dist/, served by the demo server at `/react/`.
 *
 * JSX goes through Vite's own transformer (the `oxc.jsx` option, React's automatic runtime): no plugin needed. The
 * package's entries resolve to the source here, so the example imports Kassa as an app does from npm.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/react/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  resolve: {
    alias: [
      { find: /^kassa$/, replacement: `${src}components/index.ts` },
      { find: /^kassa\/define$/, replacement: `${src}index.ts` },
      { find: /^kassa\/define\/([a-z-]+)$/, replacement: `${src}components/$1/define.ts` },
    ],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
  },
});
