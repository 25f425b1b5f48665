/**
 * What every story shares: the elements' API (controls and docs tables) from custom-elements.json, accessibility
 * checks that fail a story's test on any violation, and a clean slate per story (no payment remembered from an
 * earlier story). Mock Service Worker is started by msw-storybook-addon (listed in main.ts); each story adds its
 * own handlers in `beforeEach` (stories/support/network.ts).
 */
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json';

setCustomElementsManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  // The shop page's own `color-scheme`, which the elements follow: the toolbar switches it, and
  // `VITE_KASSA_SCHEME=dark npm run test:stories` runs every story (and axe) on a dark page.
  globalTypes: {
    scheme: {
      description: "The page's color-scheme",
      toolbar: { title: 'Page scheme', icon: 'contrast', items: ['light', 'dark'], dynamicTitle: true },
    },
  },
  initialGlobals: { scheme: import.meta.env.VITE_KASSA_SCHEME === 'dark' ? 'dark' : 'light' },
  decorators: [
    (story, { globals }) => {
      // Painted in the scheme's system colours, as a browser paints the canvas (axe assumes white otherwise).
      document.documentElement.style.colorScheme = globals.scheme === 'dark' ? 'dark' : 'light';
      document.documentElement.style.backgroundColor = 'Canvas';
      document.documentElement.style.color = 'CanvasText';
      return story();
    },
  ],
  parameters: {
    layout: 'padded',
    controls: { expanded: true, matchers: { color: /color$/i } },
    // Every story runs axe after its play function; a violation fails `npm run test:stories`.
    a11y: { test: 'error' },
  },
  beforeEach() {
    // The checkout remembers a payment before it leaves the page; a story starts without one.
    for (const key of Object.keys(localStorage)) if (key.startsWith('kassa:')) localStorage.removeItem(key);
  },
};

export default preview;
