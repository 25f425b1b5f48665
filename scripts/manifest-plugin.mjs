/**
 * A `cem analyze` plugin (see custom-elements-manifest.config.mjs) that makes custom-elements.json describe the
 * package as shipped:
 *
 * - module paths and declaration references name the compiled files in lib/ (`lib/components/qr/qr.js`), which is
 *   what a tool reading the installed package finds, not the TypeScript sources, which are not shipped;
 * - an attribute or property whose type is an alias of literals (`MethodGrouping`, `PaymentState`) gets the
 *   literals themselves (`'kind' | 'provider'`), so editors can offer the values and the docs can list them;
 * - modules are sorted by path, so the file is the same on every machine.
 */
import { join, posix, resolve } from 'node:path';
import ts from 'typescript';

/** `src/components/qr/qr.ts`, `/src/…` or `./qr/qr.ts` (relative to `from`) → `lib/components/qr/qr.js`. */
export function shippedPath(path, from = '') {
  const fromRoot = path.startsWith('.') ? posix.join(posix.dirname(from), path) : path.replace(/^\//, '');
  const match = /^src\/(.+)\.ts$/.exec(fromRoot);
  return match ? `lib/${match[1]}.js` : path;
}

/** Rewrites every `path` and `module` in the manifest to the shipped file (see shippedPath). */
export function pointAtShippedFiles(manifest) {
  const visit = (value, modulePath) => {
    if (Array.isArray(value)) return value.forEach((item) => visit(item, modulePath));
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'module' || key === 'path') && typeof child === 'string') value[key] = shippedPath(child, modulePath);
      else visit(child, modulePath);
    }
  };
  for (const module of manifest.modules) {
    const source = module.path;
    module.path = shippedPath(source);
    visit(module.declarations, source);
    visit(module.exports, source);
  }
}

/**
 * The members of a type written as literals, in the order the source writes them (`'kind' | 'provider'`), following
 * aliases; undefined when any part is not a literal (`string`, an object type, a generic).
 */
function literalParts(node, checker) {
  if (ts.isParenthesizedTypeNode(node)) return literalParts(node.type, checker);
  if (ts.isUnionTypeNode(node)) {
    const parts = node.types.map((member) => literalParts(member, checker));
    return parts.every(Boolean) ? parts.flat() : undefined;
  }
  if (ts.isLiteralTypeNode(node)) return [node.getText()];
  if (node.kind === ts.SyntaxKind.UndefinedKeyword) return ['undefined'];
  if (ts.isTypeReferenceNode(node) && !node.typeArguments) {
    let symbol = checker.getSymbolAtLocation(node.typeName);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.[0];
    if (declaration && ts.isTypeAliasDeclaration(declaration) && !declaration.typeParameters) {
      return literalParts(declaration.type, checker) ?? literalMembers(checker.getTypeFromTypeNode(declaration.type));
    }
  }
  return undefined;
}

/** The same from a computed type (`(typeof PAYMENT_STATES)[number]`), in the checker's order. */
function literalMembers(type) {
  const members = type.isUnion() ? type.types : [type];
  if (!members.every((member) => member.isStringLiteral() || member.isNumberLiteral())) return undefined;
  return members.map((member) => (member.isStringLiteral() ? `'${member.value}'` : String(member.value)));
}

/** Replaces alias names in attribute and field types by the literals they stand for (see literalParts). */
export function expandLiteralAliases(manifest, root) {
  const elements = manifest.modules.flatMap((module) =>
    (module.declarations ?? []).filter((d) => d.kind === 'class' && d.customElement).map((declaration) => ({ file: resolve(root, module.path), declaration })),
  );
  if (!elements.length) return;
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram({ rootNames: [...new Set(elements.map((e) => e.file))], options: { ...options, noEmit: true } });
  const checker = program.getTypeChecker();
  for (const { file, declaration } of elements) {
    const classNode = program.getSourceFile(file)?.statements.find((s) => ts.isClassDeclaration(s) && s.name?.text === declaration.name);
    if (!classNode) continue;
    const written = new Map();
    for (const member of classNode.members) {
      if (!member.name || !ts.isIdentifier(member.name)) continue;
      const typeNode = ts.isPropertyDeclaration(member) ? member.type : ts.isGetAccessor(member) ? member.type : undefined;
      const parts = typeNode && literalParts(typeNode, checker);
      if (parts) written.set(member.name.text, [...new Set(parts)].join(' | '));
    }
    for (const attribute of declaration.attributes ?? []) {
      const text = attribute.fieldName && written.get(attribute.fieldName);
      if (text && attribute.type) attribute.type.text = text;
    }
    for (const member of declaration.members ?? []) {
      const text = member.kind === 'field' && !member.inheritedFrom && written.get(member.name);
      if (text && member.type) member.type.text = text;
    }
  }
}

export function shippedManifestPlugin({ root = process.cwd() } = {}) {
  return {
    name: 'kassa-shipped-manifest',
    packageLinkPhase({ customElementsManifest }) {
      // Types first: they are looked up in the sources, by the sources' paths.
      expandLiteralAliases(customElementsManifest, root);
      pointAtShippedFiles(customElementsManifest);
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
    },
  };
}
