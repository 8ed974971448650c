/** Totals over a batch, shared by every reporter. */
import type { FileResult } from '../batch.js';

export interface Summary {
  files: number;
  changed: number;
  unchanged: number;
  errors: number;
  findings: { error: number; warning: number; info: number };
}

export function summarise(results: FileResult[]): Summary {
  const s: Summary = {
    files: results.length,
    changed: 0,
    unchanged: 0,
    errors: 0,
    findings: { error: 0, warning: 0, info: 0 },
  };
  for (const r of results) {
    if (r.error) s.errors++;
    else if (r.changed) s.changed++;
    else s.unchanged++;
    for (const f of r.findings) s.findings[f.severity]++;
  }
  return s;
}
