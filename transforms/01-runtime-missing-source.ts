/**
 * 01 — The final stage runs a Python package (`python -m controller.main`) that no instruction of
 * the final stage (or the stages it is built FROM) puts where Python looks for it: the log's
 * `ModuleNotFoundError: No module named 'controller'`. When a builder stage holds the package,
 * copy it from there, beside the other `COPY --from`; otherwise report an error.
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import type { Transform, Finding } from '../src/transform.js';
import type { TransformContext } from '../src/context.js';
import type { DockerDoc } from '../src/model/document.js';
import type { Stage } from '../src/model/stages.js';
import { stageLabel } from '../src/model/stages.js';
import { findAppModule, type AppModule } from '../src/model/app.js';
import { parseCopy, type CopyInstruction } from '../src/model/copy-sources.js';
import { cleanSource, matchPaths, type PathMatch } from '../src/model/context-sources.js';
import { workdirBefore, runtimeOwner } from '../src/model/markers.js';
import { envAt, pipInstallsOf } from '../src/model/python.js';
import { linesAfter } from '../src/model/instructions.js';
import { ParseMemo } from '../src/model/parse-cache.js';

/** true: the stage puts something at the path; false: it does not; null: cannot tell. */
type Holds = boolean | null;

function chainOf(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.baseStage) chain.unshift(s);
  return chain;
}

interface Landing {
  copy: CopyInstruction;
  /** Absolute path in the stage where the source lands (a directory's contents land in it). */
  at: string;
  /** The source is (or may be) a directory whose contents land at `at`. */
  directory: boolean;
  /** Where the source's files are: a folder on disk, a path in another stage, or unknown. */
  origin: { kind: 'context'; abs: string } | { kind: 'stage'; stage: Stage; path: string } | null;
}

/** Where each source of each COPY/ADD of a stage chain lands. `null` entries: unknowable (variables). */
function landings(doc: DockerDoc, ctx: TransformContext, stage: Stage): (Landing | null)[] {
  // holds() asks again for every lookup path and every --from hop, holders() for every stage:
  // the answer depends only on the parse, the stage and the context, so compute it once.
  // A stage belongs to one parse: keyed by the stage and the context.
  return landingsMemo.get(stage, ctx, () => scanLandings(doc, ctx, stage));
}

const landingsMemo = new ParseMemo<Stage, (Landing | null)[]>();

function scanLandings(doc: DockerDoc, ctx: TransformContext, stage: Stage): (Landing | null)[] {
  const out: (Landing | null)[] = [];
  for (const s of chainOf(stage)) {
    for (const instr of s.instructions) {
      const copy = parseCopy(doc, instr);
      if (!copy || copy.heredoc || !copy.dest) continue;
      const destRaw = copy.dest.value;
      if (destRaw.includes('$')) {
        out.push(null);
        continue;
      }
      const workdir = workdirBefore(doc, s, instr) ?? '/';
      const dest = path.posix.resolve(workdir, destRaw);
      const destIsDir = destRaw.endsWith('/') || copy.sources.length > 1;
      const fromStage = copy.from !== null ? doc.stages.resolve(copy.from, s.index) : null;
      for (const src of copy.sources) {
        if (src.variable || src.remote) {
          out.push(null);
          continue;
        }
        if (copy.from !== null) {
          if (!fromStage) {
            out.push(null); // an external image: its content is unknown here
            continue;
          }
          const srcPath = path.posix.resolve('/', src.value);
          out.push({
            copy,
            at: copy.parents ? path.posix.join(dest, srcPath) : dest,
            directory: true,
            origin: { kind: 'stage', stage: fromStage, path: srcPath },
          });
          continue;
        }
        const rel = cleanSource(src.value);
        const dirs = [ctx.contextRoot];
        if (ctx.dockerfilePath) dirs.push(path.dirname(ctx.dockerfilePath));
        let base: string | undefined;
        let matches: PathMatch[] = [];
        for (const d of dirs) {
          matches = matchPaths(ctx.fs, d, rel);
          if (matches.length > 0) {
            base = d;
            break;
          }
        }
        if (!base) {
          // Not on disk (yet): a `dir/` source still says where its contents land.
          if (src.value.endsWith('/') && !src.glob) {
            out.push({ copy, at: dest, directory: true, origin: null });
          }
          continue;
        }
        // --parents keeps the path, from a `/./` pivot on when there is one.
        const pivot = /^(.*?)\/\.\//.exec(src.value.replace(/^\.\//, ''));
        const kept = pivot ? `${cleanSource(pivot[1])}/` : '';
        for (const m of matches) {
          const abs = path.join(base, m.path);
          const landing = copy.parents
            ? path.posix.join(dest, m.path.startsWith(kept) ? m.path.slice(kept.length) : m.path)
            : m.isDirectory
              ? dest
              : destIsDir
                ? path.posix.join(dest, path.posix.basename(m.path))
                : dest;
          out.push({
            copy,
            at: landing,
            directory: m.isDirectory,
            origin: { kind: 'context', abs },
          });
        }
      }
    }
  }
  return out;
}

