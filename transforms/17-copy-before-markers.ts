/**
 * 17 — A marker RUN proves a directory's content only when it runs after the COPY that creates
 * that directory, and the build step (compileall, `pip install .`, setup.py) must see both.
 * Inside one stage: a COPY creating a marked directory that comes after the marker RUN moves
 * up to just before it; a build step before the marker RUN moves down to just after it.
 * Comment lines attached to a moved instruction move with it.
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import { stageLabel, type Stage } from '../src/model/stages.js';
import { insertAt, replaceRange, type Edit } from '../src/edits.js';
import { parseCopy, type CopyInstruction } from '../src/model/copy-sources.js';
import {
  markerRunsOf,
  shellSegments,
  shellWords,
  workdirBefore,
  type MarkerRun,
} from '../src/model/markers.js';
import type { TransformContext } from '../src/context.js';
import { pipInstallsOf, type PipInstall } from '../src/model/python.js';

const PIP = /^(?:.*\/)?pip(\d+(\.\d+)?)?$/;
const PYTHON = /^(?:.*\/)?python(\d+(\.\d+)?)?$/;
const BUILD_WORDS = /compileall|python|pip/;
const QUOTING = /['"\\]/g;

/** compileall, `pip install .` / `-e .`, `python setup.py …`, `python -m build`. */
export function isBuildStep(doc: DockerDoc, instr: Instruction): boolean {
  // Every form below needs a word holding `compileall`, `python` or `pip`. A word is source text
  // of the RUN less quotes and backslashes (a line continuation becomes a space and ends it), so
  // a RUN, or a segment, whose text without those lacks all three is no build step.
  const { start, end } = doc.span(instr);
  const text = doc.slice(start, end);
  // A word spelled outright is still there once quotes are removed: replace only when needed.
  if (!BUILD_WORDS.test(text) && !BUILD_WORDS.test(text.replace(QUOTING, ''))) return false;
  for (const seg of shellSegments(doc, instr)) {
    if (!BUILD_WORDS.test(seg.text.replace(QUOTING, ''))) continue;
    const w = shellWords(seg.text);
    while (w.length && /^[A-Za-z_]\w*=/.test(w[0])) w.shift();
    const prog = w[0] ?? '';
    if (w.includes('compileall') && (PYTHON.test(prog) || prog === 'compileall')) return true;
    if (PYTHON.test(prog) && w.some((a) => /(^|\/)setup\.py$/.test(a))) return true;
    if (PYTHON.test(prog) && w[1] === '-m' && w[2] === 'build') return true;
    const pipArgs = PIP.test(prog)
      ? w.slice(1)
      : PYTHON.test(prog) && w.indexOf('pip') === w.indexOf('-m') + 1 && w.includes('-m')
        ? w.slice(w.indexOf('pip') + 1)
        : null;
    if (pipArgs && pipArgs.includes('install') && pipArgs.some((a) => /^\.\/?(\[.*\])?$/.test(a)))
      return true;
  }
  return false;
}

interface Block {
  instr: Instruction;
  /** Start of the first attached comment line (or of the instruction's line). */
  start: number;
  /** Start of the line after the instruction (or the end of the text). */
  end: number;
}

function blockOf(doc: DockerDoc, instr: Instruction): Block {
  const r = instr.getRange();
  let first = r.start.line;
  while (first > 0 && /^[ \t]*#/.test(doc.lineText(first - 1))) {
    const directive = doc.ast.getDirectives().some((d) => d.getRange().start.line === first - 1);
    if (directive) break;
    first--;
  }
  const next = r.end.line + 1;
  const end = next < doc.lineStarts.length ? doc.lineStarts[next] : doc.text.length;
  return { instr, start: doc.lineStarts[first], end };
}

/** Directories a marker RUN writes into (absolute; unknown ones left out). */
function writtenDirs(run: MarkerRun): string[] {
  const { workdir } = run;
  const dirs: string[] = [];
  for (const w of run.writes) {
    if (w.path.includes('$')) continue;
    const abs = w.path.startsWith('/') ? w.path : workdir ? path.posix.join(workdir, w.path) : null;
    if (abs) dirs.push(path.posix.dirname(path.posix.normalize(abs)));
  }
  return dirs;
}

/** A package or script marker's directory (15's markers: a `site-packages` or `bin` directory). */
const PACKAGE_DIR = /\/(site-packages|bin)$/;

/** Marker directories of a marker RUN that 17 reorders around (unknown ones left out). */
function markedDirs(run: MarkerRun): string[] {
  // Package and script markers (15) belong after the install that creates their directory,
  // whatever COPY came before: never reorder around them.
  return writtenDirs(run).filter((dir) => !PACKAGE_DIR.test(dir));
}

/**
 * Whether `b` is a pip install into a user base or a virtual environment that holds one of the
 * marker's directories: then the marker records what that install wrote (15's package markers,
 * whatever their exact path), and it belongs after the install, not the install after it.
 */
function installsAround(installs: PipInstall[], b: Instruction, dirs: string[]): boolean {
  return installs.some((install) => install.instruction === b && holdsAny(install, dirs));
}

