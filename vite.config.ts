/**
 * `npm run build`: the script-tag bundle `dist/kassa.js` (an ES module that defines every element), with Apollo and
 * graphql-ws in a separate chunk loaded only when a Kronor payment is made or tracked, and one chunk per language.
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