/** Whether a stage puts files at `target` (an absolute path in its file system). */
function holds(
  doc: DockerDoc,
  ctx: TransformContext,
  stage: Stage,
  target: string,
  depth = 0,
): Holds {
  if (depth > 4) return null;
  let unknown = false;
  for (const l of landings(doc, ctx, stage)) {
    if (!l) {
      unknown = true;
      continue;
    }
    if (l.at === target) return true;
    const rel = path.posix.relative(l.at, target);
    if (!l.directory || rel.startsWith('..') || path.posix.isAbsolute(rel)) continue;
    if (!l.origin) continue;
    if (l.origin.kind === 'context') {
      if (ctx.fs.exists(path.join(l.origin.abs, ...rel.split('/')))) return true;
      continue;
    }
    const inner = holds(doc, ctx, l.origin.stage, path.posix.join(l.origin.path, rel), depth + 1);
    if (inner !== false) return inner;
  }
  return unknown ? null : false;
}

/**
 * Where Python looks for the top-level package after the base dir (`app.packagePath`, always
 * first): the PYTHONPATH entries not already listed.
 */
function pythonpathLookups(doc: DockerDoc, app: AppModule, final: Stage): string[] {
  const paths = [app.packagePath];
  const pythonpath = envAt(doc, final).get('PYTHONPATH') ?? '';
  for (const entry of pythonpath.split(':')) {
    if (!entry.startsWith('/') || entry.includes('$')) continue;
    paths.push(path.posix.join(entry, app.package));
  }
  return [...new Set(paths)].slice(1);
}

/** A builder that `pip install`s a local project may put the package into site-packages. */
function installsLocalProject(doc: DockerDoc, ctx: TransformContext, stage: Stage): boolean {
  return pipInstallsOf(doc, stage, ctx.config).some((p) =>
    p.packages.some((spec) => /^(\.|\/|-e\b|--editable\b)/.test(spec)),
  );
}

interface Holder {
  stage: Stage;
  /** Absolute path of the package directory in that stage. */
  path: string;
}

/** Builder-stage paths that hold a directory named like the package. */
function holders(doc: DockerDoc, ctx: TransformContext, app: AppModule, final: Stage): Holder[] {
  const chain = chainOf(final);
  const found: Holder[] = [];
  for (const stage of doc.stages.stages) {
    if (chain.includes(stage) || stage.index > final.index) continue;
    const paths = new Set<string>();
    for (const l of landings(doc, ctx, stage)) {
      if (!l || l.copy.stage !== stage) continue;
      // A file copied into `…/<pkg>/` (one by one, or with --parents) also makes the folder.
      const segments = l.at.split('/');
      const inside = segments.lastIndexOf(app.package, segments.length - 2);
      if (inside > 0) paths.add(segments.slice(0, inside + 1).join('/'));
      if (!l.directory) continue;
      if (path.posix.basename(l.at) === app.package) paths.add(l.at);
      else if (
        l.origin?.kind === 'context' &&
        ctx.fs.isDirectory(path.join(l.origin.abs, app.package))
      )
        paths.add(path.posix.join(l.at, app.package));
    }
    const sorted = [...paths].sort(
      (a, b) => Number(b === app.packagePath) - Number(a === app.packagePath),
    );
    if (sorted.length) found.push({ stage, path: sorted[0] });
  }
  // Prefer stages whose files already reach the final stage.
  const builders = found.filter((h) => h.stage.role === 'builder');
  return builders.length ? builders : found;
}

