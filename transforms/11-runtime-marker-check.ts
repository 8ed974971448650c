/**
 * 11 — The builder writes marker files with content into every copied source directory (05, 19).
 * They only prove the directory structure arrived if the final stage looks for them: the
 * verification RUN of 06 also asserts each marker a `COPY --from` brings into the final stage
 * (log correction 11). Without a 06 check, one exec-form RUN of its own is added, placed the same
 * way (after the last COPY/ADD, WORKDIR, ENV and USER), so it runs as the runtime user.
 * Package markers in site-packages and the scripts directory are 16's.
 */
import * as path from 'node:path';
import type { Transform } from '../src/transform.js';
import { isMarkerPath, markerRunsOf } from '../src/model/markers.js';
import {
  checkAnchor,
  copiedMarkers,
  execFormRun,
  firstStringArg,
  placeCheckRun,
  pyString,
  moduleCheckRun,
  renderCheckCode,
  runtimePython,
} from '../src/model/python.js';

/** A marker assertion this transform owns (not a package marker, which is 16's). */
function isOwnStatement(statement: string): boolean {
  if (!/^assert\s+os\.path\.(isfile|exists)\(/.test(statement)) return false;
  const target = firstStringArg(statement);
  return (
    target !== null &&
    isMarkerPath(target) &&
    !/\/site-packages\//.test(target) &&
    !/\/bin\/[^/]+$/.test(target)
  );
}

const transform: Transform = {
  id: '11-runtime-marker-check',
  number: 11,
  title: 'Assert in the final stage that the builder markers arrived',
  safety: 'safe',
  sources: ['dockerfix log correction 11 (marker file verification in the runtime stage)'],
  detect(doc, ctx) {
    const final = doc.stages.final;
    if (!final) return [];
    // copiedMarkers lists marker files that builder stages write: none without a marker RUN.
    const builderMarkers = doc.stages.stages.some(
      (s) => s.role === 'builder' && markerRunsOf(doc, s).length > 0,
    );
    if (!builderMarkers) return [];
    const python = runtimePython(doc, ctx.config);
    if (!python) return [];
    const markers = copiedMarkers(doc, ctx.config).filter((m) => !m.package);
    if (markers.length === 0) return [];
    const own = markers.map(
      (m) =>
        `assert os.path.isfile(${pyString(m.runtimePath)}), ${pyString(
          `${path.posix.basename(m.runtimePath)} missing in ${path.posix.dirname(m.runtimePath)}`,
        )}`,
    );
    const existing = moduleCheckRun(doc, final);
    // Drop this transform's earlier assertions (and any exact copy of one it is about to write).
    const kept = existing
      ? existing.statements.filter((s) => !isOwnStatement(s) && !own.includes(s))
      : [];
    const printAt = kept.findIndex((s) => /^print\(/.test(s));
    const statements =
      printAt >= 0
        ? [...kept.slice(0, printAt), ...own, ...kept.slice(printAt)]
        : [...kept, ...own, `print(${pyString('runtime check passed: markers present')})`];
    const interpreter = existing?.argv[0] ?? python.interpreter;
    const runText = execFormRun(doc, interpreter, renderCheckCode(statements));
    const edits = placeCheckRun(doc, final, runText, existing?.instruction ?? null);
    if (edits.length === 0) return [];
    const names = markers.map((m) => m.runtimePath).join(', ');
    const moved = edits.some((e) => e.text === '' && e.end > e.start)
      ? '; moved the check after the last COPY/WORKDIR/ENV/USER so it runs as the runtime user'
      : '';
    return [
      {
        severity: existing ? 'info' : 'warning',
        offset: existing
          ? doc.span(existing.instruction).start
          : doc.span(checkAnchor(doc, final)).end,
        message: existing
          ? `the final stage's check does not assert the builder markers it copies; added ${names}${moved}`
          : `the final stage never checks that the builder markers arrived (${names}); added an exec-form check`,
        edits,
      },
    ];
  },
};

export default transform;
