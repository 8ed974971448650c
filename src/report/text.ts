/** Text output: per file the unified diff, then one line per finding; a summary at the end. */
import type { FileResult, Mode } from '../batch.js';
import { summarise } from './summary.js';
import { colorDiff, colorSeverity, plain, type Colors } from './color.js';

export function formatFileText(r: FileResult, c: Colors = plain): string {
  const out: string[] = [];
  if (r.diff) out.push(colorDiff(r.diff.endsWith('\n') ? r.diff.slice(0, -1) : r.diff, c));
  for (const f of r.findings) {
    const state = f.fixed
      ? ' (fixed)'
      : f.fixAvailable
        ? ' (unsafe fix available: run without --safe-only to apply it)'
        : '';
    out.push(
      `${c.bold(`${r.path}:${f.line}`)}: ${colorSeverity(f.severity, c)} ${c.dim(`[${f.transform}]`)} ${f.message}${c.dim(state)}`,
    );
  }
  return out.length ? out.join('\n') + '\n' : '';
}

export function formatSummary(results: FileResult[], mode: Mode, ms: number): string {
  const s = summarise(results);
  const verb = mode === 'fix' ? 'fixed' : 'would fix';
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return (
    `dockerfix: ${plural(s.files, 'file')} checked, ${s.changed} ${verb}, ${s.unchanged} unchanged, ` +
    `${plural(s.errors, 'error')} reading; findings: ${s.findings.error} error, ${s.findings.warning} warning, ` +
    `${s.findings.info} info${extras(results)} (${(ms / 1000).toFixed(2)}s)\n`
  );
}

/** Suppressed findings and withheld unsafe fixes, when there are any. */
function extras(results: FileResult[]): string {
  const suppressed = results.reduce((n, r) => n + (r.suppressed?.length ?? 0), 0);
  const available = results.reduce(
    (n, r) => n + r.findings.filter((f) => f.fixAvailable).length,
    0,
  );
  return (
    (suppressed ? `, ${suppressed} suppressed` : '') +
    (available ? `; ${available} unsafe fix${available === 1 ? '' : 'es'} available` : '')
  );
}
