/**
 * 20 — The log's "Final Build Verification" and its checklist, as checks on the final text (no
 * edits). Each item is one finding: `[x] item` (info) when it holds, `[ ] item: why` (error, one
 * per problem, at the offending line) when it does not, so `--check` fails on any unchecked item.
 * The text reporter prints them as the log's checklist; `--verify-build` adds a real build.
 *
 * The facts come from the shared model: COPY sources and .dockerignore (model/context-sources),
 * stage roles and `--from` (model/stages), variable scope (model/variables), the app module
 * (model/app) and pip installs (model/python).
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { AstInstruction } from '../src/model/ast.js';
import type { Transform, Finding } from '../src/transform.js';
import type { TransformContext } from '../src/context.js';
import { parseDocument, type DockerDoc } from '../src/model/document.js';
import { stageLabel, type Stage } from '../src/model/stages.js';
import { isJsonForm } from '../src/model/variables.js';
import { contextSources } from '../src/model/context-sources.js';
import { parseCopy, type CopyInstruction } from '../src/model/copy-sources.js';
import { findAppModule } from '../src/model/app.js';
import { pipInstallsOf, workdirAt } from '../src/model/python.js';

export const CHECKLIST = {
  parses: 'Parses without new errors',
  copySources: 'No COPY path errors (sources in the build context, not .dockerignored)',
  fromRefs: 'Every --from names a stage or an image',
  platforms: 'No exec format errors (builders on $BUILDPLATFORM, final stage not pinned)',
  appModule: 'App module reaches the final stage',
  packages: 'Installed packages reach the final stage',
  undefinedVars: 'No undefined variables',
  argScope: 'ARGs used are in scope',
  execForm: 'Exec-form RUN in shell-less stages',
} as const;

export type ChecklistItem = keyof typeof CHECKLIST;

interface Problem {
  offset: number;
  detail: string;
}

/** One checklist item: problems (failed) or a note for the passed line. */
interface ItemResult {
  item: ChecklistItem;
  problems: Problem[];
  note?: string;
}

const transform: Transform = {
  id: '20-final-verification',
  number: 20,
  title: 'Verify the final Dockerfile against the fix log checklist',
  safety: 'safe',
  sources: ['BuildKit UndefinedVar', 'BuildKit InvalidBaseImagePlatform', 'hadolint DL3022'],
  detect(doc, ctx) {
    const results: ItemResult[] = [
      checkParses(doc, ctx),
      checkCopySources(doc, ctx),
      checkFromRefs(doc),
      checkPlatforms(doc),
      checkAppModule(doc, ctx),
      checkPackages(doc, ctx),
      ...checkVariables(doc),
      checkExecForm(doc),
    ];
    const findings: Finding[] = [];
    for (const r of results) {
      const label = CHECKLIST[r.item];
      if (r.problems.length === 0) {
        findings.push({
          severity: 'info',
          offset: 0,
          message: `[x] ${label}${r.note ? ` (${r.note})` : ''}`,
        });
        continue;
      }
      for (const p of r.problems) {
        findings.push({
          severity: 'error',
          offset: p.offset,
          message: `[ ] ${label}: ${p.detail}`,
        });
      }
    }
    return findings;
  },
};

export default transform;

// ---------------------------------------------------------------------------------------------
// Parses without new errors.

const KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

const DIRECTIVE_LINE = /^\s*#\s*(syntax|escape|check)\s*=/i;
const DIRECTIVE_ANYWHERE = /#\s*(?:syntax|escape|check)\s*=/i;

interface SyntaxProblem extends Problem {
  /** What the problem is, without its position: compared against the original file's. */
  key: string;
}

