/**
 * 14 — A build-time `python -c "import …"` check after `pip install --user` / `--target` /
 * `--prefix` only proves something when the interpreter looks where pip put the packages. The
 * log prefixed `PYTHONPATH=<site-packages>:$PYTHONPATH`; this does the same wherever the stage's
 * PYTHONPATH (ENV or an inline assignment) does not already cover them. It also fixes
 * distribution names used as imports (`import grpcio` always fails: the module is `grpc`).
 * A PYTHONPATH naming another Python version's site-packages than the interpreter runs is an
 * error finding, not an edit.
 */
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import type { Edit } from '../src/edits.js';
import { insertAt, replaceRange } from '../src/edits.js';
import { shellSegments, shellWords, type ShellSegment } from '../src/model/markers.js';
import {
  envAt,
  importNameOf,
  mayHaveWordWith,
  normalizeDistName,
  pathListEntries,
  pipInstallsOf,
  pythonOf,
  runMayHaveWord,
  runtimeRequirements,
  versionInPath,
  workdirAt,
  type PipInstall,
} from '../src/model/python.js';
import type { Stage } from '../src/model/stages.js';
import type { TransformContext } from '../src/context.js';

const PYTHON = /^(?:.*\/)?python(\d+(?:\.\d+)?)?$/;

/** Distributions whose own name is importable too (so `import <dist>` is not a mistake). */
const IMPORTABLE_AS_DIST = new Set(['attrs']);

interface PythonCall {
  /** Inline `PYTHONPATH=…` value and the offset of the value in the document, if any. */
  inline: { value: string; offset: number } | null;
  program: string;
}

/** A `[VAR=…] python[X.Y] … -c CODE` simple command whose code imports something. */
function pythonCall(doc: DockerDoc, segment: ShellSegment): PythonCall | null {
  const words = shellWords(segment.text);
  let i = 0;
  let inline: PythonCall['inline'] = null;
  while (i < words.length && /^[A-Za-z_]\w*=/.test(words[i])) {
    if (words[i].startsWith('PYTHONPATH=')) {
      const at = doc.text.indexOf('PYTHONPATH=', segment.start);
      if (at >= 0 && at < segment.end) {
        inline = { value: words[i].slice('PYTHONPATH='.length), offset: at + 'PYTHONPATH='.length };
      }
    }
    i++;
  }
  if (words[i] === 'env') i++;
  const program = words[i] ?? '';
  if (!PYTHON.test(program)) return null;
  const c = words.indexOf('-c', i + 1);
  if (c < 0 || !/\bimport\b/.test(words[c + 1] ?? '')) return null;
  return { inline, program };
}

