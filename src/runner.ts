/**
 * One Dockerfile through the ordered transforms. Each transform sees the text the previous one
 * produced; the text is re-parsed only when it changed. Findings keep an offset that is mapped
 * through later edits, so reported lines point into the final text.
 */
import { parseDocument, type DockerDoc } from './model/document.js';
import { applyEdits, editsOverlap, mapOffset, sortEdits, type Edit } from './edits.js';
import type { Severity, Transform } from './transform.js';
import type { TransformContext } from './context.js';

export interface ReportedFinding {
  transform: string;
  severity: Severity;
  /** 1-based line in the final text. */
  line: number;
  message: string;
  fixed: boolean;
}

export interface RunResult {
  original: string;
  text: string;
  changed: boolean;
  findings: ReportedFinding[];
  /** Edits each transform applied, in order (for reporters that show fixes, e.g. SARIF). */
  applied: { transform: string; edits: Edit[] }[];
}

interface PendingFinding extends Omit<ReportedFinding, 'line'> {
  offset: number;
  lead: number;
}

export function runTransforms(
  text: string,
  transforms: Transform[],
  ctx: TransformContext,
): RunResult {
  let doc: DockerDoc = parseDocument(text, { target: ctx.config.target });
  const pending: PendingFinding[] = [];
  const applied: RunResult['applied'] = [];
  for (const transform of transforms) {
    const findings = transform.detect(doc, ctx);
    const accepted: Edit[] = [];
    const own: PendingFinding[] = [];
    for (const f of findings) {
      const edits = f.edits ?? [];
      const conflicts = edits.some((e) => accepted.some((a) => editsOverlap(a, e)));
      const fixed = edits.length > 0 && !conflicts;
      if (fixed) accepted.push(...edits);
      own.push({
        transform: transform.id,
        severity: f.severity,
        message: f.message,
        fixed,
        offset: fixed ? Math.min(...edits.map((e) => e.start)) : f.offset,
        lead: fixed ? leadingBreak(edits) : 0,
      });
    }
    const edits = sortEdits(accepted).filter((e) => !(e.start === e.end && e.text === ''));
    const changedEdits = edits.filter((e) => doc.text.slice(e.start, e.end) !== e.text);
    if (changedEdits.length > 0) {
      const next = applyEdits(doc.text, changedEdits);
      for (const p of pending) p.offset = mapOffset(p.offset, changedEdits);
      for (const p of own) {
        // A fixed finding points at the first character of its new text.
        p.offset = p.fixed
          ? mapOffsetLeft(p.offset, changedEdits) + p.lead
          : mapOffset(p.offset, changedEdits);
      }
      applied.push({ transform: transform.id, edits: changedEdits });
      doc = parseDocument(next, { target: ctx.config.target });
    }
    pending.push(...own);
  }
  const findings = pending.map(({ offset, lead: _lead, ...rest }) => ({
    ...rest,
    line: doc.lineOf(Math.min(offset, doc.text.length)) + 1,
  }));
  return { original: text, text: doc.text, changed: doc.text !== text, findings, applied };
}

/** Like mapOffset, but an insertion exactly at the offset does not push it forward. */
function mapOffsetLeft(offset: number, edits: Edit[]): number {
  return mapOffset(
    offset,
    edits.filter((e) => !(e.start === e.end && e.start === offset)),
  );
}

/** Length of the line break an inserted line starts with, so the finding points at the new line. */
function leadingBreak(edits: Edit[]): number {
  const first = sortEdits(edits)[0];
  const lead = /^(\r\n|\r|\n)/.exec(first.text);
  return first.start === first.end && lead ? lead[0].length : 0;
}
