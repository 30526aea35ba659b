#!/usr/bin/env node
// Lists exports of src/ that nothing uses: not imported by another module of
// src/, test/, bench/, scripts/ or bin/ (tests import the compiled dist/ files,
// which are mapped back to their sources), and not part of the library API
// that src/index.ts exports. Exits 1 when it finds any, so `npm test` fails on
// a new one (test/unused-exports.test.js). An export kept on purpose goes in
// ALLOWED below with the reason.
//
// Uses the TypeScript compiler's checker, so re-exports, renames, `export *`
// and type-only imports are followed to the declaration they name.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** 'src/file.ts:name' -> why it stays exported although nothing imports it. */
const ALLOWED = new Map([]);

function walk(dir, keep) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'out') out.push(...walk(p, keep));
    } else if (keep(e.name)) out.push(p);
  }
  return out;
}

const srcDir = join(root, 'src');
const sources = walk(srcDir, (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'));
const users = [
  ...walk(join(root, 'test'), (n) => /\.(m?js|ts)$/.test(n)),
  ...walk(join(root, 'bench'), (n) => /\.m?js$/.test(n)),
  ...walk(join(root, 'scripts'), (n) => /\.m?js$/.test(n)),
  ...walk(join(root, 'bin'), (n) => /\.m?js$/.test(n)),
];

const options = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, strict: true, types: ['node'],
};
const host = ts.createCompilerHost(options);
const distDir = join(root, 'dist') + sep;
/** dist/x.js (what tests import) is src/x.ts; the package's own name is src/index.ts. */
function sourceFor(name, containing) {
  let target;
  if (name === 'zsniff') target = join(distDir, 'index.js');
  else if (name.startsWith('.')) target = join(dirname(containing), name);
  if (target && target.startsWith(distDir) && target.endsWith('.js')) {
    const src = join(srcDir, target.slice(distDir.length, -3) + '.ts');
    if (existsSync(src)) return src;
  }
  return undefined;
}
host.resolveModuleNameLiterals = (literals, containing, redirected, opts, file) => literals.map((lit) => {
  const src = sourceFor(lit.text, containing);
  if (src) return { resolvedModule: { resolvedFileName: src, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
  return ts.resolveModuleName(lit.text, containing, opts, host, undefined, redirected,
    ts.getModeForUsageLocation(file, lit, opts));
});

const program = ts.createProgram([...sources, ...users], options, host);
const checker = program.getTypeChecker();

const original = (s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
const used = new Set();
function moduleExports(moduleSymbol) {
  return moduleSymbol ? checker.getExportsOfModule(moduleSymbol).map(original) : [];
}
function moduleOf(specifier) {
  return specifier && ts.isStringLiteralLike(specifier) ? checker.getSymbolAtLocation(specifier) : undefined;
}
function useName(moduleSymbol, name) {
  const s = moduleSymbol ? checker.getExportsOfModule(moduleSymbol).find((e) => e.name === name) : undefined;
  if (s) used.add(original(s));
}
function useAll(moduleSymbol) {
  for (const s of moduleExports(moduleSymbol)) used.add(s);
}

/** What `import(x)` names: `const { a, b } = await import(x)` or `(await import(x)).a`; anything else uses all. */
function dynamicImport(call) {
  const mod = moduleOf(call.arguments[0]);
  if (!mod) return;
  let e = call.parent;
  if (ts.isAwaitExpression(e)) e = e.parent;
  while (ts.isParenthesizedExpression(e)) e = e.parent;
  if (ts.isVariableDeclaration(e) && ts.isObjectBindingPattern(e.name)) {
    for (const el of e.name.elements) {
      const key = el.propertyName ?? el.name;
      if (ts.isIdentifier(key)) useName(mod, key.text); else useAll(mod);
    }
  } else if (ts.isPropertyAccessExpression(e)) {
    useName(mod, e.name.text);
  } else {
    useAll(mod);
  }
}

function visit(node) {
  if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) {
    const mod = moduleOf(node.moduleSpecifier);
    const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
    if (ts.isImportDeclaration(node) && node.importClause?.name) useName(mod, 'default');
    if (!bindings) {
      if (ts.isExportDeclaration(node)) useAll(mod); // export * from
    } else if (ts.isNamespaceImport(bindings) || ts.isNamespaceExport(bindings)) {
      useAll(mod);
    } else {
      for (const el of bindings.elements) useName(mod, (el.propertyName ?? el.name).text);
    }
  } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    dynamicImport(node);
  } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
    useAll(moduleOf(node.argument.literal));
  }
  ts.forEachChild(node, visit);
}

const indexFile = join(srcDir, 'index.ts');
const isSource = new Set(sources);
for (const file of program.getSourceFiles()) {
  if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
  // src/index.ts is the library API: everything it exports counts as used.
  if (file.fileName === indexFile) { useAll(checker.getSymbolAtLocation(file)); continue; }
  visit(file);
}

const unused = [];
for (const fileName of sources) {
  if (fileName === indexFile) continue;
  const file = program.getSourceFile(fileName);
  const mod = file && checker.getSymbolAtLocation(file);
  if (!mod) continue;
  for (const s of checker.getExportsOfModule(mod)) {
    const o = original(s);
    // A re-export is not a definition: its declaration is checked in its own file.
    const declared = o.declarations?.[0]?.getSourceFile().fileName;
    if (declared !== fileName || !isSource.has(declared) || used.has(o)) continue;
    unused.push(`${relative(root, fileName).split(sep).join('/')}:${s.name}`);
  }
}

const reported = unused.filter((u) => !ALLOWED.has(u));
const stale = [...ALLOWED.keys()].filter((a) => !unused.includes(a));
for (const u of reported) console.log(`unused export: ${u}`);
for (const a of stale) console.log(`allow-list entry no longer needed: ${a} (scripts/unused-exports.js)`);
if (reported.length > 0 || stale.length > 0) {
  console.log(`\n${reported.length} unused export(s): remove them (or the export keyword), or list them in ALLOWED with the reason.`);
  process.exit(1);
}
console.log(`unused-exports: every export of src/ is used (${ALLOWED.size} allowed by reason)`);
