/**
 * ESLint for the React example: the project's rules, plus its TSX files, minus its build output (demo/react/dist/).
 * ESLint uses the config nearest to each file, so this one replaces the root one here; patterns are relative to
 * this folder.
 */
import root from '../../eslint.config.mjs';

export default [
  ...root,
  { ignores: ['dist/'] },
  { files: ['**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
];
