/** Text output: per file the unified diff, then one line per finding; a summary at the end. */
import type { FileResult, Mode } from '../batch.js';
import { summarise } from './summary.js';

export function formatFileText(r: FileResult): string {
  const out: string[] = [];
  if (r.diff) out.push(r.diff.endsWith('\n') ? r.diff.slice(0, -1) : r.diff);
  for (const f of r.findings) {
    out.push(
      `${r.path}:${f.line}: ${f.severity} [${f.transform}] ${f.message}${f.fixed ? ' (fixed)' : ''}`,
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
    `${s.findings.info} info (${(ms / 1000).toFixed(2)}s)\n`
  );
}
