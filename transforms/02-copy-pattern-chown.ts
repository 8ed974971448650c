/**
 * 02 — The copy pattern's ownership rules. In a final stage that runs as a non-root user, files
 * copied without `--chown` belong to root; add `--chown=<uid>:<gid>` of that user. Ownership is
 * not reachability: /root is mode 0700, so packages copied under /root/... cannot be imported by
 * that user however they are owned — an error, fixed when the user's home is known by moving the
 * destination there and updating the PYTHONPATH/PATH that pointed at the old place. And copy
 * whole directories: a stage copying several files of one directory one by one gets a finding.
 */
import * as path from 'node:path';
import type { Instruction, Property } from 'dockerfile-ast';
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import type { TransformContext } from '../src/context.js';
import { flagsOf, stageLabel, type Stage } from '../src/model/stages.js';
import { insertAt, replaceRange, type Edit } from '../src/edits.js';
import { parseCopy, type CopyInstruction } from '../src/model/copy-sources.js';
import { envAt } from '../src/model/python.js';
import {
  isPythonDockerfile,
  runtimeOwner,
  workdirBefore,
  type RuntimeOwner,
} from '../src/model/markers.js';

/** Files copied on their own for layer caching, not "pieces of a directory". */
const MANIFEST =
  /^(requirements[\w.-]*\.txt|constraints[\w.-]*\.txt|setup\.py|setup\.cfg|pyproject\.toml|poetry\.lock|pdm\.lock|uv\.lock|Pipfile(\.lock)?|MANIFEST\.in|package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|go\.(mod|sum)|Cargo\.(toml|lock)|README[\w.]*|LICENSE[\w.]*|\.dockerignore)$/i;

/** Where `--chown=` goes: after the last flag, else at the start of the arguments. */
function chownEdit(doc: DockerDoc, instr: Instruction, chown: string): Edit | null {
  const flags = flagsOf(instr);
  if (flags.length) {
    const end = doc.spanOf(flags[flags.length - 1].getRange()).end;
    return insertAt(end, ` --chown=${chown}`);
  }
  const args = instr.getArgumentsRange();
  if (!args) return null;
  return insertAt(doc.offsetAt(args.start), `--chown=${chown} `);
}

function resolvedDest(doc: DockerDoc, stage: Stage, copy: CopyInstruction): string | null {
  const d = copy.dest?.value;
  if (!d || d.includes('$')) return null;
  if (d.startsWith('/')) return path.posix.normalize(d);
  const wd = workdirBefore(doc, stage, copy.instruction);
  return wd ? path.posix.normalize(path.posix.join(wd, d)) : null;
}

