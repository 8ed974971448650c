/**
 * 19 — The copy pattern's marker files must carry content: an empty file (`touch f`, `: > f`,
 * `> f`, `echo -n > f`) does not lock in the directory structure the way the log's pattern
 * requires. Each empty marker write becomes `echo "<PREFIX>_<KIND>_$(date +%s)" > f`.
 */
import type { Transform, Finding } from '../src/transform.js';
import { replaceRange } from '../src/edits.js';
import {
  markerKind,
  markerNames,
  markerRunsOf,
  markerWritesOf,
  shellSegments,
  shellWords,
  isMarkerPath,
  isPythonDockerfile,
  type MarkerNames,
  type ShellSegment,
} from '../src/model/markers.js';

/** A shell word for a path: kept bare when it is safe, else double-quoted. */
function shellPath(p: string): string {
  return /^[\w./${}:@%+,=-]+$/.test(p) ? p : `"${p.replace(/(["\\`])/g, '\\$1')}"`;
}

function echoInto(names: MarkerNames, p: string, op = '>'): string {
  return `echo "${names.content(markerKind(names, p))}" ${op} ${shellPath(p)}`;
}

/** The new text of a simple command that creates empty markers, or null when it cannot be rewritten. */
function rewrite(names: MarkerNames, segment: ShellSegment): string | null {
  const words = shellWords(segment.text);
  const assigns: string[] = [];
  while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) assigns.push(words.shift()!);
  if (assigns.length) return null; // `X=1 touch f`: leave such commands to a person
  if (words[0] === 'touch') {
    const args = words.slice(1);
    const options = args.filter((a) => a.startsWith('-'));
    if (options.length) return null; // -d, -r, -t … set times: not a plain "create empty"
    const markers = args.filter((a) => isMarkerPath(a));
    const others = args.filter((a) => !isMarkerPath(a));
    const parts = markers.map((m) => echoInto(names, m));
    if (others.length) parts.push(`touch ${others.map(shellPath).join(' ')}`);
    return parts.join(' && ');
  }
  const writes = markerWritesOf(segment);
  if (writes.length !== 1) return null;
  const redirect = words.findIndex((x) => x === '>' || x === '>>' || x === '>|');
  // Anything after the target (`: > f 2>&1`) is kept out of reach: only the plain forms.
  if (redirect < 0 || redirect + 2 !== words.length) return null;
  const op = words[redirect] === '>>' ? '>>' : '>';
  return echoInto(names, writes[0].path, op);
}

const transform: Transform = {
  id: '19-marker-content',
  number: 19,
  title: 'Write content into marker files instead of creating them empty',
  safety: 'safe',
  sources: ['dockerfile-controller-fix-log: correction 19', 'Dockerfile copy pattern'],
  detect(doc, ctx) {
    // Only RUNs creating an empty marker get findings (their writes are markerWrites, which are
    // markerWritesOf each segment): most files have none, so look for them first.
    const emptyRuns = doc.stages.stages.map((stage) =>
      markerRunsOf(doc, stage)
        .filter((run) => run.writes.some((w) => w.kind === 'empty'))
        .map((run) => run.instruction),
    );
    if (emptyRuns.every((runs) => runs.length === 0)) return [];
    // The copy pattern is the distroless-Python one: other images keep their own conventions.
    if (!isPythonDockerfile(doc, ctx)) return [];
    const findings: Finding[] = [];
    let names: MarkerNames | null = null;
    for (const [s, stage] of doc.stages.stages.entries()) {
      for (const instr of emptyRuns[s]) {
        for (const segment of shellSegments(doc, instr)) {
          const empty = markerWritesOf(segment).filter((w) => w.kind === 'empty');
          if (empty.length === 0) continue;
          names ??= markerNames(doc, ctx);
          const paths = empty.map((w) => w.path).join(', ');
          if (stage.shellless) {
            findings.push({
              severity: 'error',
              offset: segment.start,
              message: `marker ${paths} is written by a shell command in a stage without a shell; write it in the builder stage with content`,
            });
            continue;
          }
          const text = rewrite(names, segment);
          findings.push({
            severity: 'warning',
            offset: segment.start,
            message: text
              ? `marker file ${paths} is created empty; write content into it: ${text}`
              : `marker file ${paths} is created empty; write content into it (echo "${names.content(markerKind(names, empty[0].path))}" > <file>)`,
            edits: text ? [replaceRange(segment.start, segment.end, text)] : undefined,
          });
        }
      }
    }
    return findings;
  },
};

export default transform;