/** Problems that make BuildKit reject the file, or silently read it differently than written. */
export function syntaxProblems(doc: DockerDoc): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const add = (offset: number, detail: string) => out.push({ offset, detail, key: detail });
  const stages = doc.stages.stages;
  if (stages.length === 0) add(0, 'no FROM instruction');
  let seenFrom = false;
  // Exec form needs a "[" and a heredoc a "<" in the instruction's own text (its arguments are
  // slices of it): instructions without one skip those checks.
  const bracket = new CharSearch(doc.text, '[');
  const angle = new CharSearch(doc.text, '<');
  for (const instr of doc.instructions) {
    const kw = instr.getKeyword();
    const range = instr.getRange();
    const start = doc.offsetAt(range.start);
    const word = instr.getInstruction();
    if (kw === 'FROM') seenFrom = true;
    else if (!seenFrom && kw !== 'ARG') add(start, `${word} before the first FROM`);
    if (!KEYWORDS.has(kw)) {
      add(start, `unknown instruction ${word}`);
      continue;
    }
    // getRawArgumentsContent() is null exactly when getArguments() is empty (the library checks
    // that first), and it is kept on the instance: no arguments array is copied per instruction.
    // Most instructions are told apart before that by their first character after the keyword.
    const end = doc.offsetAt(range.end);
    if (!surelyHasArguments(doc, instr, end) && instr.getRawArgumentsContent() === null) {
      add(start, `${word} has no arguments`);
      continue;
    }
    if (kw === 'COPY' || kw === 'ADD') {
      const copy = parseCopy(doc, instr);
      if (copy && !copy.heredoc && copy.sources.length === 0) {
        add(start, `${word} needs a source and a destination`);
      }
    }
    if (
      (kw === 'RUN' || kw === 'CMD' || kw === 'ENTRYPOINT' || kw === 'SHELL') &&
      bracket.within(start, end)
    ) {
      const raw = (instr.getRawArgumentsContent() ?? '').replace(/^(\s*--\S+)+/, '').trim();
      const joined = raw.replace(/\\[ \t]*(\r\n|\r|\n)|`[ \t]*(\r\n|\r|\n)/g, '');
      if (/^\[\s*"/.test(joined) && !isStringArray(joined)) {
        add(start, `${word} looks like exec form but is not a JSON array of strings`);
      }
    }
    if (!angle.within(start, end)) continue;
    const heredocs =
      (
        instr as unknown as {
          getHeredocs?: () => { getDelimiterRange(): unknown; getName(): string }[];
        }
      ).getHeredocs?.() ?? [];
    for (const h of heredocs) {
      if (!h.getDelimiterRange()) add(start, `heredoc <<${h.getName()} is never terminated`);
    }
  }
  // A directive that is no longer in the directive block is only a comment. A comment line that
  // spells one also matches DIRECTIVE_ANYWHERE in the whole text: a text without it has none.
  if (DIRECTIVE_ANYWHERE.test(doc.text)) {
    const directives = new Set(doc.ast.getDirectives().map((d) => d.getRange().start.line));
    for (const c of doc.ast.getComments()) {
      const line = c.getRange().start.line;
      const m = DIRECTIVE_LINE.exec(doc.lineText(line));
      if (m && !directives.has(line)) {
        add(doc.lineStarts[line], `"# ${m[1].toLowerCase()}=" is not at the top: it is a comment`);
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

const plainGetArguments = AstInstruction.prototype.getArguments;

/**
 * Whether getArguments() is surely not empty, told without dockerfile-ast's argument scan (ARG,
 * ENV, WORKDIR, USER: no transform before 20 scans them). For an instruction whose getArguments
 * is the plain scan (no flags taken off), the scan starts an argument at the first character
 * after the keyword that is not a blank or line break, unless it is an escape character (`\\`
 * or `` ` ``, the only ones the parser uses). False means "not known": the caller asks the library.
 */
function surelyHasArguments(doc: DockerDoc, instr: Instruction, end: number): boolean {
  if (instr.getArguments !== plainGetArguments) return false;
  const text = doc.text;
  for (let i = doc.offsetAt(instr.getInstructionRange().end); i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10) continue;
    return c !== 92 && c !== 96;
  }
  return false;
}

/** Whether a character occurs in ranges of a text, asked in (mostly) increasing order. */
class CharSearch {
  /** The first occurrence at or after `from`, or -1. */
  private at: number;
  private from = 0;
  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {
    this.at = text.indexOf(char);
  }

  within(start: number, end: number): boolean {
    if (start < this.from || (this.at !== -1 && this.at < start)) {
      this.from = start;
      this.at = this.text.indexOf(this.char, start);
    }
    return this.at !== -1 && this.at < end;
  }
}

function isStringArray(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

function checkParses(doc: DockerDoc, ctx: TransformContext): ItemResult {
  const problems = syntaxProblems(doc);
  // Nothing to compare: no problem is new, and none is counted as already in the original.
  if (problems.length === 0) return { item: 'parses', problems };
  // Problems the original already had are not new. The runner's context carries the text it
  // read; only a caller without it (a library user) makes this read the file again.
  const originalText =
    ctx.originalText ?? (ctx.dockerfilePath ? ctx.fs.readText(ctx.dockerfilePath) : null);
  if (originalText === null || originalText === doc.text) {
    return { item: 'parses', problems };
  }
  const before = new Map<string, number>();
  const original =
    ctx.originalDoc?.text === originalText ? ctx.originalDoc : parseDocument(originalText);
  for (const p of syntaxProblems(original)) {
    before.set(p.key, (before.get(p.key) ?? 0) + 1);
  }
  const fresh: Problem[] = [];
  let old = 0;
  for (const p of problems) {
    const n = before.get(p.key) ?? 0;
    if (n > 0) {
      before.set(p.key, n - 1);
      old++;
    } else fresh.push(p);
  }
  return {
    item: 'parses',
    problems: fresh,
    note: old ? `${old} problem${old === 1 ? '' : 's'} already in the original` : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// COPY sources, --from references, platforms.

function checkCopySources(doc: DockerDoc, ctx: TransformContext): ItemResult {
  const { checks, dockerignore } = contextSources(doc, ctx);
  const problems: Problem[] = [];
  const ignoreName = path.basename(dockerignore.file ?? '.dockerignore');
  for (const c of checks) {
    const kw = c.copy.instruction.getInstruction();
    if (c.status === 'missing') {
      problems.push({
        offset: c.source.start,
        detail: `${kw} source "${c.source.value}" does not exist in the build context${c.note ? ` (${c.note})` : ''}`,
      });
    } else if (c.status === 'rebase') {
      problems.push({
        offset: c.source.start,
        detail: `${kw} source "${c.source.value}" is not in the build context (it is "${c.rootPath}" from the context root)`,
      });
    } else if (c.ignored) {
      problems.push({
        offset: c.source.start,
        detail: `${kw} source "${c.source.value}" is excluded by ${ignoreName}`,
      });
    }
  }
  const note = checks.length === 0 ? 'no build-context sources to check' : undefined;
  return { item: 'copySources', problems, note };
}

/** An image reference can be told from a stage name by a registry, a tag or a digest. */
function looksLikeImage(ref: string): boolean {
  return /[/:@]/.test(ref) || ref === 'scratch';
}

function checkFromRefs(doc: DockerDoc): ItemResult {
  const problems: Problem[] = [];
  const model = doc.stages;
  for (const stage of model.stages) {
    // The stage model already holds fromReferences() of each of the stage's instructions, in order.
    for (const { value, instruction: instr } of stage.copiesFrom) {
      if (value.includes('$')) continue;
      if (model.resolve(value, stage.index)) continue;
      const offset = doc.span(instr).start;
      const later = model.stages.find(
        (s) =>
          s.index >= stage.index &&
          (s.name?.toLowerCase() === value.toLowerCase() || String(s.index) === value),
      );
      if (later) {
        problems.push({
          offset,
          detail: `--from=${value} names ${stage === later ? 'its own stage' : 'a later stage'}; only earlier stages can be copied from`,
        });
      } else if (/^\d+$/.test(value)) {
        problems.push({
          offset,
          detail: `--from=${value}: there is no stage #${value} before it`,
        });
      } else if (!looksLikeImage(value)) {
        problems.push({
          offset,
          detail: `--from=${value} names no stage; as an image it would be pulled as docker.io/library/${value}:latest (write name:tag if an image is meant)`,
        });
      }
    }
  }
  return { item: 'fromRefs', problems };
}

function checkPlatforms(doc: DockerDoc): ItemResult {
  const problems: Problem[] = [];
  for (const stage of doc.stages.stages) {
    const p = stage.platform;
    if (!p) continue;
    if (stage.role === 'builder' && /\$\{?TARGETPLATFORM\b/.test(p.value)) {
      problems.push({
        offset: p.start,
        detail: `builder stage ${stageLabel(stage)} runs on --platform=${p.value}: under emulation or "exec format error" when the target is another architecture; use $BUILDPLATFORM`,
      });
    }
    if (stage.role === 'final' && !p.value.includes('$') && p.value.trim() !== '') {
      problems.push({
        offset: p.start,
        detail: `the final stage is pinned to --platform=${p.value}: builds for any other platform get this architecture`,
      });
    }
  }
  return { item: 'platforms', problems };
}

// ---------------------------------------------------------------------------------------------
// What reaches the final stage.

/** The stages from the root base to `stage`. */
function chainOf(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.baseStage) chain.unshift(s);
  return chain;
}

function isUnder(p: string, dir: string): boolean {
  return dir === '/' ? p.startsWith('/') : p === dir || p.startsWith(`${dir}/`);
}

interface Provider {
  copy: CopyInstruction;
  /** Where the copy puts the source (absolute, no trailing slash). */
  dest: string;
  /** The path inside the copy's source that becomes `target` ('' when the source is it). */
  inner: string;
  /** The copy source value (the one that can hold the target). */
  source: string;
}

/**
 * The COPY/ADD instructions of a stage (and its bases) that may put something at `target`: the
 * destination is `target` or one of its folders. The source's own name is kept when the
 * destination ends in `/` and the source is not a folder's contents.
 */
function providersOf(doc: DockerDoc, stage: Stage, target: string): Provider[] {
  const out: Provider[] = [];
  for (const s of chainOf(stage)) {
    for (const instr of s.instructions) {
      const copy = parseCopy(doc, instr);
      if (!copy || !copy.dest || copy.heredoc) continue;
      const destRaw = copy.dest.value;
      // An absolute destination resolves to itself whatever the WORKDIR: only look it up otherwise.
      const workdir = destRaw.startsWith('/') ? '/' : workdirAt(doc, s, instr);
      const dest = path.posix.resolve(workdir, destRaw).replace(/(.)\/+$/, '$1');
      for (const src of copy.sources) {
        if (src.remote) continue;
        const base = path.posix.basename(src.value.replace(/\/+$/, ''));
        // `COPY a/pkg /app/` puts a file `pkg` in /app/pkg; a folder's contents go into /app.
        const candidates = [dest];
        if (destRaw.endsWith('/') && base && base !== '.') candidates.push(`${dest}/${base}`);
        for (const d of candidates) {
          if (isUnder(target, d)) {
            out.push({
              copy,
              dest: d,
              inner: target === d ? '' : target.slice(d === '/' ? 1 : d.length + 1),
              source: src.value,
            });
          }
        }
      }
    }
  }
  return out;
}

/**
 * Whether `target` (absolute) exists in `stage` after its COPY/ADD instructions: from the build
 * context (checked on disk), or from another stage (followed, a few levels deep). A stage built
 * on an outside image, or creating files with RUN, cannot be proven: `null` (unknown).
 */
function reaches(
  doc: DockerDoc,
  ctx: TransformContext,
  stage: Stage,
  target: string,
  depth = 0,
): boolean | null {
  if (depth > 6) return null;
  let unknown = false;
  for (const p of providersOf(doc, stage, target)) {
    if (p.copy.from === null) {
      if (p.source.includes('$') || /[*?[]/.test(p.source)) {
        unknown = true;
        continue;
      }
      const rel = path.posix.join(p.source.replace(/^\/+/, ''), p.inner);
      const abs = path.join(ctx.contextRoot, rel);
      if (ctx.fs.exists(abs) || ctx.fs.exists(`${abs}.py`)) return true;
      continue;
    }
    const from = doc.stages.resolve(p.copy.from, stage.index);
    if (!from) {
      unknown = true; // an outside image: its content is not known here
      continue;
    }
    const inside = path.posix.join(path.posix.resolve(workdirAt(doc, from), p.source), p.inner);
    const r = reaches(doc, ctx, from, inside, depth + 1);
    if (r === true) return true;
    if (r === null) unknown = true;
  }
  if (unknown) return null;
  // Files a RUN creates (git clone, pip install, code generation) cannot be followed.
  const runs = chainOf(stage).some((s) => s.instructions.some((i) => i.getKeyword() === 'RUN'));
  return runs && stage.role !== 'final' ? null : false;
}

function checkAppModule(doc: DockerDoc, ctx: TransformContext): ItemResult {
  const app = findAppModule(doc);
  const final = doc.stages.final;
  if (!app || !final) {
    return { item: 'appModule', problems: [], note: 'no Python app module in ENTRYPOINT/CMD' };
  }
  const found = reaches(doc, ctx, final, app.packagePath);
  if (found !== false) {
    return {
      item: 'appModule',
      problems: [],
      note: `${app.module} at ${app.packagePath}${found === null ? ', not provable from the Dockerfile' : ''}`,
    };
  }
  return {
    item: 'appModule',
    problems: [
      {
        offset: doc.span(app.instruction).start,
        detail: `${app.module} is started from ${app.packagePath}, but no COPY puts it in the final stage (ModuleNotFoundError: No module named '${app.package}')`,
      },
    ],
  };
}

/** COPY/ADD instructions of `chain` with a `--from`, in order, and the stage each resolves to. */
function copiesFromStages(
  doc: DockerDoc,
  chain: Stage[],
): { copy: CopyInstruction; from: Stage | null }[] {
  const out: { copy: CopyInstruction; from: Stage | null }[] = [];
  for (const s of chain) {
    for (const instr of s.instructions) {
      const copy = parseCopy(doc, instr);
      if (!copy || copy.from === null) continue;
      out.push({ copy, from: doc.stages.resolve(copy.from, s.index) });
    }
  }
  return out;
}

function checkPackages(doc: DockerDoc, ctx: TransformContext): ItemResult {
  const final = doc.stages.final;
  if (!final) return { item: 'packages', problems: [] };
  const problems: Problem[] = [];
  const finalChain = chainOf(final);
  let checked = 0;
  // The final chain's copies from another stage, with the stage each names: listed once, at the
  // first install to check (most files have none), instead of once per install.
  let fromCopies: { copy: CopyInstruction; from: Stage | null }[] | undefined;
  for (const stage of doc.stages.stages) {
    if (finalChain.includes(stage) || stage.role !== 'builder') continue;
    for (const install of pipInstallsOf(doc, stage, ctx.config)) {
      const where = install.sitePackages ?? install.root;
      if (!where || where.includes('$') || install.flavour === 'system') continue;
      checked++;
      fromCopies ??= copiesFromStages(doc, finalChain);
      // A copy from this stage of the site-packages, a folder above it, or something in it.
      const copied = fromCopies.some(
        ({ copy, from }) =>
          from === stage &&
          copy.sources.some((src) => {
            const abs = path.posix
              .resolve(workdirAt(doc, stage), src.value)
              .replace(/(.)\/+$/, '$1');
            return isUnder(where, abs) || isUnder(abs, where);
          }),
      );
      if (!copied) {
        problems.push({
          offset: doc.span(install.instruction).start,
          detail: `packages installed in ${stageLabel(stage)} into ${where} are never copied into the final stage (ModuleNotFoundError at run time)`,
        });
      }
    }
  }
  const note = checked === 0 ? 'no pip installs in builder stages' : undefined;
  return { item: 'packages', problems, note };
}

// ---------------------------------------------------------------------------------------------
// Variables and exec form.

function checkVariables(doc: DockerDoc): ItemResult[] {
  const vars = doc.variables;
  const undefinedVars: Problem[] = [];
  const outOfScope: Problem[] = [];
  let args: Set<string> | undefined; // built at the first use out of scope (most files have none)
  for (const use of vars.uses) {
    if (use.scope !== 'none') continue;
    args ??= new Set(vars.declarations.filter((d) => d.kind === 'arg').map((d) => d.name));
    const kw = use.instruction.getKeyword();
    if (kw === 'FROM') {
      if (!vars.isDeclaredAnywhere(use.name)) {
        undefinedVars.push({
          offset: use.start,
          detail: `$${use.name} in FROM is declared by no ARG before the first FROM`,
        });
      } else {
        outOfScope.push({
          offset: use.start,
          detail: `$${use.name} in FROM needs an ARG before the first FROM`,
        });
      }
      continue;
    }
    if (args.has(use.name) || /^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$/.test(use.name)) {
      const stage = use.stage ? stageLabel(use.stage) : 'the global scope';
      outOfScope.push({
        offset: use.start,
        detail: `$${use.name} is used in stage ${stage} without an ARG ${use.name} in that stage: it expands to an empty string`,
      });
      continue;
    }
    if (use.viaShell || use.modifier !== null) continue;
    if (vars.isDeclaredAnywhere(use.name) || vars.isImageEnvironment(use.name)) continue;
    undefinedVars.push({
      offset: use.start,
      detail: `$${use.name} is declared nowhere (no ARG, no ENV) and expands to an empty string`,
    });
  }
  return [
    { item: 'undefinedVars', problems: undefinedVars },
    { item: 'argScope', problems: outOfScope },
  ];
}

function checkExecForm(doc: DockerDoc): ItemResult {
  const problems: Problem[] = [];
  let shellless = 0;
  for (const stage of doc.stages.stages) {
    if (!stage.shellless) continue;
    shellless++;
    for (const instr of stage.instructions) {
      if (instr.getKeyword() !== 'RUN' || isJsonForm(instr)) continue;
      problems.push({
        offset: doc.span(instr).start,
        detail: `RUN in shell-less stage ${stageLabel(stage)} is in shell form: there is no /bin/sh to run it`,
      });
    }
  }
  return {
    item: 'execForm',
    problems,
    note: shellless === 0 ? 'no shell-less stages' : undefined,
  };
}