/** Whether one of `dirs` lies in the user base or virtual environment `install` writes into. */
function holdsAny(install: PipInstall, dirs: string[]): boolean {
  const root = install.root;
  if (root === null || (install.flavour !== 'user' && install.flavour !== 'venv')) return false;
  return dirs.some((dir) => dir === root || dir.startsWith(`${root}/`));
}

/**
 * Whether moving pip install `b` down from position `from` to just below position `to` would take
 * it past a marker RUN of what it installs (the marker RUN at `to` included) — one writing a
 * package or script marker (15's), or one in its user base or virtual environment. That marker
 * stays below the install: moved past it, the install would run after the marker that records
 * it (and 15 would add a second marker below).
 */
function passesOwnMarker(
  runs: readonly MarkerRun[],
  installs: PipInstall[],
  b: Instruction,
  from: number,
  to: number,
): boolean {
  const mine = installs.filter((install) => install.instruction === b);
  if (mine.length === 0) return false;
  return runs.some((run) => {
    if (run.index <= from || run.index > to) return false;
    const dirs = writtenDirs(run);
    return dirs.some((dir) => PACKAGE_DIR.test(dir)) || mine.some((i) => holdsAny(i, dirs));
  });
}

interface CopyInfo {
  copy: CopyInstruction;
  dest: string | null;
  dirLike: boolean;
}

function copyInfo(
  doc: DockerDoc,
  ctx: TransformContext,
  stage: Stage,
  instr: Instruction,
): CopyInfo | null {
  const copy = parseCopy(doc, instr);
  if (!copy || !copy.dest || copy.heredoc) return null;
  const d = copy.dest.value;
  const workdir = workdirBefore(doc, stage, instr);
  let dest: string | null = null;
  if (!d.includes('$')) {
    const abs = d.startsWith('/') ? d : workdir ? path.posix.join(workdir, d) : null;
    if (abs) dest = path.posix.normalize(abs).replace(/(.)\/+$/, '$1');
  }
  const dirLike = copy.sources.some(
    (s) =>
      s.value === '.' ||
      s.value.endsWith('/') ||
      (copy.from === null &&
        !s.glob &&
        !s.variable &&
        ctx.fs.isDirectory(path.join(ctx.contextRoot, s.value))) ||
      (copy.from !== null && !/\.[A-Za-z0-9]+$/.test(s.value)),
  );
  return { copy, dest, dirLike };
}

function creates(info: CopyInfo, dir: string): boolean {
  if (!info.dest) return false;
  if (info.dest === dir) return true;
  const prefix = info.dest === '/' ? '/' : `${info.dest}/`;
  return info.dirLike && dir.startsWith(prefix);
}

/** Instructions between two positions that would change what a moved instruction sees. */
function blockers(list: Instruction[], from: number, to: number, keywords: Set<string>): string[] {
  const out: string[] = [];
  for (let i = Math.min(from, to) + 1; i < Math.max(from, to); i++) {
    const kw = list[i].getKeyword();
    if (keywords.has(kw)) out.push(kw);
  }
  return out;
}

function firstLine(doc: DockerDoc, instr: Instruction): string {
  return doc.lineText(instr.getRange().start.line).trim();
}