/** `import a, b.c` / `from a import b` module names in `text`, with their offsets. */
function importedNames(text: string, base: number): { name: string; start: number }[] {
  const out: { name: string; start: number }[] = [];
  const re = /\b(import|from)\s+([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)/g;
  for (const m of text.matchAll(re)) {
    let offset = m.index! + m[0].length - m[2].length;
    const parts = m[1] === 'from' ? [m[2].split(/\s*,/)[0]] : m[2].split(',');
    for (const raw of parts) {
      const lead = raw.length - raw.trimStart().length;
      out.push({ name: raw.trim(), start: base + offset + lead });
      offset += raw.length + 1;
    }
  }
  return out;
}

/** Normalised names of the requirements the Dockerfile installs, read when first needed. */
type RequirementNames = () => Set<string>;

/** The import name a distribution name stands for, when `name` is a distribution used as import. */
function importFix(
  name: string,
  ctx: TransformContext,
  requirements: RequirementNames,
): string | null {
  const key = normalizeDistName(name);
  if (IMPORTABLE_AS_DIST.has(key)) return null;
  const fix = importNameOf(name, ctx.config);
  if (!fix.module || fix.module === name) return null;
  if (fix.source === 'table' || fix.source === 'config') return fix.module;
  if (fix.source === 'rule' && requirements().has(key)) return fix.module;
  return null;
}

function importFixes(
  doc: DockerDoc,
  start: number,
  end: number,
  ctx: TransformContext,
  requirements: RequirementNames,
): { from: string; to: string; edit: Edit }[] {
  const fixes: { from: string; to: string; edit: Edit }[] = [];
  for (const { name, start: at } of importedNames(doc.slice(start, end), start)) {
    const to = importFix(name, ctx, requirements);
    if (to) fixes.push({ from: name, to, edit: replaceRange(at, at + name.length, to) });
  }
  return fixes;
}

const pythonPathEntries = pathListEntries;

function stagesWithPython(doc: DockerDoc, ctx: TransformContext): Stage[] {
  return doc.stages.stages.filter((s) => pythonOf(s, doc, ctx.config) !== null);
}

const transform: Transform = {
  id: '14-pythonpath-for-user-site',
  number: 14,
  title: 'Put user/target/prefix site-packages on PYTHONPATH for python -c import checks',
  safety: 'safe',
  sources: ['dockerfix log correction 14 (PYTHONPATH for user-installed packages)'],
  detect(doc, ctx) {
    const findings: Finding[] = [];
    const stages = stagesWithPython(doc, ctx);
    if (stages.length === 0) return [];
    // Reading the requirements files is only needed to confirm a family-rule import name.
    let requirementSet: Set<string> | undefined;
    const requirements: RequirementNames = () =>
      (requirementSet ??= new Set(
        runtimeRequirements(doc, ctx, null).requirements.map((r) => normalizeDistName(r.name)),
      ));
    for (const stage of stages) {
      const version = pythonOf(stage, doc, ctx.config)?.version ?? null;
      let installs: PipInstall[] | undefined;
      for (const instr of stage.instructions) {
        // Both forms below need `python` in the RUN (a word of it, or the JSON text).
        if (instr.getKeyword() !== 'RUN' || !runMayHaveWord(doc, instr, 'python')) continue;
        const segments = shellSegments(doc, instr);
        if (segments.length === 0) {
          // Exec form (`RUN ["python3", "-c", "import grpcio"]`): only the import names.
          const raw = instr.getRawArgumentsContent() ?? '';
          if (!/"-c"/.test(raw) || !/python/.test(raw)) continue;
          const span = doc.span(instr);
          for (const f of importFixes(doc, span.start, span.end, ctx, requirements)) {
            findings.push(importFinding(f));
          }
          continue;
        }
        for (const segment of segments) {
          // A call needs a word naming python (most commands of most RUNs do not).
          if (!mayHaveWordWith(segment.text, 'python')) continue;
          const call = pythonCall(doc, segment);
          if (!call) continue;
          for (const f of importFixes(doc, segment.start, segment.end, ctx, requirements)) {
            findings.push(importFinding(f));
          }
          const callVersion = versionInPath(call.program) ?? version;
          installs ??= pipInstallsOf(doc, stage, ctx.config);
          const before = installs.filter(
            (i) =>
              ['user', 'target', 'prefix'].includes(i.flavour) &&
              i.sitePackages &&
              (i.instruction !== instr || (i.segment && i.segment.start < segment.start)) &&
              doc.span(i.instruction).start <= doc.span(instr).start,
          );
          const cwd = workdirAt(doc, stage, instr);
          const envValue = envAt(doc, stage, instr).get('PYTHONPATH') ?? '';
          const current = [
            ...pythonPathEntries(call.inline?.value ?? '', cwd),
            ...(call.inline && !call.inline.value.includes('$PYTHONPATH')
              ? []
              : pythonPathEntries(envValue, cwd)),
          ];
          const wrong = current.find((p) => {
            const v = versionInPath(p);
            return (
              v !== null && callVersion !== null && v !== callVersion && /site-packages/.test(p)
            );
          });
          if (wrong) {
            findings.push({
              severity: 'error',
              offset: segment.start,
              message:
                `PYTHONPATH names ${wrong} but ${call.program} runs Python ${callVersion}: it never loads ` +
                `packages built for python${versionInPath(wrong)}; install and check with the same version`,
            });
            continue;
          }
          const missing = uniqueSitePackages(before, callVersion).filter(
            (sp) => !current.includes(sp),
          );
          if (missing.length === 0) continue;
          if (stage.shellless) {
            // No /bin/sh to run an environment prefix in: this RUN cannot work in any form.
            findings.push({
              severity: 'error',
              offset: segment.start,
              message:
                `shell-form RUN in a shell-less stage (${stage.image}) cannot run; use exec form ` +
                `["${pythonOf(stage, doc, ctx.config)?.interpreter ?? 'python3'}", "-c", "…"] with the packages on PYTHONPATH`,
            });
            continue;
          }
          const kinds = [...new Set(before.map((i) => `--${i.flavour}`))].join('/');
          const uncovered =
            `${call.program} -c imports packages that pip ${kinds} put in ${missing.join(', ')}, ` +
            'which PYTHONPATH does not cover';
          if (!missing.every((p) => PLAIN_PATH.test(p))) {
            // Written into a shell word, a backslash, quote, space or `$` would not stay as it is
            // (and the next run would not see the path covered): say it, do not write it.
            findings.push({
              severity: 'warning',
              offset: segment.start,
              message: `${uncovered}; not prefixed automatically: the path holds characters the shell would change`,
            });
            continue;
          }
          const edit = call.inline
            ? insertAt(call.inline.offset, `${missing.join(':')}:`)
            : insertAt(segment.start, `PYTHONPATH=${missing.join(':')}:$PYTHONPATH `);
          findings.push({
            severity: 'warning',
            offset: segment.start,
            message: `${uncovered}; prefixed PYTHONPATH=${missing.join(':')}:$PYTHONPATH`,
            edits: [edit],
          });
        }
      }
    }
    return findings;
  },
};

/** A path a shell word keeps as written (no quoting, escaping, expansion or separator). */
const PLAIN_PATH = /^[A-Za-z0-9._/+@%,=-]+$/;

function importFinding(f: { from: string; to: string; edit: Edit }): Finding {
  return {
    severity: 'error',
    offset: f.edit.start,
    message: `"import ${f.from}" imports a distribution name, which fails (ModuleNotFoundError); the module is ${f.to}`,
    edits: [f.edit],
  };
}

/** site-packages of the installs (for the interpreter's version when pip's was not known). */
function uniqueSitePackages(installs: PipInstall[], version: string | null): string[] {
  const out: string[] = [];
  for (const i of installs) {
    let sp = i.sitePackages!;
    if (i.version === null && version) sp = sp.replace(/python\d+\.\d+/, `python${version}`);
    if (!out.includes(sp)) out.push(sp);
  }
  return out;
}

export default transform;
