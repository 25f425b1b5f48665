/**
 * The script-tag bundle `dist/kassa.js` (an ES module: the checkout and the picker, defined at once), with a chunk
 * per other element (loaded when the checkout needs it or its tag appears in the page), Apollo and graphql-ws in a
 * chunk loaded only when a Kronor payment is made or tracked, and one chunk per language. Chunks are
 * imported relative to kassa.js, so they load from wherever it is served (a CDN included). `npm run build`
 * (scripts/build.mjs) runs this, then compiles the npm package's modules into lib/ and prints sizes and SRI hashes.
 */
import { basename, dirname } from 'node:path';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { defineConfig } from 'vite';

export default defineConfig({
  // Lit's css`` literals ship as written (indentation, line breaks): minified like the rest of the code. Its html``
  // literals stay as written: a server renders them from the npm package's modules, and hydration in the browser
  // matches templates by their exact text.
  plugins: [minifyTemplateLiterals({ options: { shouldMinify: () => false } })],
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
      // Lets the modules kassa.js shares with its lazy chunks live in kassa.js (one request), which the chunks import.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // Vite leaves whitespace in an ES library (for bundlers that re-tree-shake it); kassa.js goes to browsers.
        minify: true,
        // An element's chunk is named after its folder (`chunks/qr-….js`), not after its `define.ts`.
        chunkFileNames: (chunk) =>
          chunk.name === 'define' && chunk.facadeModuleId ? `chunks/${basename(dirname(chunk.facadeModuleId))}-[hash].js` : 'chunks/[name]-[hash].js',
      },
    },
  },
});