const transform: Transform = {
  id: '17-copy-before-markers',
  number: 17,
  title: 'Copy a directory before the marker RUN that writes into it, and build after both',
  safety: 'unsafe',
  sources: ['dockerfile-controller-fix-log: correction 17', 'Dockerfile copy pattern'],
  detect(doc, ctx) {
    const findings: Finding[] = [];
    const eol = doc.style.eol;
    for (const stage of doc.stages.stages) {
      // Everything below hangs on a RUN writing into a known directory: most stages have none.
      const marking = markerRunsOf(doc, stage)
        .map((run) => ({ m: run.instruction, dirs: markedDirs(run) }))
        .filter((r) => r.dirs.length > 0);
      if (marking.length === 0) continue;
      const list = stage.instructions;
      const index = new Map(list.map((instr, i) => [instr, i]));
      const copies = new Map<Instruction, CopyInfo>();
      for (const instr of list) {
        const info = copyInfo(doc, ctx, stage, instr);
        if (info) copies.set(instr, info);
      }
      const before = new Map<Instruction, Instruction[]>(); // marker RUN → COPYs to put above it
      const after = new Map<Instruction, Instruction[]>(); // marker RUN → build steps to put below
      const moved = new Set<Instruction>();
      const messages = new Map<Instruction, string>();
      const reportOnly: Finding[] = [];
      const markerRuns: Instruction[] = [];
      for (const { m, dirs } of marking) {
        const mi = index.get(m)!;
        let hasCreator = false;
        for (const dir of dirs) {
          const creators = [...copies.values()].filter((c) => creates(c, dir));
          if (creators.length === 0) continue;
          hasCreator = true;
          if (creators.some((c) => index.get(c.copy.instruction)! < mi)) continue;
          for (const c of creators) {
            const ci = index.get(c.copy.instruction)!;
            if (moved.has(c.copy.instruction)) continue;
            const relevant = new Set(['ONBUILD']);
            if (!c.copy.dest!.value.startsWith('/')) relevant.add('WORKDIR');
            if (
              doc
                .slice(doc.span(c.copy.instruction).start, doc.span(c.copy.instruction).end)
                .includes('$')
            ) {
              relevant.add('ARG');
              relevant.add('ENV');
            }
            const blocked = blockers(list, mi, ci, relevant);
            if (blocked.length) {
              reportOnly.push({
                severity: 'warning',
                offset: doc.span(m).start,
                message: `the marker RUN writes into ${dir} before "${firstLine(doc, c.copy.instruction)}" creates it; move the COPY above it (not moved: ${blocked.join(', ')} in between)`,
              });
              continue;
            }
            moved.add(c.copy.instruction);
            before.set(m, [...(before.get(m) ?? []), c.copy.instruction]);
            messages.set(
              c.copy.instruction,
              `moved "${firstLine(doc, c.copy.instruction)}" above the marker RUN for ${dir}`,
            );
          }
        }
        if (hasCreator) markerRuns.push(m);
      }
      // Build steps go after the last marker RUN that follows them.
      for (const b of list) {
        if (b.getKeyword() !== 'RUN' || moved.has(b) || markerRuns.includes(b)) continue;
        const bi = index.get(b)!;
        const target = [...markerRuns].reverse().find((m) => index.get(m)! > bi);
        if (!target) continue; // (asked before isBuildStep: the cheaper of the two conditions)
        if (!isBuildStep(doc, b)) continue;
        const targetDirs = marking.find((r) => r.m === target)!.dirs;
        const installs = pipInstallsOf(doc, stage, ctx.config);
        if (installsAround(installs, b, targetDirs)) continue;
        if (passesOwnMarker(markerRunsOf(doc, stage), installs, b, bi, index.get(target)!)) {
          reportOnly.push({
            severity: 'warning',
            offset: doc.span(b).start,
            message:
              'the build step runs before the source COPY and marker RUN are done; move it below ' +
              'them together with the marker RUN of what it installs (not moved: that marker must ' +
              'stay below the install)',
          });
          continue;
        }
        const blocked = blockers(
          list,
          bi,
          index.get(target)!,
          new Set(['WORKDIR', 'ENV', 'ARG', 'USER', 'SHELL', 'ONBUILD']),
        ).concat(markerRuns.includes(b) ? ['marker RUN'] : []);
        if (blocked.length) {
          reportOnly.push({
            severity: 'warning',
            offset: doc.span(b).start,
            message: `the build step runs before the source COPY and marker RUN are done; move it below them (not moved: ${[...new Set(blocked)].join(', ')} in between)`,
          });
          continue;
        }
        moved.add(b);
        after.set(target, [...(after.get(target) ?? []), b]);
        messages.set(b, `moved build step "${firstLine(doc, b)}" below the marker RUN`);
      }
      findings.push(...reportOnly);
      if (moved.size === 0) continue;
      // Each changed place gets its own fixed finding: the insertion (one per anchor, listing
      // what lands there) and each removal. All edits of this transform are disjoint, so they
      // are applied together or not at all.
      const textOf = (instr: Instruction) => {
        const blk = blockOf(doc, instr);
        const t = doc.slice(blk.start, blk.end);
        return /(\r\n|\r|\n)$/.test(t) ? t : t + eol;
      };
      for (const m of list) {
        const up = before.get(m);
        if (up) {
          findings.push({
            severity: 'warning',
            offset: blockOf(doc, m).start,
            message: `stage ${stageLabel(stage)}: ${up.map((i) => messages.get(i)).join('; ')}`,
            edits: [insertAt(blockOf(doc, m).start, up.map(textOf).join(''))],
          });
        }
        const down = after.get(m);
        if (down) {
          const blk = blockOf(doc, m);
          const atEnd = blk.end === doc.text.length && !/(\r\n|\r|\n)$/.test(doc.text);
          const t = down.map(textOf).join('');
          findings.push({
            severity: 'warning',
            offset: blk.end,
            message: `stage ${stageLabel(stage)}: ${down.map((i) => messages.get(i)).join('; ')}`,
            edits: [insertAt(blk.end, atEnd ? eol + t.replace(/(\r\n|\r|\n)$/, '') : t)],
          });
        }
      }
      for (const instr of moved) {
        const blk = blockOf(doc, instr);
        let start = blk.start;
        // The last line without a line break: drop the break before it instead.
        if (blk.end === doc.text.length && !/(\r\n|\r|\n)$/.test(doc.slice(blk.start, blk.end))) {
          const prev = /(\r\n|\r|\n)$/.exec(doc.slice(0, blk.start));
          if (prev) start -= prev[0].length;
        }
        findings.push({
          severity: 'info',
          offset: start,
          message: `"${firstLine(doc, instr)}" moved away from here (see the finding where it now is)`,
          edits: [replaceRange(start, blk.end, '')],
        });
      }
    }
    return findings;
  },
};

export default transform;
