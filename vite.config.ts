/**
 * The script-tag bundle `dist/kassa.js` (an ES module that defines every element), with Apollo and graphql-ws in a
 * separate chunk loaded only when a Kronor payment is made or tracked, and one chunk per language. Chunks are
 * imported relative to kassa.js, so they load from wherever it is served (a CDN included). `npm run build`
 * (scripts/build.mjs) runs this, then compiles the npm package's modules into lib/ and prints sizes and SRI hashes.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: () => 'kassa.js',
    },
    rolldownOptions: {
      output: {
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
});
