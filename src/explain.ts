/**
 * `dockerfix explain <id|number>`: the transform's docs page, as shipped in the package
 * (docs/transforms/<id>.md). Also the package facts reporters need: version, docs URLs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Transform } from './transform.js';

const PACKAGE_NAME = 'dockerfix';

let cachedRoot: string | null | undefined;

/** The folder holding dockerfix's package.json (works from src/ in tests and dist/src/ built). */
export function packageRoot(): string | null {
  if (cachedRoot !== undefined) return cachedRoot;
  cachedRoot = null;
  for (let d = path.dirname(fileURLToPath(import.meta.url)); ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    try {
      if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === PACKAGE_NAME) {
        cachedRoot = d;
        break;
      }
    } catch {
      // no package.json here, or not ours: keep walking up
    }
    if (path.dirname(d) === d) break;
  }
  return cachedRoot;
}

export function packageVersion(): string {
  const root = packageRoot();
  if (!root) return '0.0.0';
  try {
    return String(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  } catch {
    return '0.0.0';
  }
}

/**
 * A stable public URL of a transform's docs page: the page as published in this version of
 * the npm package (every npm package's files are served by unpkg).
 */
export function docsUrl(id: string, version = packageVersion()): string {
  return `https://unpkg.com/${PACKAGE_NAME}@${version}/docs/transforms/${id}.md`;
}

export function docsFile(t: Transform): string | null {
  const root = packageRoot();
  return root ? path.join(root, 'docs', 'transforms', `${t.id}.md`) : null;
}

/** Find a transform by number (`7`, `07`), id, or id without its number. */
export function lookupTransform(key: string, transforms: Transform[]): Transform | undefined {
  const k = key.trim().toLowerCase();
  if (/^\d+$/.test(k)) return transforms.find((t) => t.number === Number(k));
  return transforms.find((t) => t.id === k || t.id.replace(/^\d+-/, '') === k);
}

export type ExplainResult = { ok: true; text: string } | { ok: false; error: string };

/** The docs page of the transform `key` names, or why it cannot be shown. */
export function explain(key: string, transforms: Transform[]): ExplainResult {
  const t = lookupTransform(key, transforms);
  if (!t) return { ok: false, error: `unknown transform "${key}" (see dockerfix --list)` };
  const file = docsFile(t);
  const text = file ? readOrNull(file) : null;
  if (text === null) {
    // The page is missing from this installation: still say what the metadata knows.
    return {
      ok: true,
      text:
        `# ${t.id}: ${t.title}\n\nSafety: **${t.safety}**` +
        (t.sources.length ? `. Related: ${t.sources.join(', ')}` : '') +
        `.\n\n(docs page not installed: ${docsUrl(t.id)})\n`,
    };
  }
  return { ok: true, text: text.endsWith('\n') ? text : text + '\n' };
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** `--list`: number, id, safety and one-line title of each transform. */
export function formatList(transforms: Transform[]): string {
  const width = Math.max(0, ...transforms.map((t) => t.id.length));
  return transforms
    .map(
      (t) =>
        `${String(t.number).padStart(2, '0')}  ${t.id.padEnd(width)}  ${t.safety.padEnd(6)}  ${t.title}\n`,
    )
    .join('');
}
