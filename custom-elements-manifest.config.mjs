/**
 * `cem analyze` settings, read by `npm run analyze` and by the test that checks custom-elements.json is current.
 * The plugin makes the manifest describe the shipped package (lib/ paths, literal types): scripts/manifest-plugin.mjs.
 */
import { shippedManifestPlugin } from './scripts/manifest-plugin.mjs';

export default {
  litelement: true,
  globs: ['src/components/**/*.ts'],
  exclude: ['src/components/**/*.test.ts'],
  // package.json names custom-elements.json already; the analyzer would rewrite it (with the test's scratch path).
  packagejson: false,
  plugins: [shippedManifestPlugin()],
};
