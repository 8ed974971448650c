/**
 * Variables: where each `$X` / `${X}` / `${X:-d}` is used, what declares it (ARG / ENV, global
 * or per stage, BuildKit's automatic args), and whether it is in scope at the point of use.
 *
 * Scope rules (BuildKit): ARGs before the first FROM are visible only to FROM lines; a stage
 * sees an ARG only after its own `ARG X` (which inherits the global default); ENV is
 * inherited through `FROM <stage>`; automatic platform args are global, and need `ARG X`
 * inside a stage.
 */
import type { Instruction, Property } from 'dockerfile-ast';
import type { DockerDoc } from './document.js';
import type { Stage } from './stages.js';

/** BuildKit's automatic platform args: global scope, `ARG X` needed inside a stage. */
export const AUTOMATIC_PLATFORM_ARGS = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
];

/** Predefined args usable without declaration (proxy settings) and BuildKit's own. */
const PREDEFINED_ARGS = new Set([
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'ftp_proxy',
  'no_proxy',
  'all_proxy',
  'SOURCE_DATE_EPOCH',
  'BUILDKIT_SYNTAX',
  'BUILDKIT_INLINE_CACHE',
  'BUILDKIT_MULTI_PLATFORM',
  'BUILDKIT_SANDBOX_HOSTNAME',
  'BUILDKIT_CONTEXT_KEEP_GIT_DIR',
  'TARGETSTAGE',
]);

/** Names a base image or the runtime commonly defines: never treated as undeclared. */
const IMAGE_ENVIRONMENT = new Set([
  'PATH',
  'HOME',
  'HOSTNAME',
  'USER',
  'PWD',
  'SHELL',
  'TERM',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'TZ',
  'UID',
  'GID',
  'PYTHONPATH',
  'PYTHONHOME',
  'VIRTUAL_ENV',
  'GOPATH',
  'GOROOT',
  'GOOS',
  'GOARCH',
  'GOFLAGS',
  'CGO_ENABLED',
  'GOPROXY',
  'NODE_ENV',
  'NPM_CONFIG_PREFIX',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'GPG_KEY',
  'DEBIAN_FRONTEND',
]);

export type VarModifier = ':-' | '-' | ':+' | '+' | ':?' | '?' | null;

export interface VarRef {
  name: string;
  /** Offsets of the whole reference (`$X` or `${X...}`). */
  start: number;
  end: number;
  braced: boolean;
  modifier: VarModifier;
  /** The word after the modifier (`d` in `${X:-d}`), or null. */
  word: string | null;
}

export type ScopeKind =
  'stage-arg' | 'stage-env' | 'inherited-env' | 'global-arg' | 'automatic' | 'predefined' | 'none';

export interface VarUse extends VarRef {
  instruction: Instruction;
  stage: Stage | null;
  /** Expanded by the RUN shell rather than by the Dockerfile frontend. */
  viaShell: boolean;
  scope: ScopeKind;
}

export interface Declaration {
  name: string;
  kind: 'arg' | 'env';
  /** The default / value with quotes and escapes removed, or null for `ARG X`. */
  value: string | null;
  /** The default / value exactly as the source writes it (quotes kept), or null for `ARG X`. */
  raw: string | null;
  instruction: Instruction;
  /** null for a global ARG (before the first FROM). */
  stage: Stage | null;
}

export interface VariableModel {
  declarations: Declaration[];
  uses: VarUse[];
  /** Declared by any ARG or ENV of the file, or automatic / predefined. */
  isDeclaredAnywhere(name: string): boolean;
  /** Commonly provided by base images or the runtime (PATH, HOME, *_VERSION …). */
  isImageEnvironment(name: string): boolean;
  /** The default an ARG has elsewhere, as written: the global one first, then the first stage's. */
  argDefault(name: string): string | null;
}

export function isAutomaticArg(name: string): boolean {
  return AUTOMATIC_PLATFORM_ARGS.includes(name);
}

/**
 * Whether a value as written refers to variables (`$NAME`, `${…}`): such a value means something
 * else once moved to another scope (an ARG default copied into a stage, a build arg passed on the
 * command line).
 */
