/**
 * Editor data from custom-elements.json, written to the package root by the build (scripts/build.mjs) and shipped:
 *
 * - vscode.html-custom-data.json: VS Code's HTML custom data (tags, attributes with their values, the events, slots,
 *   CSS custom properties and parts in each tag's description), for `html.customData`;
 * - vscode.css-custom-data.json: VS Code's CSS custom data (the custom properties, `::part()` names), for
 *   `css.customData`;
 * - web-types.json: JetBrains web-types (elements, attributes, properties, events, CSS), named by package.json's
 *   `web-types` field, which JetBrains IDEs read by themselves.
 *
 * The custom-element-vs-code-integration and custom-element-jet-brains-integration packages do the mapping; this
 * adds what they leave out: one entry per custom property and part (every element documents the shared ones),
 * boolean attributes as such, and each element's class and module for JetBrains. Prints only to stderr (the build
 * runs as `prepack`, whose stdout `npm pack --json` owns).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EDITOR_FILES = ['vscode.html-custom-data.json', 'vscode.css-custom-data.json', 'web-types.json'];

const root = fileURLToPath(new URL('..', import.meta.url));

/** One entry per name; a name several elements document lists each element's words, by tag. */
function mergeByName(entries, describe = (entry) => entry.description) {
  const byName = new Map();
  for (const entry of entries) {
    const known = byName.get(entry.name);
    if (!known) byName.set(entry.name, { ...entry, descriptions: [describe(entry)] });
    else if (!known.descriptions.includes(describe(entry))) known.descriptions.push(describe(entry));
  }
  return [...byName.values()].map(({ descriptions, ...entry }) => ({ ...entry, description: descriptions.filter(Boolean).join('\n\n') }));
}

/** The CSS custom properties and parts of every element, each with the tags that use it. */
function cssSurface(manifest) {
  const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
  const properties = elements.flatMap((d) => (d.cssProperties ?? []).map((p) => ({ name: p.name, description: p.description ?? '', tag: d.tagName })));
  const parts = elements.flatMap((d) => (d.cssParts ?? []).map((p) => ({ name: p.name, description: p.description ?? '', tag: d.tagName })));
  const describe = (entry) => `\`${entry.tag}\`: ${entry.description}`;
  const strip = (list) => list.map(({ name, description }) => ({ name, description }));
  return { properties: strip(mergeByName(properties, describe)), parts: strip(mergeByName(parts, describe)) };
}

/** The three files' contents, as objects. */
export async function editorData(manifest, pkg) {
  // The JetBrains package reads ./package.json when it loads: load it from the package root.
  const cwd = process.cwd();
  process.chdir(root);
  const [{ getVsCodeHtmlCustomData }, { getWebTypesData }] = await Promise.all([
    import('custom-element-vs-code-integration'),
    import('custom-element-jet-brains-integration'),
  ]).finally(() => process.chdir(cwd));

  const elements = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.customElement && d.tagName).map((d) => ({ d, module: m.path })));
  const byTag = new Map(elements.map((e) => [e.d.tagName, e]));
  const isBoolean = (tag, name) => byTag.get(tag)?.d.attributes?.find((a) => a.name === name)?.type?.text === 'boolean';
  const css = cssSurface(manifest);

  const html = JSON.parse(getVsCodeHtmlCustomData(manifest, { hideLogs: true }));
  for (const tag of html.tags) {
    // The generator writes "(default: undefined)" after every custom property: Kassa's have no single default.
    tag.description = tag.description.replaceAll(' _(default: undefined)_', '');
    for (const attribute of tag.attributes) {
      if (isBoolean(tag.name, attribute.name)) attribute.valueSet = 'v';
      if (!attribute.values?.length) delete attribute.values;
    }
    if (!tag.references?.length) delete tag.references;
  }

  const cssData = {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-css-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    properties: css.properties,
    pseudoElements: css.parts.map((part) => ({ name: `::part(${part.name})`, description: part.description })),
  };

  const webTypes = JSON.parse(getWebTypesData(manifest, { hideLogs: true, packageJson: false }));
  webTypes.name = pkg.name;
  webTypes.version = pkg.version;
  for (const element of webTypes.contributions.html.elements) {
    const declared = byTag.get(element.name);
    if (declared) element.source = { module: `./${declared.module}`, symbol: declared.d.name };
    element.description = element.description.replaceAll(' _(default: undefined)_', '');
    if (!element['doc-url']) delete element['doc-url'];
    for (const attribute of element.attributes) {
      if (isBoolean(element.name, attribute.name)) attribute.value = { ...attribute.value, type: 'boolean', required: false };
    }
  }
  webTypes.contributions.css = {
    properties: css.properties,
    'pseudo-elements': css.parts.map((part) => ({ name: `part(${part.name})`, description: part.description })),
  };

  return { 'vscode.html-custom-data.json': html, 'vscode.css-custom-data.json': cssData, 'web-types.json': webTypes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const files = await editorData(manifest, pkg);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(root, name), `${JSON.stringify(data, null, 2)}\n`);
  console.error(`editor data: ${Object.keys(files).join(', ')}`);
}
