/**
 * Kassa's Storybook: one story per element and per state, in `stories/`. The elements' controls and API tables come
 * from custom-elements.json (see preview.ts). A static Storybook has no server, so the endpoint, its event stream
 * and Kronor are mocked at the network edge with Mock Service Worker; the worker script is in ./public
 * (`npx msw init .storybook/public --save=false`). `npm run storybook`, `npm run build-storybook`, and
 * `npm run test:stories` to run every story's `play` as a test in Chromium (vitest.config.ts).
 */
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest', 'msw-storybook-addon'],
  staticDirs: ['./public'],
  core: { disableTelemetry: true },
  async viteFinal(config) {
    // Pre-bundled up front: found later (the Kronor client is a dynamic import), they would reload the test page.
    // `lit/directive-helpers.js` is Storybook's own import: left out, it brought a second copy of lit-html.
    config.optimizeDeps = {
      ...config.optimizeDeps,
      include: [
        ...(config.optimizeDeps?.include ?? []),
        'lit',
        'lit/decorators.js',
        'lit/directive-helpers.js',
        'lit/directives/if-defined.js',
        'lit/directives/live.js',
        'lit/directives/ref.js',
        'lit/directives/style-map.js',
        'lean-qr',
        'lean-qr/extras/svg',
        're2js',
        'msw',
        'msw/browser',
        '@apollo/client',
        '@apollo/client/link/subscriptions',
        'graphql',
        'graphql-ws',
      ],
    };
    return config;
  },
};

export default config;
