/**
 * 05 — The log's copy pattern: after a builder copies its source directories, one RUN writes a
 * marker file with content into each of them (`.<repo>-source-marker` in the app package,
 * `.<repo>-<dir>-marker` elsewhere), so the directory structure is locked in and the runtime
 * stage can verify it received what the builder had.
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { linesAfter } from '../src/model/instructions.js';
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import type { TransformContext } from '../src/context.js';
import { stageLabel, type Stage } from '../src/model/stages.js';
import { parseCopy } from '../src/model/copy-sources.js';
import { findAppModule } from '../src/model/app.js';
import {
  isPythonDockerfile,
  markerNames,
  markedDirsOf,
  workdirBefore,
  type MarkerNames,
} from '../src/model/markers.js';

const PLAIN_PATH = /^\/[\w./@%+,:=-]*$/;

/** Directories a COPY of source directories fills (absolute, in the image). */
function copiedDirs(
  doc: DockerDoc,
  ctx: TransformContext,
  stage: Stage,
  instr: Instruction,
  appPackage: string | null,
): string[] {
  const copy = parseCopy(doc, instr);
  if (!copy || copy.from !== null || copy.heredoc || !copy.dest) return [];
  if (copy.dest.value.includes('$')) return [];
  const dirSources = copy.sources.filter((s) => {
    if (s.remote || s.glob || s.variable || s.heredoc) return false;
    const onDisk = path.join(ctx.contextRoot, s.value);
    if (ctx.fs.isFile(onDisk)) return false;
    return s.value === '.' || s.value.endsWith('/') || ctx.fs.isDirectory(onDisk);
  });
  if (dirSources.length === 0 || dirSources.length !== copy.sources.length) return [];
  const workdir = workdirBefore(doc, stage, instr);
  const d = copy.dest.value;
  const abs = d.startsWith('/') ? d : workdir ? path.posix.join(workdir, d) : null;
  if (!abs) return [];
  const dest = path.posix.normalize(abs).replace(/(.)\/+$/, '$1');
  // Only plain POSIX paths: quoting a Windows path or shell specials safely is not worth guessing.
  if (!PLAIN_PATH.test(dest)) return [];
  // A directory whose contents include the app package (`COPY . .`): the package is the marked dir.
  if (appPackage && path.posix.basename(dest) !== appPackage) {
    const holds = dirSources.some((s) =>
      ctx.fs.isDirectory(path.join(ctx.contextRoot, s.value, appPackage)),
    );
    if (holds) return [path.posix.join(dest, appPackage)];
  }
  return dest === '/' ? [] : [dest];
}

function markerLine(names: MarkerNames, dir: string, isApp: boolean): string {
  const base = path.posix.basename(dir);
  const file = isApp ? names.sourceMarker : names.dirMarker(base);
  const target = `${dir}/${file}`;
  const word = /^[\w./+@%:,=-]+$/.test(target) ? target : `"${target}"`;
  return `echo "${names.content(isApp ? 'SOURCE' : base)}" > ${word}`;
}

const transform: Transform = {
  id: '05-source-markers',
  number: 5,
  title: 'Write a marker file with content into each source directory a builder copies',
  safety: 'safe',
  sources: ['dockerfile-controller-fix-log: correction 5', 'Dockerfile copy pattern'],
  detect(doc, ctx) {
    // Only builder stages get findings: without one there is nothing to look at.
    if (!doc.stages.stages.some((s) => s.role === 'builder')) return [];
    if (!isPythonDockerfile(doc, ctx)) return [];
    const app = findAppModule(doc);
    const appPackage = app?.isPackage ? app.package : null;
    const findings: Finding[] = [];
    let names: MarkerNames | null = null;
    for (const stage of doc.stages.stages) {
      if (stage.role !== 'builder') continue;
      let last: Instruction | null = null;
      const dirs: string[] = [];
      for (const instr of stage.instructions) {
        const found = copiedDirs(doc, ctx, stage, instr, appPackage);
        if (found.length === 0) continue;
        last = instr;
        for (const d of found) if (!dirs.includes(d)) dirs.push(d);
      }
      if (!last) continue;
      const marked = markedDirsOf(doc, stage);
      const missing = dirs.filter((d) => !marked.has(d));
      if (missing.length === 0) continue;
      if (stage.shellless) {
        findings.push({
          severity: 'warning',
          offset: doc.span(last).start,
          message: `builder stage ${stageLabel(stage)} copies ${missing.join(', ')} but has no shell to write marker files`,
        });
        continue;
      }
      names ??= markerNames(doc, ctx);
      const appDir = appPackage
        ? missing.find((d) => path.posix.basename(d) === appPackage)
        : missing.length === 1 && marked.size === 0
          ? missing[0]
          : undefined;
      const commands = missing.map((d) => markerLine(names!, d, d === appDir));
      const { eol, escape, continuationIndent } = doc.style;
      const indent = doc.indentOf(last);
      const text = `${indent}${doc.keyword('RUN')} ${commands.join(` && ${escape}${eol}${continuationIndent}`)}`;
      const edits = linesAfter(doc, last, [text]);
      findings.push({
        severity: 'warning',
        offset: doc.span(last).start,
        message: `builder stage ${stageLabel(stage)} copies ${missing.join(', ')} without a marker file; ${edits ? 'added' : 'add'} one RUN writing ${missing.length === 1 ? 'it' : 'them'} after the last source COPY`,
        edits,
      });
    }
    return findings;
  },
};

export default transform;
