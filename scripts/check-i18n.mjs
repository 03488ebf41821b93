// Strings in one place: fails when a console screen (web/src/**/*.tsx) shows literal English instead of a
// key of web/src/i18n/en.ts: text between JSX tags, a string or template in braces as a child, or a literal
// in an attribute a user sees or hears (aria-label, title, placeholder, alt, label). Parsed with swc's TSX
// parser (TypeScript 7 has no compiler API), so comments, class names and code are never mistaken for text.
//   node scripts/check-i18n.mjs            checks web/src
//   node scripts/check-i18n.mjs FILE...    checks those files only
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseSync } from '@swc/core';

const ROOT = join(import.meta.dirname, '..');
const ATTRS = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);
/** Words: a letter of any script (digits, punctuation, symbols and separators alone are not text). */
const WORDS = /\p{L}/u;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return e.name.endsWith('.tsx') ? [p] : [];
  });
}

/** Literal text of an attribute value or a child expression, or null when it is computed. */
function literal(node) {
  if (!node) return null;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral') return node.quasis.map((q) => q.cooked ?? q.raw).join(' ');
  if (node.type === 'JSXExpressionContainer') return literal(node.expression);
  if (node.type === 'ConditionalExpression')
    return [literal(node.consequent), literal(node.alternate)].join(' ');
  if (node.type === 'BinaryExpression' && node.operator === '+')
    return [literal(node.left), literal(node.right)].join(' ');
  if (node.type === 'LogicalExpression') return literal(node.right);
  return null;
}

function findLiterals(path, code) {
  const ast = parseSync(code, { syntax: 'typescript', tsx: true });
  const bytes = Buffer.from(code);
  const base = ast.span.start;
  const lineOf = (span) =>
    bytes
      .subarray(0, span.start - base)
      .toString()
      .split('\n').length;
  const found = [];
  const report = (span, what, text) =>
    found.push(
      `${path}:${lineOf(span)}: ${what} ${JSON.stringify(text.trim().replace(/\s+/g, ' ').slice(0, 60))}`,
    );
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node.type === 'JSXText' && WORDS.test(node.value)) report(node.span, 'text', node.value);
    if ((node.type === 'JSXElement' || node.type === 'JSXFragment') && node.children) {
      for (const child of node.children) {
        if (child.type !== 'JSXExpressionContainer') continue;
        const text = literal(child.expression);
        if (text && WORDS.test(text)) report(child.span, 'text', text);
      }
    }
    if (node.type === 'JSXAttribute' && node.name?.type === 'Identifier' && ATTRS.has(node.name.value)) {
      const text = literal(node.value);
      if (text && WORDS.test(text)) report(node.span, node.name.value, text);
    }
    for (const key of Object.keys(node)) if (key !== 'span') visit(node[key]);
  };
  visit(ast.body);
  return found;
}

const args = process.argv.slice(2);
const paths = args.length ? args.map((a) => resolve(a)) : files(join(ROOT, 'web/src'));
let failed = 0;
for (const abs of paths) {
  const rel = relative(ROOT, abs).split('\\').join('/');
  const found = findLiterals(rel, readFileSync(abs, 'utf8'));
  if (!found.length) continue;
  failed += found.length;
  console.error(found.join('\n'));
}
if (failed) {
  console.error(
    `\n${failed} literal string(s) in the console's screens: put them in web/src/i18n/en.ts and use t.…`,
  );
  process.exit(1);
}
console.log('i18n: every string the screens show comes from web/src/i18n/en.ts');
