import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '**/dist/', 'lib/', 'storybook-static/', '.storybook/public/', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  // Elements and stories: the web-components and Lit rules (template syntax, attribute bindings, lifecycle).
  { files: ['src/components/**/*.ts', 'stories/**/*.ts'], ...wc.configs['flat/recommended'] },
  { files: ['src/components/**/*.ts', 'stories/**/*.ts'], ...lit.configs['flat/recommended'] },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