export function refersToVariables(value: string): boolean {
  return /\$[{A-Za-z_]/.test(value);
}

/** Instructions whose arguments the Dockerfile frontend expands. */
const FRONTEND_EXPANDED = new Set([
  'ADD',
  'COPY',
  'ENV',
  'EXPOSE',
  'FROM',
  'LABEL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
  'ARG',
]);

export function analyseVariables(doc: DockerDoc): VariableModel {
  const model = doc.stages;
  const declarations: Declaration[] = [];
  const uses: VarUse[] = [];

  for (const arg of model.globalArgs) {
    for (const d of declaredBy(doc, arg)) {
      declarations.push(declaration(d, 'arg', arg, null));
    }
  }
  const globalNames = (upTo: number) =>
    new Set(
      declarations
        .filter((d) => d.stage === null && doc.span(d.instruction).start < upTo)
        .map((d) => d.name),
    );

  const envOfStage = new Map<Stage, Set<string>>();
  const hasDollar = dollarFinder(doc.text);
  for (const stage of model.stages) {
    const inherited = new Set<string>();
    for (let b = stage.baseStage; b; b = b.baseStage) {
      for (const n of envOfStage.get(b) ?? []) inherited.add(n);
    }
    const stageArgs = new Set<string>();
    const stageEnv = new Set<string>();
    for (const instr of stage.instructions) {
      const kw = instr.getKeyword();
      // Cheap guard: references start with `$`; most instructions have none.
      const { start, end } = doc.span(instr);
      const mayReference = hasDollar(start, end);
      if (kw === 'FROM') {
        if (!mayReference) continue;
        const visible = globalNames(stage.start);
        for (const ref of referencesIn(doc, instr, false)) {
          const scope: ScopeKind = visible.has(ref.name)
            ? 'global-arg'
            : isAutomaticArg(ref.name)
              ? 'automatic'
              : 'none';
          uses.push(useOf(ref, instr, stage, false, scope));
        }
        continue;
      }
      const viaShell = kw === 'RUN';
      if (mayReference && (FRONTEND_EXPANDED.has(kw) || (viaShell && !isJsonForm(instr)))) {
        const local = viaShell ? shellAssignments(instr.getRawArgumentsContent() ?? '') : null;
        // A RUN of flags only has no arguments range (`RUN --platform=$`).
        const argsRange = instr.getArgumentsRange();
        const argsStart = local && argsRange ? doc.offsetAt(argsRange.start) : 0;
        for (const ref of referencesIn(doc, instr, viaShell)) {
          const assignedFrom = local?.get(ref.name);
          if (assignedFrom !== undefined && ref.start - argsStart >= assignedFrom) continue;
          let scope: ScopeKind = 'none';
          if (stageArgs.has(ref.name)) scope = 'stage-arg';
          else if (stageEnv.has(ref.name)) scope = 'stage-env';
          else if (inherited.has(ref.name)) scope = 'inherited-env';
          else if (PREDEFINED_ARGS.has(ref.name)) scope = 'predefined';
          uses.push(useOf(ref, instr, stage, viaShell, scope));
        }
      }
      if (kw === 'ARG' || kw === 'ENV') {
        for (const d of declaredBy(doc, instr)) {
          declarations.push(declaration(d, kw === 'ARG' ? 'arg' : 'env', instr, stage));
          (kw === 'ARG' ? stageArgs : stageEnv).add(d.name);
        }
      }
    }
    envOfStage.set(stage, new Set([...inherited, ...stageEnv]));
  }

  const declared = new Set(declarations.map((d) => d.name));
  return {
    declarations,
    uses,
    isDeclaredAnywhere: (name) =>
      declared.has(name) || isAutomaticArg(name) || PREDEFINED_ARGS.has(name),
    isImageEnvironment: (name) =>
      IMAGE_ENVIRONMENT.has(name) || /(_HOME|_VERSION|_PATH|PATH)$/.test(name),
    argDefault: (name) => {
      const args = declarations.filter((d) => d.kind === 'arg' && d.name === name);
      const global = args.find((d) => d.stage === null && d.raw !== null);
      return (global ?? args.find((d) => d.raw !== null))?.raw ?? null;
    },
  };
}

// Object literals rather than spreads: these are built for every reference and declaration of
// every file, and a spread copy was a visible cost in profiles. Same fields, same order.
function useOf(
  ref: VarRef,
  instruction: Instruction,
  stage: Stage | null,
  viaShell: boolean,
  scope: ScopeKind,
): VarUse {
  return {
    name: ref.name,
    start: ref.start,
    end: ref.end,
    braced: ref.braced,
    modifier: ref.modifier,
    word: ref.word,
    instruction,
    stage,
    viaShell,
    scope,
  };
}

function declaration(
  d: { name: string; value: string | null; raw: string | null },
  kind: 'arg' | 'env',
  instruction: Instruction,
  stage: Stage | null,
): Declaration {
  return { name: d.name, value: d.value, raw: d.raw, kind, instruction, stage };
}

/**
 * A test of whether `text[start, end)` has a `$` at all (no `$`, no variable reference). Asked for the
 * instructions in text order, so the next `$` after the last place asked is remembered instead
 * of searching (to the end of a file without one) again for every instruction.
 */
export function dollarFinder(text: string): (start: number, end: number) => boolean {
  let searchedFrom = Infinity;
  let next = -1;
  return (start, end) => {
    if (start < searchedFrom || (next !== -1 && next < start)) {
      next = text.indexOf('$', start);
      searchedFrom = start;
    }
    return next !== -1 && next < end;
  };
}

/**
 * The names an ARG or ENV declares, with values. `ARG A B=2 C` declares three ARGs, but
 * dockerfile-ast reads a first name without `=` as `A` with the value `B=2 C` (the ENV
 * `ENV A value` form, which ARG does not have), so such an ARG is split again here.
 */
function declaredBy(
  doc: DockerDoc,
  instr: Instruction,
): { name: string; value: string | null; raw: string | null }[] {
  const out: { name: string; value: string | null; raw: string | null }[] = [];
  for (const p of propertiesOf(instr)) {
    const value = p.getValue();
    if (instr.getKeyword() !== 'ARG' || p.getAssignmentOperator() !== null || value === null) {
      out.push({ name: p.getName(), value, raw: rawValue(doc, p) });
      continue;
    }
    const { start, end } = doc.spanOf(p.getRange());
    for (const token of doc.slice(start, end).match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
      const eq = token.indexOf('=');
      if (eq < 0) {
        out.push({ name: token, value: null, raw: null });
      } else {
        const raw = token.slice(eq + 1);
        out.push({ name: token.slice(0, eq), value: raw.replace(/^(["'])(.*)\1$/s, '$2'), raw });
      }
    }
  }
  return out;
}

/** A property's value as the source writes it (`"1.0 beta"` keeps its quotes). */
function rawValue(doc: DockerDoc, p: Property): string | null {
  const range = p.getValueRange();
  if (!range) return p.getValue() === null ? null : '';
  return doc.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
}

function propertiesOf(instr: Instruction): Property[] {
  const withProps = instr as unknown as { getProperties?: () => Property[] };
  return typeof withProps.getProperties === 'function' ? withProps.getProperties() : [];
}

export function isJsonForm(instr: Instruction): boolean {
  const raw = instr.getRawArgumentsContent() ?? '';
  return /^\s*\[/.test(stripFlags(raw)) && /\]\s*$/.test(raw);
}

function stripFlags(raw: string): string {
  return raw.replace(/^(\s*--\S+)+/, '');
}

/**
 * Names a shell command assigns itself (`X=`, `export X=`, `for X in`, `read X`), each with the
 * offset in `command` from which the shell's own value is in effect. A use before that point
 * (`VERSION=$VERSION ./build`, `make VERSION=$VERSION`, `echo $X; X=1`) still needs the ARG.
 */
function shellAssignments(command: string): Map<string, number> {
  const from = new Map<string, number>();
  const note = (name: string, at: number) => {
    const current = from.get(name);
    if (current === undefined || at < current) from.set(name, at);
  };
  const assign = /(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g;
  for (const m of command.matchAll(assign)) note(m[1], endOfWord(command, m.index + m[0].length));
  for (const m of command.matchAll(/\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g))
    note(m[1], m.index + m[0].length);
  for (const m of command.matchAll(/\bread\s+(?:-\S+\s+)*((?:[A-Za-z_][A-Za-z0-9_]*\s*)+)/g)) {
    for (const n of m[1].split(/\s+/)) if (n) note(n, m.index + m[0].length);
  }
  return from;
}

/** End of the shell word starting at `i` (quotes kept together). */
function endOfWord(s: string, i: number): number {
  let quote: string | null = null;
  for (; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (/[\s;&|)]/.test(c)) {
      break;
    }
  }
  return i;
}

/**
 * Variable references inside an instruction's arguments, skipping escaped `$`, single-quoted
 * text, comment lines inside continuations and heredoc bodies (whose expansion is up to the
 * shell or the delimiter's quoting, so rewriting them is never safe).
 */
export function referencesIn(doc: DockerDoc, instr: Instruction, viaShell: boolean): VarRef[] {
  const argsRange = instr.getArgumentsRange();
  if (!argsRange) return [];
  // From the end of the keyword, not the arguments: flags (`--platform=$P`, `--chown=$U`,
  // `--mount=…,target=$D`) are expanded too, and the arguments range leaves them out.
  const start = doc.offsetAt(instr.getInstructionRange().end);
  let end = doc.offsetAt(argsRange.end);
  const heredocs =
    (
      instr as unknown as {
        getHeredocs?: () => { getStartRange(): { start: { line: number; character: number } } }[];
      }
    ).getHeredocs?.() ?? [];
  const firstBodyLine = heredocs.length
    ? Math.min(...heredocs.map((h) => h.getStartRange().start.line)) + 1
    : Infinity;
  if (firstBodyLine < doc.lineStarts.length) end = Math.min(end, doc.lineStarts[firstBodyLine]);
  const text = doc.text;
  const escape = doc.style.escape;
  const refs: VarRef[] = [];
  let inSingle = false;
  // Inside double quotes a single quote is literal ("it's $X" expands $X).
  let inDouble = false;
  let lineStart = true;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      continue;
    }
    if (lineStart && !inSingle) {
      if (c === ' ' || c === '\t') continue;
      lineStart = false;
      if (c === '#' && i > start) {
        while (i < end && text[i] !== '\n' && text[i] !== '\r') i++;
        i--;
        continue;
      }
    }
    lineStart = false;
    if (inSingle) {
      if (c === "'") inSingle = false;
      continue;
    }
    if (c === escape || (viaShell && c === '\\')) {
      // A line continuation: leave the line break to mark the start of the next line.
      if (text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      continue;
    }
    if (c === '"') {
      inDouble = !inDouble;
      continue;
    }
    if (c === "'" && !inDouble) {
      inSingle = true;
      continue;
    }
    if (c !== '$') continue;
    // `$$` is the shell's process id, never the start of a reference.
    if (text[i + 1] === '$') {
      i++;
      continue;
    }
    const ref = parseReference(text, i, end);
    if (ref) {
      refs.push(ref);
      i = ref.end - 1;
    }
  }
  return refs;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

function parseReference(text: string, at: number, limit: number): VarRef | null {
  if (text[at + 1] === '{') {
    NAME.lastIndex = at + 2;
    const m = NAME.exec(text);
    if (!m) return null;
    let i = at + 2 + m[0].length;
    let modifier: VarModifier = null;
    const two = text.slice(i, i + 2);
    if (two === ':-' || two === ':+' || two === ':?') {
      modifier = two as VarModifier;
      i += 2;
    } else if (text[i] === '-' || text[i] === '+' || text[i] === '?') {
      modifier = text[i] as VarModifier;
      i += 1;
    } else if (text[i] !== '}') {
      return null;
    }
    const wordStart = i;
    let depth = 0;
    for (; i < limit; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (i >= limit) return null;
    return {
      name: m[0],
      start: at,
      end: i + 1,
      braced: true,
      modifier,
      word: modifier ? text.slice(wordStart, i) : null,
    };
  }
  NAME.lastIndex = at + 1;
  const m = NAME.exec(text);
  if (!m || at + 1 + m[0].length > limit) return null;
  return {
    name: m[0],
    start: at,
    end: at + 1 + m[0].length,
    braced: false,
    modifier: null,
    word: null,
  };
}
