/** Text output: per file the unified diff, then one line per finding; a summary at the end. */
import type { FileResult, Mode } from '../batch.js';
import { summarise } from './summary.js';
import { colorDiff, colorSeverity, plain, type Colors } from './color.js';
import type { BuildOutcome } from '../verify-build.js';
import { FAILURE_LABELS } from '../build-failures.js';

export function formatFileText(r: FileResult, c: Colors = plain): string {
  const out: string[] = [];
  if (r.diff) out.push(colorDiff(r.diff.endsWith('\n') ? r.diff.slice(0, -1) : r.diff, c));
  if (r.context && (r.diff || r.findings.length)) out.push(contextLine(r.path, r.context, c));
  const checklist = r.findings.filter((f) => f.transform === CHECKLIST_TRANSFORM);
  for (const f of r.findings) {
    if (f.transform === CHECKLIST_TRANSFORM) continue;
    const state = f.fixed
      ? ' (fixed)'
      : f.fixAvailable
        ? ' (unsafe fix available: run without --safe-only to apply it)'
        : '';
    out.push(
      `${c.bold(`${r.path}:${f.line}`)}: ${colorSeverity(f.severity, c)} ${c.dim(`[${f.transform}]`)} ${f.message}${c.dim(state)}`,
    );
  }
  if (checklist.length) out.push(...formatChecklist(r.path, checklist, c));
  if (r.build) out.push(...formatBuild(r.path, r.build, c));
  return out.length ? out.join('\n') + '\n' : '';
}

/** Which build context root the file was fixed against, and why (SPEC §3). */
function contextLine(file: string, ctx: NonNullable<FileResult['context']>, c: Colors): string {
  const why = ctx.detail ? `${ctx.source}: ${ctx.detail}` : ctx.source;
  return `${c.bold(file)}: build context ${ctx.shown ?? ctx.root} ${c.dim(`(${why})`)}`;
}

/** Transform 20's findings are the log's verification checklist: `[x]` / `[ ]` lines. */
const CHECKLIST_TRANSFORM = '20-final-verification';

function formatChecklist(file: string, findings: FileResult['findings'], c: Colors): string[] {
  const out = [`${c.bold(file)}: verification checklist`];
  for (const f of findings) {
    if (f.message.startsWith('[ ]')) {
      out.push(`  ${c.red(f.message)} ${c.dim(`(line ${f.line})`)}`);
    } else if (f.message.startsWith('[x]')) {
      out.push(`  ${c.green('[x]')}${f.message.slice(3)}`);
    } else {
      out.push(`  ${colorSeverity(f.severity, c)} ${f.message} ${c.dim(`(line ${f.line})`)}`);
    }
  }
  return out;
}

/** `--verify-build`: built / failed, with the failure's class and first error lines. */
function formatBuild(file: string, b: BuildOutcome, c: Colors): string[] {
  const head = `${c.bold(file)}: build ${b.status === 'built' ? c.green('built') : c.bold(c.red('failed'))} (${b.engine}, ${b.seconds.toFixed(1)}s)`;
  if (!b.failure) return [head, ...b.cleanupErrors.map((e) => `  ${c.yellow(e)}`)];
  return [
    `${head}: ${FAILURE_LABELS[b.failure.kind]}`,
    ...(b.failure.step ? [`  at: ${b.failure.step}`] : []),
    ...b.failure.lines.map((l) => `  ${c.dim('|')} ${l}`),
    ...b.cleanupErrors.map((e) => `  ${c.yellow(e)}`),
  ];
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