const UNDER_ROOT = /^\/root(\/|$)/;
const OLD_LOCAL = /\/root\/\.local(?=[/:"'\s]|$)/g;

/** PYTHONPATH / PATH entries of the final stage's ENVs that point into /root/.local. */
function envEdits(doc: DockerDoc, stage: Stage, newLocal: string): Edit[] {
  const edits: Edit[] = [];
  for (const instr of stage.instructions) {
    if (instr.getKeyword() !== 'ENV') continue;
    const props = (instr as unknown as { getProperties(): Property[] }).getProperties();
    for (const p of props) {
      if (p.getName() !== 'PYTHONPATH' && p.getName() !== 'PATH') continue;
      const range = p.getValueRange();
      if (!range) continue;
      const { start, end } = doc.spanOf(range);
      const value = doc.slice(start, end);
      for (const m of value.matchAll(OLD_LOCAL)) {
        edits.push(replaceRange(start + m.index!, start + m.index! + m[0].length, newLocal));
      }
    }
  }
  return edits;
}

/** The user's home when it is unambiguous: distroless nonroot, or an explicit ENV HOME. */
function knownHome(doc: DockerDoc, final: Stage, owner: RuntimeOwner): string | null {
  const home = envAt(doc, final).get('HOME');
  if (home && !home.includes('$') && !UNDER_ROOT.test(home)) return home;
  if (final.shellless && owner.chown === '65532:65532') return '/home/nonroot';
  return null;
}

/** Sources that are never a single file, whatever the context holds. */
function notAFile(value: string): boolean {
  return value.endsWith('/') || value === '.' || /[*?[$]/.test(value);
}

function isFileSource(ctx: TransformContext, copy: CopyInstruction, value: string): boolean {
  if (notAFile(value)) return false;
  if (copy.from === null) {
    const onDisk = path.join(ctx.contextRoot, value);
    if (ctx.fs.isFile(onDisk)) return true;
    if (ctx.fs.isDirectory(onDisk)) return false;
  }
  return /\.[A-Za-z0-9]+$/.test(path.posix.basename(value));
}

/** The group of a copied file: the stage it comes from and its directory. */
function groupKey(copy: CopyInstruction, file: string): string {
  return `${copy.from ?? ''}\u0000${path.posix.dirname(path.posix.normalize(file))}`;
}

/**
 * Whether two copies of the stage can fall in one group of oneByOne. Exact: the same tests as
 * the grouping, without the build-context look-ups (which can only leave more copies out).
 */
function mayShareGroup(doc: DockerDoc, stage: Stage): boolean {
  // Two copies are needed: a stage with fewer than two COPY/ADD has no group of two.
  let copies = 0;
  for (const instr of stage.instructions) {
    const kw = instr.getKeyword();
    if (kw === 'COPY' || kw === 'ADD') copies++;
  }
  if (copies < 2) return false;
  const firstCopy = new Map<string, Instruction>();
  for (const instr of stage.instructions) {
    const copy = parseCopy(doc, instr);
    if (!copy || copy.heredoc || copy.sources.length === 0) continue;
    if (copy.sources.some((s) => s.remote || notAFile(s.value))) continue;
    for (const s of copy.sources) {
      if (MANIFEST.test(path.posix.basename(s.value))) continue;
      const key = groupKey(copy, s.value);
      const seen = firstCopy.get(key);
      if (seen === undefined) firstCopy.set(key, instr);
      else if (seen !== instr) return true;
    }
  }
  return false;
}

function oneByOne(doc: DockerDoc, ctx: TransformContext, stage: Stage): Finding[] {
  // A finding needs two copies in one group.
  if (!mayShareGroup(doc, stage)) return [];
  const groups = new Map<string, { copies: Instruction[]; files: Set<string> }>();
  for (const instr of stage.instructions) {
    const copy = parseCopy(doc, instr);
    if (!copy || copy.heredoc || copy.sources.length === 0) continue;
    const files = copy.sources.map((s) => s.value);
    if (!files.every((f) => !copy.sources.find((s) => s.value === f)!.remote)) continue;
    if (!files.every((f) => isFileSource(ctx, copy, f))) continue;
    for (const f of files) {
      if (MANIFEST.test(path.posix.basename(f))) continue;
      const key = groupKey(copy, f);
      const g = groups.get(key) ?? { copies: [], files: new Set<string>() };
      if (!g.copies.includes(instr)) g.copies.push(instr);
      g.files.add(f);
      groups.set(key, g);
    }
  }
  const findings: Finding[] = [];
  for (const [key, g] of groups) {
    if (g.copies.length < 2) continue;
    const [from, dir] = key.split('\u0000');
    findings.push({
      severity: 'warning',
      offset: doc.span(g.copies[1]).start,
      message:
        `stage ${stageLabel(stage)} copies ${g.files.size} files of ${dir === '.' ? 'the context root' : `${dir}/`}` +
        `${from ? ` (from ${from})` : ''} one by one; copy the whole directory so that nothing is left behind`,
    });
  }
  return findings;
}

const transform: Transform = {
  id: '02-copy-pattern-chown',
  number: 2,
  title:
    'Copy files to the non-root runtime user: --chown, reachable destinations, whole directories',
  safety: 'unsafe',
  sources: ['dockerfile-controller-fix-log: correction 2', 'Dockerfile copy pattern'],
  detect(doc, ctx) {
    if (!isPythonDockerfile(doc, ctx)) return [];
    const findings: Finding[] = [];
    const final = doc.stages.final;
    const owner = final ? runtimeOwner(doc, ctx) : null;
    if (final && owner) {
      const home = knownHome(doc, final, owner);
      let envFixed = false;
      for (const instr of final.instructions) {
        const copy = parseCopy(doc, instr);
        if (!copy) continue;
        const first = doc.lineText(instr.getRange().start.line).trim();
        if (!copy.flags.some((f) => f.name === 'chown')) {
          const edit = chownEdit(doc, instr, owner.chown);
          findings.push({
            severity: 'warning',
            offset: doc.span(instr).start,
            message: `"${first}" leaves the files owned by root while the runtime user is ${owner.user}; add --chown=${owner.chown}`,
            edits: edit ? [edit] : undefined,
          });
        }
        const dest = resolvedDest(doc, final, copy);
        if (!dest || !UNDER_ROOT.test(dest)) continue;
        const literal = copy.dest!.value;
        const movable = home !== null && /^\/root\/\.local(\/|$)/.test(literal);
        let edits: Edit[] | undefined;
        if (movable) {
          const newDest = literal.replace(/^\/root\/\.local/, `${home}/.local`);
          const text = copy.json ? JSON.stringify(newDest) : newDest;
          edits = [replaceRange(copy.dest!.start, copy.dest!.end, text)];
          if (!envFixed) edits.push(...envEdits(doc, final, `${home}/.local`));
          envFixed = true;
        }
        findings.push({
          severity: 'error',
          offset: doc.span(instr).start,
          message:
            `"${first}" copies into ${dest}: /root is mode 0700, so the runtime user ${owner.user} cannot read or import it however it is chowned` +
            (movable
              ? `; moved to ${home}/.local (and PYTHONPATH/PATH updated)`
              : "; copy it to the runtime user's home (e.g. /home/nonroot/.local) and point PYTHONPATH/PATH there"),
          edits,
        });
      }
    }
    for (const stage of doc.stages.stages) findings.push(...oneByOne(doc, ctx, stage));
    return findings;
  },
};

export default transform;
