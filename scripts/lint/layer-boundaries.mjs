// @ts-check
/**
 * ESLint rule `akson/layer-boundaries`: the import rules of ARCHITECTURE.md, as code.
 *
 * Why our own rule rather than eslint-plugin-import's no-restricted-paths: that rule needs a
 * resolver and silently skips imports it can not resolve, so a mistyped or not-yet-created path
 * would pass. This rule decides from the path alone, for static imports, re-exports, dynamic
 * import() and require(), and it encodes the table below exactly once.
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/lint/layer-boundaries.mjs). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @typedef {object} Layer
 * @property {string} name        folder, relative to the root, posix separators
 * @property {string[]} mayImport other layers it may import (its own is always allowed)
 * @property {boolean} electron   may import the 'electron' package
 * @property {boolean} node       may import Node built-ins (node:fs, path, ...)
 */

/** @type {Layer[]} most specific first */
export const layers = [
  { name: 'electron/core', mayImport: ['shared'], electron: false, node: true },
  { name: 'electron/host', mayImport: ['shared', 'electron/core'], electron: false, node: true },
  { name: 'electron/main', mayImport: ['shared', 'electron/core'], electron: true, node: true },
  // The preload runs sandboxed: it can not load core (or any Node module but a few), only shared.
  { name: 'electron/preload', mayImport: ['shared'], electron: true, node: false },
  { name: 'renderer', mayImport: ['shared'], electron: false, node: false },
  { name: 'shared', mayImport: [], electron: false, node: false },
  { name: 'server', mayImport: ['shared'], electron: false, node: true },
  { name: 'e2e', mayImport: ['shared'], electron: false, node: true },
];

/** @param {string} absolutePath @returns {Layer | undefined} */
export const layerOf = (absolutePath) => {
  const rel = relative(repoRoot, absolutePath).split(sep).join('/');
  return layers.find((layer) => rel === layer.name || rel.startsWith(`${layer.name}/`));
};

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** @param {string} spec */
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0] ?? '');

/** @param {string} spec */
const packageName = (spec) => {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
};

/**
 * Why `spec`, imported from `file`, breaks the rules; undefined when it is allowed.
 * @param {string} file absolute path of the importing file
 * @param {string} spec the import specifier as written
 * @returns {string | undefined}
 */
export const violation = (file, spec) => {
  const from = layerOf(file);
  if (!from) {
    return undefined;
  }
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = resolve(dirname(file), spec);
    const to = layerOf(target);
    if (!to) {
      const rel = relative(repoRoot, target).split(sep).join('/');
      return rel.startsWith('..')
        ? `${from.name}/ may not import from outside the repository (${spec})`
        : `${from.name}/ may not import ${rel} (not one of its allowed layers: ${[from.name, ...from.mayImport].join(', ')})`;
    }
    if (to !== from && !from.mayImport.includes(to.name)) {
      return `${from.name}/ may not import ${to.name}/ (allowed: ${[from.name, ...from.mayImport].join(', ')})`;
    }
    return undefined;
  }
  if (packageName(spec) === 'electron' || spec.startsWith('electron/')) {
    return from.electron ? undefined : `${from.name}/ may not import 'electron' (inject what it needs through an interface)`;
  }
  if (isBuiltin(spec) && !from.node) {
    return `${from.name}/ may not import the Node built-in '${spec}' (it must run without Node)`;
  }
  return undefined;
};

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the process import rules of ARCHITECTURE.md' },
    schema: [],
    messages: { forbidden: '{{reason}}' },
  },
  create(context) {
    const file = context.filename;
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') {
        return;
      }
      const reason = violation(file, source);
      if (reason) {
        context.report({ node, messageId: 'forbidden', data: { reason } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => {
        if (node.source.type === 'Literal') {
          check(node, node.source.value);
        }
      },
      CallExpression: (node) => {
        const [first] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && first?.type === 'Literal') {
          check(node, first.value);
        }
      },
    };
  },
};

export default {
  meta: { name: 'akson' },
  rules: { 'layer-boundaries': rule },
};