/** Insert after the last `COPY --from` of the final stage, else its last COPY/ADD, else its preamble. */
function insertionAnchor(final: Stage): Instruction {
  const own = final.instructions;
  const isCopy = (i: Instruction) => ['COPY', 'ADD'].includes(i.getKeyword());
  const fromCopies = own.filter((i) => isCopy(i) && /(^|\s)--from=/i.test(i.getTextContent()));
  if (fromCopies.length) return fromCopies[fromCopies.length - 1];
  const copies = own.filter(isCopy);
  if (copies.length) return copies[copies.length - 1];
  let anchor = own[0];
  for (const i of own.slice(1)) {
    if (!['ARG', 'ENV', 'LABEL', 'WORKDIR'].includes(i.getKeyword())) break;
    anchor = i;
  }
  return anchor;
}

function chownFor(doc: DockerDoc, ctx: TransformContext, final: Stage): string | null {
  for (const instr of [...final.instructions].reverse()) {
    const copy = parseCopy(doc, instr);
    const chown = copy?.from !== null ? copy?.flags.find((f) => f.name === 'chown')?.value : null;
    if (chown) return chown;
  }
  return runtimeOwner(doc, ctx)?.chown ?? null;
}

const transform: Transform = {
  id: '01-runtime-missing-source',
  number: 1,
  title: 'Copy the app package the final stage runs from the builder stage that holds it',
  safety: 'unsafe',
  sources: ['Python ModuleNotFoundError at container start'],
  detect(doc, ctx) {
    const final = doc.stages.final;
    const app = findAppModule(doc);
    if (!final || !app || !app.isPackage) return [];
    // The base dir is looked at first; only when it does not hold the package are the
    // PYTHONPATH entries (the environment model) needed: same order, same answer.
    if (holds(doc, ctx, final, app.packagePath) !== false) return [];
    for (const target of pythonpathLookups(doc, app, final)) {
      if (holds(doc, ctx, final, target) !== false) return [];
    }
    // Copied site-packages of a builder that installed the project itself also provide it.
    const fromStages = final.copiesFrom.flatMap((r) => (r.stage ? [r.stage] : []));
    if (fromStages.some((s) => installsLocalProject(doc, ctx, s))) return [];

    const what =
      `the final stage runs "${app.module}" but no instruction of it puts the "${app.package}" ` +
      `package at ${app.packagePath} (ModuleNotFoundError at run time)`;
    const found = holders(doc, ctx, app, final);
    const offset = doc.span(app.instruction).start;
    if (found.length === 0) {
      return [
        {
          severity: 'error',
          offset,
          message: `${what}; no stage holds it: copy the package into the image`,
        },
      ];
    }
    const stages = new Set(found.map((h) => h.stage));
    if (stages.size > 1) {
      const list = found.map((h) => `${stageLabel(h.stage)} (${h.path})`).join(', ');
      return [
        {
          severity: 'error',
          offset,
          message: `${what}; several stages hold it (${list}): add the COPY --from yourself`,
        },
      ];
    }
    const holder = found[0];
    // Blanks, escape characters and variables cannot be written safely in the shell form.
    const unsafe = (p: string) => /[\s\\`$"']/.test(p);
    if (unsafe(holder.path) || unsafe(app.packagePath)) {
      return [
        { severity: 'error', offset, message: `${what}; copy it from ${stageLabel(holder.stage)}` },
      ];
    }
    const anchor = insertionAnchor(final);
    const ref = holder.stage.name ?? String(holder.stage.index);
    const chown = chownFor(doc, ctx, final);
    const line =
      `${doc.keyword('COPY')} --from=${ref}${chown ? ` --chown=${chown}` : ''} ` +
      `${holder.path} ${app.packagePath}`;
    // Undefined when the anchor would swallow a new line (unterminated heredoc, trailing `\`).
    const edits = linesAfter(doc, anchor, [`${doc.indentOf(anchor)}${line}`]);
    const finding: Finding = {
      severity: 'error',
      offset,
      message: edits
        ? `${what}; copied it from ${stageLabel(holder.stage)} (${holder.path})`
        : `${what}; copy it from ${stageLabel(holder.stage)}`,
      edits,
    };
    return [finding];
  },
};

export default transform;
