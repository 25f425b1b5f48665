/**
 * Writes src/types/elements.d.ts — what each element takes and fires, by tag — from custom-elements.json, so the
 * React (`kassa/jsx`), Vue (`kassa/vue`) and Svelte (`kassa/svelte`) types list exactly the attributes, properties
 * and events the manifest documents. Every value type is looked up on the element class (`KassaCheckout['groupBy']`),
 * so a renamed or retyped property is a type error here rather than a wrong type in an app. `--check` only compares,
 * for the test. Run by `npm run analyze`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const outputUrl = new URL('src/types/elements.d.ts', root);

/** The elements of a manifest, by tag, with what a page may set and listen to. */
export function elementSurface(manifest) {
  const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);
  return declarations
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName))
    .map((d) => {
      // Values the element sets itself (`@readonly`), internals and statics are not the page's to set.
      const settable = (d.members ?? []).filter(
        (m) => m.kind === 'field' && !m.static && !m.privacy && !m.readonly && !m.name.startsWith('_') && (m.attribute || m.description),
      );
      const attributeOf = new Map((d.attributes ?? []).filter((a) => a.fieldName).map((a) => [a.fieldName, a]));
      return {
        tag: d.tagName,
        className: d.name,
        summary: d.summary ?? '',
        properties: settable.map((m) => ({ name: m.name, attribute: attributeOf.get(m.name)?.name ?? m.attribute, description: m.description ?? '' })),
        events: (d.events ?? []).filter((e) => e.name).map((e) => ({ name: e.name, type: e.type?.text ?? 'Event', description: e.description ?? '' })),
      };
    });
}

const IDENTIFIER = /\b[A-Z][A-Za-z0-9]*\b/g;

/** A description as a doc comment, re-wrapped to the project's 120 columns. */
function doc(text, indent) {
  const words = String(text).replaceAll('*/', '*\\/').split(/\s+/).filter(Boolean);
  if (!words.length) return '';
  const width = 120 - indent.length - 3;
  const lines = [''];
  for (const word of words) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + 1 + word.length > width) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  if (lines.length === 1 && lines[0].length <= width - 3) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

export function renderElementTypes(manifest) {
  const elements = elementSurface(manifest);
  const declared = new Set(manifest.modules.flatMap((module) => (module.declarations ?? []).map((d) => d.name)));
  // Event types Kassa declares are imported; others (`Event`) are the DOM's.
  const eventTypes = elements.flatMap((e) => e.events.flatMap((event) => event.type.match(IDENTIFIER) ?? [])).filter((name) => declared.has(name));
  const imports = [...new Set([...elements.map((e) => e.className), ...eventTypes])].sort();

  const properties = elements.map((e) => {
    const names = e.properties.map((p) => `'${p.name}'`).join(' | ');
    return `  ${key(e.tag)}: Partial<Pick<${e.className}, ${names}>>;`;
  });
  const attributes = elements.map((e) => {
    const members = e.properties.map((p) => `${doc(p.description, '    ')}    ${key(p.attribute ?? p.name)}?: ${e.className}['${p.name}'];`);
    return `${doc(e.summary, '  ')}  ${key(e.tag)}: {\n${members.join('\n')}\n  };`;
  });
  const events = elements.map((e) => {
    if (!e.events.length) return `  ${key(e.tag)}: Record<never, never>;`;
    const members = e.events.map((event) => `${doc(event.description, '    ')}    ${key(event.name)}: ${event.type};`);
    return `  ${key(e.tag)}: {\n${members.join('\n')}\n  };`;
  });

  return `/**
 * What each Kassa element takes and fires, by tag, shared by the React (\`kassa/jsx\`), Vue (\`kassa/vue\`) and Svelte
 * (\`kassa/svelte\`) types. Generated from custom-elements.json by \`npm run analyze\` (scripts/element-types.mjs); do
 * not edit. Value types are the element classes' own, so a renamed or retyped property is a type error here.
 */
import type {
${imports.map((name) => `  ${name},`).join('\n')}
} from '../components/index.js';

/** Kassa's tags. */
export type KassaTag = keyof KassaElementProperties;

/**
 * What a page may set on each element, by the element's JavaScript property names (\`groupBy\`). Read-only values
 * and those the element sets itself (\`readonly\` in the manifest, e.g. \`kassa-qr\`'s \`expired\`) are not here.
 */
export interface KassaElementProperties {
${properties.join('\n')}
}

/**
 * The same by the names markup uses: simple values under their attribute names (\`group-by\`), which work whether or
 * not the element is defined yet; objects and callbacks under their property names (\`methods\`, \`navigate\`).
 */
export interface KassaElementAttributes {
${attributes.join('\n')}
}

/** The events each element fires, by DOM event name (all bubble and are composed). */
export interface KassaElementEvents {
${events.join('\n')}
}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', root), 'utf8'));
  const generated = renderElementTypes(manifest);
  if (process.argv.includes('--check')) {
    if (readFileSync(outputUrl, 'utf8') !== generated) {
      console.error('src/types/elements.d.ts is out of date: run `npm run analyze`.');
      process.exit(1);
    }
  } else {
    writeFileSync(outputUrl, generated);
  }
}
