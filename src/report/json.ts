/** `--format json`: one document for the whole run. */
import type { FileResult } from '../batch.js';
import { summarise } from './summary.js';
import type { BuildOutcome } from '../verify-build.js';
import { FAILURE_LABELS } from '../build-failures.js';

export function formatJson(results: FileResult[], extra: Record<string, unknown> = {}): string {
  const files = results.map((r) => ({
    path: r.path,
    changed: r.changed,
    written: r.written,
    ...(r.context
      ? {
          context: r.context.root,
          contextSource: r.context.source,
          ...(r.context.detail ? { contextDetail: r.context.detail } : {}),
        }
      : {}),
    ...(r.error ? { error: r.error } : {}),
    findings: [
      ...r.findings.map((f) => ({
        transform: f.transform,
        severity: f.severity,
        line: f.line,
        message: f.message,
        fixed: f.fixed,
        ...(f.fixAvailable ? { fixAvailable: true } : {}),
      })),
      // Suppressed findings are listed (so a suppression can be reviewed) but never counted.
      ...(r.suppressed ?? []).map((f) => ({
        transform: f.transform,
        severity: f.severity,
        line: f.line,
        message: f.message,
        fixed: false,
        suppressed: true,
      })),
    ],
    ...(r.diff ? { diff: r.diff } : {}),
    ...(r.build ? { build: buildJson(r.build) } : {}),
    ...(r.output !== undefined ? { output: r.output } : {}),
  }));
  return JSON.stringify({ files, summary: summarise(results), ...extra }, null, 2) + '\n';
}

/** `--verify-build` outcome: status, engine, and for a failure its class and first error lines. */
function buildJson(b: BuildOutcome) {
  return {
    status: b.status,
    engine: b.engine,
    seconds: Math.round(b.seconds * 10) / 10,
    command: b.command,
    ...(b.failure
      ? {
          failure: b.failure.kind,
          failureLabel: FAILURE_LABELS[b.failure.kind],
          step: b.failure.step,
          errorLines: b.failure.lines,
        }
      : {}),
    ...(b.cleanupErrors.length ? { cleanupErrors: b.cleanupErrors } : {}),
  };
}
