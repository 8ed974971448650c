/**
 * The Python model (SPEC §3): which interpreter a stage has, where each `pip install` puts its
 * packages and scripts, the effective user and home at an instruction, the requirements read
 * from the build context mapped to import names, and the exec-form RUN text for a Python check.
 *
 * Facts (measured on the images): distroless `python3-debian12` → /usr/bin/python3.11,
 * `python3-debian11` → /usr/bin/python3.9; official `python:X.Y…` → /usr/local/bin/python3;
 * `pip install --user` as root → /root/.local/lib/pythonX.Y/site-packages and /root/.local/bin.
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { danglingContinuation } from './instructions.js';
import type { DockerDoc } from './document.js';
import type { Stage } from './stages.js';
import type { TransformContext } from '../context.js';
import type { ResolvedConfig } from '../config.js';
import { isJsonForm, type Declaration } from './variables.js';
import {
  markerRunsOf,
  resolveIn,
  shellSegments,
  shellWords,
  workdirBefore,
  type ShellSegment,
} from './markers.js';
import { findAppModule } from './app.js';
import { parseCopy } from './copy-sources.js';
import { ParseCache, ParseMemo } from './parse-cache.js';

/** A fresh copy of a memoised PythonInfo (callers get their own object, as before memoising). */
function copyInfo(info: PythonInfo | null): PythonInfo | null {
  return info ? { ...info } : null;
}

/**
 * The entries of a `:`-separated path list (PYTHONPATH, PATH) that are known paths, absolute
 * (relative ones resolved against `cwd`), without trailing slashes. `:` inside `${X:-d}` does not
 * split; entries that still hold a variable are left out (their value is unknown).
 */
export function pathListEntries(value: string, cwd = '/'): string[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '$' && value[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts
    .filter((p) => p && !p.includes('$'))
    .map((p) => path.posix.resolve(cwd, p).replace(/(.)\/+$/, '$1'));
}

/** A shell-form COPY word without its surrounding quotes (`"/srv/it's"` → `/srv/it's`). */
export function unquote(word: string): string {
  const m = /^"(.*)"$|^'(.*)'$/.exec(word);
  return m ? (m[1] ?? m[2]) : word;
}

/** The WORKDIR in force before `at` (end of the stage when omitted); `/` when unknown. */
export function workdirAt(doc: DockerDoc, stage: Stage, at?: Instruction): string {
  // workdirBefore answers from one pass per stage and parse (markers.ts).
  return workdirBefore(doc, stage, at ?? null) ?? '/';
}

// ---------------------------------------------------------------------------------------------
// Interpreters.

export interface PythonInfo {
  /** Absolute path of the interpreter in the image (`/usr/bin/python3.11`). */
  interpreter: string;
  /** `X.Y`, or null when the image does not pin it (`python:3`, `python:latest`). */
  version: string | null;
  /** Where the answer came from. */
  source: 'distroless' | 'official' | 'chainguard' | 'config' | 'system';
}

/** Distroless python3 images by Debian release: the interpreter they ship. */
const DISTROLESS_PYTHON: Record<string, string> = { '11': '3.9', '12': '3.11', '13': '3.13' };

/** Official image names (`python`, `docker.io/library/python`, mirrors of library/python). */
const OFFICIAL_PYTHON =
  /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io|mirror\.gcr\.io|public\.ecr\.aws\/docker)\/)?(?:library\/)?python$/;

/** Split `registry/name:tag@digest` into the name and the tag. */
function splitImage(image: string): { name: string; tag: string } {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return { name: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) };
  return { name: noDigest, tag: '' };
}

/** `$X` / `${X}` / `${X:-d}` in an image reference, from the global ARG defaults. */
function expandImage(doc: DockerDoc | undefined, image: string): string {
  if (!doc || !image.includes('$')) return image;
  return image.replace(
    /\$\{([A-Za-z_]\w*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_]\w*)/g,
    (_m, braced: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const value = doc.variables.argDefault(name);
      return (value ?? word ?? '').replace(/^["']|["']$/g, '');
    },
  );
}

/** The interpreter an image reference ships, or null when it is not a Python image. */
export function pythonOfImage(image: string, config?: ResolvedConfig): PythonInfo | null {
  const ref = image.trim().toLowerCase();
  const { name, tag } = splitImage(ref);
  for (const [key, interpreter] of Object.entries(config?.pythonInterpreters ?? {})) {
    const k = key.toLowerCase();
    if (k === ref || k === name || (k.endsWith('*') && ref.startsWith(k.slice(0, -1)))) {
      return { interpreter, version: versionInPath(interpreter), source: 'config' };
    }
  }
  const distroless = /(?:^|\/)distroless\/python3(?:-debian(\d+))?$/.exec(name);
  if (distroless) {
    const version = distroless[1] ? (DISTROLESS_PYTHON[distroless[1]] ?? null) : null;
    return {
      interpreter: version ? `/usr/bin/python${version}` : '/usr/bin/python3',
      version,
      source: 'distroless',
    };
  }
  if (OFFICIAL_PYTHON.test(name)) {
    const m = /^(\d+)\.(\d+)/.exec(tag);
    return {
      interpreter: '/usr/local/bin/python3',
      version: m ? `${m[1]}.${m[2]}` : null,
      source: 'official',
    };
  }
  if (/^cgr\.dev\/[^/]+\/python$/.test(name)) {
    const m = /^(\d+)\.(\d+)/.exec(tag);
    return {
      interpreter: '/usr/bin/python',
      version: m ? `${m[1]}.${m[2]}` : null,
      source: 'chainguard',
    };
  }
  return null;
}

/** `X.Y` in a path such as `/usr/bin/python3.11` or `…/lib/python3.12/site-packages`. */
export function versionInPath(p: string): string | null {
  const m = /python(\d+\.\d+)/.exec(p);
  return m ? m[1] : null;
}

const SYSTEM_PYTHON_INSTALL =
  /\b(?:apt-get|apt|apk|dnf|yum|microdnf)\s+(?:-\S+\s+)*(?:install|add)\b[^&;|]*\bpython3?\b/;

/**
 * The interpreter of a stage: its image's, following `FROM <stage>`; for a Debian/Alpine-like
 * stage that installs `python3` with its package manager, `/usr/bin/python3` (version unknown).
 */
export function pythonOf(
  stage: Stage,
  doc?: DockerDoc,
  config?: ResolvedConfig,
): PythonInfo | null {
  // Asked for every stage by most transforms: remember it per stage (and document, config).
  // A stage belongs to one parse: keyed by the stage and the config.
  if (!doc) return scanPythonOf(stage, doc, config);
  return copyInfo(pythonOfMemo.get(stage, config, () => scanPythonOf(stage, doc, config)));
}

const pythonOfMemo = new ParseMemo<Stage, PythonInfo | null>();

function scanPythonOf(stage: Stage, doc?: DockerDoc, config?: ResolvedConfig): PythonInfo | null {
  const seen = new Set<Stage>();
  for (let s: Stage | null = stage; s && !seen.has(s); s = s.baseStage) {
    seen.add(s);
    if (!s.baseStage) {
      const found = pythonOfImage(expandImage(doc, s.image), config);
      if (found) return found;
    }
  }
  // The package-manager pattern names `python`: a file that never writes it installs none.
  if (doc && doc.text.includes('python')) {
    for (const s of seen) {
      for (const instr of s.instructions) {
        if (instr.getKeyword() !== 'RUN') continue;
        if (SYSTEM_PYTHON_INSTALL.test(instr.getRawArgumentsContent() ?? '')) {
          return { interpreter: '/usr/bin/python3', version: null, source: 'system' };
        }
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Users, homes and ENV in force at an instruction.

/** Stages from the root base to `stage`. */
function chainOf(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.baseStage) chain.unshift(s);
  return chain;
}

/** ENV values in force just before `at` (end of the stage when omitted), inherited through FROM. */
export function envAt(doc: DockerDoc, stage: Stage, at?: Instruction): Map<string, string> {
  return new Map(timelineAt(envTimeline(doc, stage), at));
}

/**
 * A fact in force before each instruction of a stage and at its end, inherited through
 * `FROM <stage>` (ENV, USER). Computed in one pass per stage: callers ask per RUN.
 */
interface Timeline<T> {
  stage: Stage;
  before: Map<Instruction, T>;
  end: T;
  base: Timeline<T> | null;
}

/** The value before `at` when `at` is in the stage or a base stage, else at the end of the stage. */
function timelineAt<T>(timeline: Timeline<T>, at: Instruction | undefined): T {
  if (at) {
    for (let t: Timeline<T> | null = timeline; t; t = t.base) {
      if (t.before.has(at)) return t.before.get(at)!;
    }
  }
  return timeline.end;
}

/** ENV snapshots of a stage (shared between instructions until the next ENV changes one). */
function envTimeline(doc: DockerDoc, stage: Stage): Timeline<Map<string, string>> {
  return envTimelines.get(stage, doc, () => {
    const base = stage.baseStage ? envTimeline(doc, stage.baseStage) : null;
    let env = base ? base.end : new Map<string, string>();
    const before = new Map<Instruction, Map<string, string>>();
    for (const instr of stage.instructions) {
      before.set(instr, env);
      if (instr.getKeyword() !== 'ENV') continue;
      let next: Map<string, string> | null = null;
      for (const d of declarationsOf(doc, instr)) {
        if (d.value === null) continue;
        next ??= new Map(env);
        next.set(d.name, expandEnv(d.value, next));
      }
      if (next) env = next;
    }
    return { stage, before, end: env, base };
  });
}

const envTimelines = new ParseMemo<Stage, Timeline<Map<string, string>>>();

/** The declarations an instruction makes, in order (indexed once per parse: envAt runs per RUN). */
function declarationsOf(doc: DockerDoc, instr: Instruction): Declaration[] {
  const model = doc.variables;
  let index = declarationIndex.get(model);
  if (!index) {
    index = new Map();
    for (const d of model.declarations) {
      const list = index.get(d.instruction);
      if (list) list.push(d);
      else index.set(d.instruction, [d]);
    }
    declarationIndex.set(model, index);
  }
  return index.get(instr) ?? [];
}

const declarationIndex = new ParseCache<object, Map<Instruction, Declaration[]>>();

/** `$X` / `${X}` in an ENV value, from the ENV seen so far (unknown ones are kept as written). */
function expandEnv(value: string, env: Map<string, string>): string {
  return value.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (m, a?: string, b?: string) => {
    const v = env.get((a ?? b)!);
    return v === undefined ? m : v;
  });
}

/** Default user of an image: distroless `:nonroot` tags and Chainguard images run as nonroot. */
function imageDefaultUser(image: string): string {
  const { name, tag } = splitImage(image.toLowerCase());
  if (/(?:^|\/)distroless\//.test(name) && /(^|-)nonroot$/.test(tag)) return 'nonroot';
  if (/^cgr\.dev\//.test(name) && !/-dev$/.test(tag)) return 'nonroot';
  return 'root';
}

/** The user (as written: name, uid or `uid:gid`) RUN runs as at `at` (end of the stage when omitted). */
export function userAt(doc: DockerDoc, stage: Stage, at?: Instruction): string {
  return timelineAt(userTimeline(doc, stage), at);
}

function userTimeline(doc: DockerDoc, stage: Stage): Timeline<string> {
  return userTimelines.get(stage, doc, () => {
    const base = stage.baseStage ? userTimeline(doc, stage.baseStage) : null;
    // The root of the chain starts with its image's default user.
    let user = base ? base.end : imageDefaultUser(expandImage(doc, stage.image));
    const before = new Map<Instruction, string>();
    for (const instr of stage.instructions) {
      before.set(instr, user);
      if (instr.getKeyword() === 'USER') {
        const v = (instr.getRawArgumentsContent() ?? '').trim();
        if (v) user = v;
      }
    }
    return { stage, before, end: user, base };
  });
}

const userTimelines = new ParseMemo<Stage, Timeline<string>>();

/** The USER instruction in force at the end of a stage (its own or a base stage's), or null. */
export function lastUserInstruction(stage: Stage): Instruction | null {
  return lastUserMemo.get(stage, undefined, () => {
    let found: Instruction | null = null;
    for (const s of chainOf(stage)) {
      for (const instr of s.instructions) if (instr.getKeyword() === 'USER') found = instr;
    }
    return found;
  });
}

const lastUserMemo = new ParseMemo<Stage, Instruction | null>();

/** True for root written as a name or a uid (`root`, `0`, `0:0`, `root:root`). */
export function isRootUser(user: string): boolean {
  const u = user.split(':')[0];
  return u === 'root' || u === '0';
}

/** Home directory of a user as the image will resolve it (null when it cannot be known). */
export function homeOf(user: string, env?: Map<string, string>): string | null {
  const home = env?.get('HOME');
  if (home && !home.includes('$')) return home;
  const u = user.split(':')[0];
  if (u === 'root' || u === '0') return '/root';
  if (u === 'nonroot' || u === '65532') return '/home/nonroot';
  if (/^[a-z_][a-z0-9_-]*\$?$/i.test(u)) return `/home/${u}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// pip installs.

export type PipFlavour = 'user' | 'target' | 'prefix' | 'venv' | 'system';

export interface PipInstall {
  /** The RUN holding the install. */
  instruction: Instruction;
  stage: Stage;
  /** The simple command of the install (offsets in the document). */
  segment: ShellSegment | null;
  flavour: PipFlavour;
  /** The user the RUN runs as (as written), `root` when no USER. */
  user: string;
  /** The interpreter version the install is for (from the pip program or the stage), or null. */
  version: string | null;
  /** User base (`/root/.local`), target dir, prefix, venv dir, or the system prefix. */
  root: string | null;
  /** Where the packages go, or null when it cannot be known (e.g. unknown Python version). */
  sitePackages: string | null;
  /** Where console scripts go, or null. */
  scripts: string | null;
  /** `-r` / `--requirement` files, absolute paths in the image. */
  requirementFiles: string[];
  /** Requirement specifiers named on the command line (`grpcio==1.60`, `.`). */
  packages: string[];
}

/** Options of `pip install` that take a separate value. */
const PIP_VALUE_OPTS = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--trusted-host',
  '--cache-dir',
  '--src',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--only-binary',
  '--no-binary',
  '--upgrade-strategy',
  '--progress-bar',
  '--log',
  '--timeout',
  '--retries',
  '--proxy',
  '--global-option',
  '--config-settings',
  '-C',
  '--report',
  '--python',
]);

const PIP_PROGRAM = /^(?:.*\/)?pip(\d+(\.\d+)?)?$/;
const PYTHON_PROGRAM = /^(?:.*\/)?python(\d+(\.\d+)?)?$/;

interface PipCommand {
  program: string;
  /** Words after `install`. */
  args: string[];
  /** `VAR=value` assignments before the command. */
  assigns: Map<string, string>;
}

/** `pip install …`, `python -m pip install …`, `/opt/venv/bin/pip install …`, `uv pip install …`. */
function parsePipCommand(words: string[]): PipCommand | null {
  const w = [...words];
  const assigns = new Map<string, string>();
  while (w.length && /^[A-Za-z_]\w*=/.test(w[0])) {
    const [k, ...v] = w.shift()!.split('=');
    assigns.set(k, v.join('='));
  }
  while (w.length && (w[0] === 'exec' || w[0] === 'sudo' || w[0] === 'env')) w.shift();
  if (w.length < 2) return null;
  let program = w[0];
  let rest: string[];
  if (PIP_PROGRAM.test(program)) rest = w.slice(1);
  else if (PYTHON_PROGRAM.test(program)) {
    const m = w.indexOf('-m');
    if (m < 0 || w[m + 1] !== 'pip') return null;
    rest = w.slice(m + 2);
  } else if (program === 'uv' && w[1] === 'pip') {
    program = 'uv';
    rest = w.slice(2);
  } else return null;
  // Global options before the subcommand (`pip --no-cache-dir install`).
  while (rest.length && rest[0].startsWith('-')) rest = rest.slice(1);
  if (rest[0] !== 'install') return null;
  return { program, args: rest.slice(1), assigns };
}

function optionValue(
  args: string[],
  i: number,
): { name: string; value: string | null; skip: number } {
  const a = args[i];
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq > 0)
    return { name: a.slice(0, eq), value: a.slice(eq + 1), skip: 0 };
  if (/^-[A-Za-z]./.test(a) && !a.startsWith('--') && PIP_VALUE_OPTS.has(a.slice(0, 2))) {
    return { name: a.slice(0, 2), value: a.slice(2), skip: 0 };
  }
  if (PIP_VALUE_OPTS.has(a)) return { name: a, value: args[i + 1] ?? null, skip: 1 };
  return { name: a, value: null, skip: 0 };
}

/** Virtualenvs a stage creates (`python -m venv X`, `virtualenv X`, `uv venv X`), absolute paths. */
function venvsOf(doc: DockerDoc, stage: Stage): string[] {
  const out: string[] = [];
  for (const s of chainOf(stage)) out.push(...ownVenvs(doc, s));
  return out;
}

/** The virtualenvs a stage's own RUNs create (remembered: several installs and checks ask). */
function ownVenvs(doc: DockerDoc, s: Stage): string[] {
  return venvMemo.get(s, doc, () => {
    const out: string[] = [];
    for (const instr of s.instructions) {
      if (instr.getKeyword() !== 'RUN' || !runMayHaveWord(doc, instr, 'venv')) continue;
      for (const seg of shellSegments(doc, instr)) {
        // Each form below needs a word `venv` / `virtualenv`.
        if (!mayHaveWordWith(seg.text, 'venv')) continue;
        const w = shellWords(seg.text);
        let i = -1;
        if (
          PYTHON_PROGRAM.test(w[0] ?? '') &&
          w[1] === '-m' &&
          (w[2] === 'venv' || w[2] === 'virtualenv')
        )
          i = 3;
        else if (w[0] === 'virtualenv') i = 1;
        else if (w[0] === 'uv' && w[1] === 'venv') i = 2;
        if (i < 0) continue;
        const dir = w.slice(i).find((a) => !a.startsWith('-'));
        if (dir) out.push(path.posix.resolve(workdirAt(doc, s, instr), dir));
      }
    }
    return out;
  });
}

const venvMemo = new ParseMemo<Stage, string[]>();

/**
 * Whether a shell word of `text` (see shellWords) can contain `needle`: without quotes or
 * backslashes every word is a piece of the text as written, so the text must contain it.
 */
export function mayHaveWordWith(text: string, needle: string): boolean {
  return text.includes(needle) || hasQuoteOrEscape(text);
}

/**
 * Whether a shell word of some simple command of a RUN (see shellSegments) can contain
 * `needle` (letters only). The segments are pieces of the RUN's text, joined at line
 * continuations with a space (never glued), and shellWords only drops quotes and escapes: with
 * those removed, the RUN's text must contain the needle. Cheaper than splitting the RUN.
 */
export function runMayHaveWord(doc: DockerDoc, instr: Instruction, needle: string): boolean {
  // The RUN's text is a piece of the file's, so a file without the needle (most Go and Node
  // files for `pip`) is answered once for all its RUNs.
  if (!fileMayHaveWord(doc, needle)) return false;
  const { start, end } = doc.span(instr);
  // The needle within [start, end) of the text: the first of its places in the file at or after
  // `start` (a search from `start` itself would run on past `end` for every RUN without it).
  const places = needlePlaces.get(doc, needle, () => placesOf(doc.text, needle));
  let lo = 0;
  let hi = places.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (places[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  if (lo < places.length && places[lo] + needle.length <= end) return true;
  return containsSkippingQuotes(doc.text, needle, start, end);
}

/** Where `needle` starts in `text`, in increasing order. */
function placesOf(text: string, needle: string): number[] {
  const places: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) places.push(at);
  return places;
}

const needlePlaces = new ParseMemo<DockerDoc, number[]>();

/** Whether some shell word anywhere in the file can contain `needle` (once per parse and needle). */
function fileMayHaveWord(doc: DockerDoc, needle: string): boolean {
  return docMayHaveWord.get(doc, needle, () => mayContain(doc.text, needle));
}

const docMayHaveWord = new ParseMemo<DockerDoc, boolean>();

/** Whether `text` holds `needle` once quotes and escapes are removed from it. */
function mayContain(text: string, needle: string): boolean {
  return text.includes(needle) || containsSkippingQuotes(text, needle);
}

/**
 * Whether `text[start, end)` holds `needle` (letters, no quote or escape character) once the
 * characters `"`, `'`, `\` and `` ` `` are removed — `text.replace(/["'\\`]/g, '')` then
 * `includes`, without building the copy (a whole-file copy per needle and parse showed in
 * profiles). From each place the first letter occurs, the needle's letters must follow with only
 * those characters between them; a letter can never be skipped, so each such start is decided by
 * one forward pass.
 */
export function containsSkippingQuotes(
  text: string,
  needle: string,
  start = 0,
  end = text.length,
): boolean {
  if (needle.length === 0) return true;
  const first = needle[0];
  for (let i = text.indexOf(first, start); i >= 0 && i < end; i = text.indexOf(first, i + 1)) {
    let j = 1;
    let k = i + 1;
    while (j < needle.length && k < end) {
      const c = text.charCodeAt(k);
      if (c === needle.charCodeAt(j)) {
        j++;
        k++;
      } else if (c === 34 || c === 39 || c === 92 || c === 96) {
        k++;
      } else {
        break;
      }
    }
    if (j === needle.length) return true;
  }
  return false;
}

function hasQuoteOrEscape(text: string): boolean {
  return text.includes('"') || text.includes("'") || text.includes('\\');
}

function sitePackagesUnder(root: string, version: string | null): string | null {
  return version ? `${root.replace(/\/+$/, '')}/lib/python${version}/site-packages` : null;
}

/** Every `pip install` of a stage (its own RUNs), with where it puts packages and scripts. */
export function pipInstallsOf(doc: DockerDoc, stage: Stage, config?: ResolvedConfig): PipInstall[] {
  // Asked for by several transforms per parse; a stage belongs to one parse, so remember it.
  // A file that cannot spell `pip` has no RUN holding it (see runMayHaveWord): no installs.
  if (!fileMayHaveWord(doc, 'pip')) return [];
  return pipInstallMemo.get(stage, config, () => scanPipInstalls(doc, stage, config)).slice();
}

const pipInstallMemo = new ParseMemo<Stage, PipInstall[]>();

function scanPipInstalls(doc: DockerDoc, stage: Stage, config?: ResolvedConfig): PipInstall[] {
  const installs: PipInstall[] = [];
  // What an install needs to know is looked up only once a RUN holds one (most RUNs do not).
  let python: PythonInfo | null | undefined;
  let venvs: string[] | undefined;
  for (const instr of stage.instructions) {
    // A RUN without a pip command installs nothing (an activation alone changes nothing).
    if (instr.getKeyword() !== 'RUN' || !runMayHaveWord(doc, instr, 'pip')) continue;
    let env: Map<string, string> | undefined;
    let workdir: string | undefined;
    let activated: string | null = null;
    for (const segment of shellSegments(doc, instr)) {
      // A pip command needs a word with `pip` in it, an activation one with `activate`.
      const text = segment.text;
      if (!text.includes('pip') && !text.includes('activate') && !hasQuoteOrEscape(text)) continue;
      const words = shellWords(text);
      if ((words[0] === '.' || words[0] === 'source') && /\/bin\/activate$/.test(words[1] ?? '')) {
        workdir ??= workdirAt(doc, stage, instr);
        activated = path.posix.resolve(workdir, words[1].replace(/\/bin\/activate$/, ''));
        continue;
      }
      const cmd = parsePipCommand(words);
      if (!cmd) continue;
      env ??= envAt(doc, stage, instr);
      workdir ??= workdirAt(doc, stage, instr);
      if (python === undefined) python = pythonOf(stage, doc, config);
      venvs ??= venvsOf(doc, stage);
      const vars = new Map([...env, ...cmd.assigns]);
      let flavour: PipFlavour = 'system';
      let root: string | null = null;
      const requirementFiles: string[] = [];
      const packages: string[] = [];
      if (/^(1|true|yes|on)$/i.test(vars.get('PIP_USER') ?? '')) flavour = 'user';
      if (vars.get('PIP_TARGET')) {
        flavour = 'target';
        root = vars.get('PIP_TARGET')!;
      }
      if (vars.get('PIP_PREFIX')) {
        flavour = 'prefix';
        root = vars.get('PIP_PREFIX')!;
      }
      for (let i = 0; i < cmd.args.length; i++) {
        const { name, value, skip } = optionValue(cmd.args, i);
        i += skip;
        if (name === '--user') flavour = 'user';
        else if ((name === '-t' || name === '--target') && value) {
          flavour = 'target';
          root = value;
        } else if (name === '--prefix' && value) {
          flavour = 'prefix';
          root = value;
        } else if ((name === '-r' || name === '--requirement') && value) {
          requirementFiles.push(path.posix.resolve(workdir, value));
        } else if ((name === '-e' || name === '--editable') && value) {
          packages.push(value);
        } else if (!name.startsWith('-')) {
          packages.push(name);
        }
      }
      // A venv: pip from its bin/, an activated venv, or PATH starting with its bin/.
      const pipDir = cmd.program.includes('/')
        ? path.posix.dirname(path.posix.dirname(cmd.program))
        : null;
      const pathVenv = venvs.find((v) => (vars.get('PATH') ?? '').split(':')[0] === `${v}/bin`);
      const venv =
        (pipDir && venvs.includes(pipDir) ? pipDir : null) ?? activated ?? pathVenv ?? null;
      const version =
        versionInPath(cmd.program) ??
        (/\d+\.\d+$/.test(cmd.program) ? /(\d+\.\d+)$/.exec(cmd.program)![1] : null) ??
        python?.version ??
        null;
      const user = userAt(doc, stage, instr);
      if (flavour === 'system' && venv) {
        flavour = 'venv';
        root = venv;
      }
      if (root && !root.includes('$')) root = path.posix.resolve(workdir, root);
      let sitePackages: string | null = null;
      let scripts: string | null = null;
      if (flavour === 'user') {
        const base = vars.get('PYTHONUSERBASE');
        const home = homeOf(user, vars);
        root = base ?? (home ? `${home}/.local` : null);
        sitePackages = root ? sitePackagesUnder(root, version) : null;
        scripts = root ? `${root}/bin` : null;
      } else if (flavour === 'target') {
        sitePackages = root;
        scripts = root ? `${root}/bin` : null;
      } else if (flavour === 'prefix' || flavour === 'venv') {
        sitePackages = root ? sitePackagesUnder(root, version) : null;
        scripts = root ? `${root}/bin` : null;
      } else if (python?.source === 'official') {
        root = '/usr/local';
        sitePackages = sitePackagesUnder(root, version);
        scripts = '/usr/local/bin';
      }
      installs.push({
        instruction: instr,
        stage,
        segment,
        flavour,
        user,
        version,
        root,
        sitePackages,
        scripts,
        requirementFiles,
        packages,
      });
    }
  }
  return installs;
}

// ---------------------------------------------------------------------------------------------
// Exec-form RUN for a Python check.

/** A Python string literal (single quotes) for any text. */
export function pyString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/**
 * `RUN ["<interpreter>", "-c", "<code>"]` in the file's keyword case. JSON.stringify escapes
 * quotes and backslashes; the code is one line (no continuation can break it).
 */
export function execFormRun(doc: DockerDoc, interpreter: string, pythonCode: string): string {
  const code = pythonCode.replace(/\r\n|\r|\n/g, '; ');
  return `${doc.keyword('RUN')} ${JSON.stringify([interpreter, '-c', code]).replace(/","/g, '", "')}`;
}

/** The argv of an exec-form RUN (JSON parsed from the source, not from dockerfile-ast's words). */
export function execFormArgv(doc: DockerDoc, instr: Instruction): string[] | null {
  // Only a RUN has one (most instructions): answered without a memo entry.
  if (instr.getKeyword() !== 'RUN') return null;
  // Asked per instruction by the check transforms (6, 11, 16, 18): parse the JSON once.
  let memo = execFormArgvCache.get(instr);
  if (!memo || memo.doc !== doc) {
    memo = { doc, argv: parseExecFormArgv(doc, instr) };
    execFormArgvCache.set(instr, memo);
  }
  return memo.argv ? memo.argv.slice() : null;
}

const execFormArgvCache = new ParseCache<Instruction, { doc: DockerDoc; argv: string[] | null }>();

function parseExecFormArgv(doc: DockerDoc, instr: Instruction): string[] | null {
  if (instr.getKeyword() !== 'RUN' || !isJsonForm(instr)) return null;
  const raw = (instr.getRawArgumentsContent() ?? '').replace(/^(\s*--\S+)+/, '');
  const esc = doc.style.escape === '`' ? '`' : '\\\\';
  const joined = raw.replace(new RegExp(`${esc}[ \\t]*(\\r\\n|\\r|\\n)`, 'g'), '');
  try {
    const parsed: unknown = JSON.parse(joined);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')
      ? (parsed as string[])
      : null;
  } catch {
    return null;
  }
}

/** The Python code of a `python… -c CODE` exec-form RUN, or null. */
export function execFormPythonCode(doc: DockerDoc, instr: Instruction): string | null {
  const argv = execFormArgv(doc, instr);
  if (!argv || !PYTHON_PROGRAM.test(argv[0] ?? '')) return null;
  const c = argv.indexOf('-c');
  return c > 0 && c + 1 < argv.length ? argv[c + 1] : null;
}

// ---------------------------------------------------------------------------------------------
// Requirements and import names.

/**
 * Distribution → import name where they differ (PEP 503-normalised keys). `null`: nothing to
 * import (type stubs, build tools). Extend with the config's `importNames`.
 */
const IMPORT_NAMES: Record<string, string | null> = {
  grpcio: 'grpc',
  'grpcio-tools': 'grpc_tools',
  'grpcio-health-checking': 'grpc_health',
  'grpcio-reflection': 'grpc_reflection',
  'grpcio-status': 'grpc_status',
  'python-consul': 'consul',
  'python-consul2': 'consul',
  'py-consul': 'consul',
  pyyaml: 'yaml',
  'ruamel-yaml': 'ruamel.yaml',
  protobuf: 'google.protobuf',
  'googleapis-common-protos': 'google.api',
  'google-api-core': 'google.api_core',
  'google-auth': 'google.auth',
  'google-api-python-client': 'googleapiclient',
  pillow: 'PIL',
  beautifulsoup4: 'bs4',
  'scikit-learn': 'sklearn',
  'scikit-image': 'skimage',
  'opencv-python': 'cv2',
  'opencv-python-headless': 'cv2',
  'opencv-contrib-python': 'cv2',
  'opencv-contrib-python-headless': 'cv2',
  'python-dateutil': 'dateutil',
  'psycopg2-binary': 'psycopg2',
  'psycopg-binary': null,
  'python-dotenv': 'dotenv',
  pyjwt: 'jwt',
  mysqlclient: 'MySQLdb',
  'mysql-connector-python': 'mysql.connector',
  attrs: 'attr',
  pycryptodome: 'Crypto',
  pycryptodomex: 'Cryptodome',
  pyopenssl: 'OpenSSL',
  pyzmq: 'zmq',
  pyserial: 'serial',
  pyusb: 'usb',
  pynacl: 'nacl',
  pygithub: 'github',
  gitpython: 'git',
  dnspython: 'dns',
  pysocks: 'socks',
  'websocket-client': 'websocket',
  'python-jose': 'jose',
  'python-multipart': 'multipart',
  'python-json-logger': 'pythonjsonlogger',
  'python-memcached': 'memcache',
  'python-levenshtein': 'Levenshtein',
  'python-telegram-bot': 'telegram',
  'python-xlib': 'Xlib',
  'py-cpuinfo': 'cpuinfo',
  'msgpack-python': 'msgpack',
  'kafka-python': 'kafka',
  'paho-mqtt': 'paho.mqtt',
  djangorestframework: 'rest_framework',
  'django-cors-headers': 'corsheaders',
  'django-environ': 'environ',
  'django-filter': 'django_filters',
  'django-storages': 'storages',
  'apache-airflow': 'airflow',
  'docker-compose': 'compose',
  'faiss-cpu': 'faiss',
  'faiss-gpu': 'faiss',
  'tensorflow-cpu': 'tensorflow',
  'tensorflow-gpu': 'tensorflow',
  pywavelets: 'pywt',
  pycairo: 'cairo',
  pygobject: 'gi',
  pyhcl: 'hcl',
  'opentelemetry-api': 'opentelemetry',
  'opentelemetry-sdk': 'opentelemetry.sdk',
  'typing-extensions': 'typing_extensions',
  'email-validator': 'email_validator',
  'ua-parser': 'ua_parser',
  pip: null,
  setuptools: null,
  wheel: null,
};

/** PEP 503 normalisation: lower case, runs of `-_.` → `-`. */
export function normalizeDistName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export interface ImportName {
  /** The module to import (`grpc`, `google.protobuf`), or null when there is nothing to import. */
  module: string | null;
  /** How it was found: config, the built-in table, a family rule, or the default spelling. */
  source: 'config' | 'table' | 'rule' | 'default';
}

/** The module a distribution installs: config `importNames`, the table, family rules, else its name. */
export function importNameOf(dist: string, config?: ResolvedConfig): ImportName {
  const key = normalizeDistName(dist);
  for (const [k, v] of Object.entries(config?.importNames ?? {})) {
    if (normalizeDistName(k) === key)
      return { module: v.trim() === '' ? null : v, source: 'config' };
  }
  if (key in IMPORT_NAMES) return { module: IMPORT_NAMES[key], source: 'table' };
  if (/^types-|-stubs$/.test(key)) return { module: null, source: 'rule' };
  // Namespace families: google-cloud-storage → google.cloud.storage, azure-storage-blob →
  // azure.storage.blob, opentelemetry-exporter-otlp → opentelemetry.exporter.otlp.
  const family = /^(google-cloud|azure|opentelemetry)-(.+)$/.exec(key);
  if (family) {
    const head = family[1].replace('-', '.');
    const tail =
      family[1] === 'google-cloud' ? family[2].replace(/-/g, '_') : family[2].replace(/-/g, '.');
    return { module: `${head}.${tail}`, source: 'rule' };
  }
  // Dotted distribution names are namespace packages: zope.interface, backports.zoneinfo.
  if (dist.includes('.') && /^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(dist.replace(/-/g, '_'))) {
    return { module: dist.replace(/-/g, '_').toLowerCase(), source: 'rule' };
  }
  // python-foo → foo (python-dateutil, python-consul, python-socketio …).
  if (key.startsWith('python-') && key.length > 7) {
    return { module: key.slice(7).replace(/-/g, '_'), source: 'rule' };
  }
  return { module: key.replace(/-/g, '_'), source: 'default' };
}

export interface Requirement {
  /** Distribution name as written (`grpcio`, `PyYAML`). */
  name: string;
  extras: string[];
  /** The environment marker after `;`, or null. */
  marker: string | null;
  /** Whether the marker holds for the runtime (null: cannot tell). */
  applies: boolean | null;
  /** A direct URL / VCS / path requirement. */
  url: string | null;
  /** Context-relative file and 1-based line it came from (`command line` for pip arguments). */
  file: string;
  line: number;
}

export interface RequirementProblem {
  file: string;
  line: number;
  message: string;
}

export interface ParsedRequirements {
  requirements: Requirement[];
  /** Files read, context-relative. */
  files: string[];
  problems: RequirementProblem[];
}

/** Logical lines of a requirements file: comments stripped, `\` continuations joined. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (buf === '') start = i + 1;
    // A comment starts at `#` at the line start or after whitespace (URL fragments keep theirs).
    l = l.replace(/(^|\s)#.*$/, '$1');
    if (/\\\s*$/.test(l)) {
      buf += l.replace(/\\\s*$/, ' ');
      continue;
    }
    buf += l;
    if (buf.trim()) out.push({ text: buf.trim(), line: start });
    buf = '';
  }
  if (buf.trim()) out.push({ text: buf.trim(), line: start });
  return out;
}

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;

/** The name of a URL/path requirement: `#egg=name`, a wheel or sdist file name, else null. */
function nameFromUrl(url: string): string | null {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return egg[1];
  const file = url.split(/[?#]/)[0].split('/').pop() ?? '';
  const wheel = /^([A-Za-z0-9][A-Za-z0-9._]*)-[0-9][^-]*(-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(
    file,
  );
  if (wheel) return wheel[1];
  const sdist = /^([A-Za-z0-9][A-Za-z0-9._-]*?)-[0-9][\w.]*\.(tar\.gz|zip|tar\.bz2)$/.exec(file);
  return sdist ? sdist[1] : null;
}

/** Parse one requirement line (no options, no `-r`). */
export function parseRequirementLine(
  text: string,
  file: string,
  line: number,
  version: string | null,
): Requirement | RequirementProblem | null {
  let body = text
    .replace(/\s--hash[= ]\S+/g, '')
    .replace(/\s--(?:global|install)-option[= ]\S+/g, '')
    .trim();
  if (!body) return null;
  let marker: string | null = null;
  // `; marker` (for URLs the `;` must follow whitespace: PEP 508).
  const semi = /\s;|;(?=\s*[a-z_]+\s*(?:[<>=!~]|in\b|not\b))/.exec(body);
  if (semi) {
    marker = body.slice(semi.index + semi[0].length).trim();
    body = body.slice(0, semi.index).trim();
  }
  const applies = marker ? evaluateMarker(marker, version) : true;
  // A local project (`.`, `./libs/x`, `file:…`) is the app itself or a path: nothing to name.
  const local = /^(\.{1,2}(\/|$)|\/|file:)/i.test(body);
  if (local || /^(git|hg|svn|bzr)\+|^[a-z]+:\/\//i.test(body)) {
    const name = nameFromUrl(body);
    if (!name && local) return null;
    if (!name)
      return {
        file,
        line,
        message: `cannot tell the distribution name of "${body}" (add #egg=<name>)`,
      };
    return { name, extras: [], marker, applies, url: body, file, line };
  }
  const m = NAME_RE.exec(body);
  if (!m) return { file, line, message: `cannot parse requirement "${body}"` };
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const at = /^\s*@\s*(\S+)/.exec(body.slice(m[0].length));
  return { name: m[1], extras, marker, applies, url: at ? at[1] : null, file, line };
}

/**
 * Parse a requirements file from the context (context-relative path), following `-r` includes
 * (relative to the including file); `-c` constraint files and options are not requirements.
 */
export function parseRequirementsFile(
  ctx: TransformContext,
  file: string,
  version: string | null,
  seen = new Set<string>(),
): ParsedRequirements {
  const result: ParsedRequirements = { requirements: [], files: [], problems: [] };
  const rel = path.posix.normalize(file);
  if (seen.has(rel)) return result;
  seen.add(rel);
  const text = ctx.fs.readText(path.join(ctx.contextRoot, rel));
  if (text === null) {
    result.problems.push({ file: rel, line: 0, message: `cannot read ${rel}` });
    return result;
  }
  result.files.push(rel);
  for (const { text: l, line } of logicalLines(text)) {
    const include = /^(?:-r|--requirement)(?:\s+|=)(\S+)/.exec(l) ?? /^-r(\S+)/.exec(l);
    if (include) {
      const inc = path.posix.join(path.posix.dirname(rel), include[1]);
      const sub = parseRequirementsFile(ctx, inc, version, seen);
      result.requirements.push(...sub.requirements);
      result.files.push(...sub.files);
      result.problems.push(...sub.problems);
      continue;
    }
    const editable = /^(?:-e|--editable)(?:\s+|=)(\S+)/.exec(l);
    if (editable) {
      const r = parseRequirementLine(editable[1], rel, line, version);
      if (r && 'name' in r) result.requirements.push(r);
      else if (r) result.problems.push(r);
      continue;
    }
    if (l.startsWith('-')) continue; // -c, -i, --index-url, --find-links, --pre, --require-hashes …
    const r = parseRequirementLine(l, rel, line, version);
    if (r && 'name' in r) result.requirements.push(r);
    else if (r) result.problems.push(r);
  }
  return result;
}

/**
 * Evaluate a PEP 508 marker for the runtime (Linux, CPython, the given `X.Y`). Null when it
 * depends on something unknown (an unknown version, platform_machine, extras).
 */
export function evaluateMarker(marker: string, version: string | null): boolean | null {
  const env: Record<string, string | null> = {
    python_version: version,
    python_full_version: null,
    sys_platform: 'linux',
    platform_system: 'Linux',
    os_name: 'posix',
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
    platform_machine: null,
    platform_release: null,
    platform_version: null,
    extra: null,
  };
  const tokens =
    marker.match(
      /\(|\)|"[^"]*"|'[^']*'|[<>=!~]=?=?|\bnot\s+in\b|\bin\b|\band\b|\bor\b|[A-Za-z_.]+|[0-9][\w.*]*/g,
    ) ?? [];
  let pos = 0;
  const value = (t: string): string | null => {
    if (/^["']/.test(t)) return t.slice(1, -1);
    if (t in env) return env[t];
    return /^[0-9]/.test(t) ? t : null;
  };
  const isVersionVar = (t: string) => t === 'python_version' || t === 'python_full_version';
  const compare = (
    l: string | null,
    op: string,
    r: string | null,
    versions: boolean,
  ): boolean | null => {
    if (l === null || r === null) return null;
    if (op === 'in') return r.includes(l);
    if (op.replace(/\s+/g, ' ') === 'not in') return !r.includes(l);
    if (!versions) {
      if (op === '==' || op === '===') return l === r;
      if (op === '!=') return l !== r;
      return null;
    }
    const c = compareVersions(l, r);
    if (r.endsWith('.*')) {
      const prefixMatch = (l + '.').startsWith(r.slice(0, -1));
      if (op === '==') return prefixMatch;
      if (op === '!=') return !prefixMatch;
    }
    switch (op) {
      case '==':
      case '===':
        return c === 0;
      case '!=':
        return c !== 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      case '~=':
        return c >= 0;
      default:
        return null;
    }
  };
  const and3 = (a: boolean | null, b: boolean | null) =>
    a === false || b === false ? false : a === null || b === null ? null : true;
  const or3 = (a: boolean | null, b: boolean | null) =>
    a === true || b === true ? true : a === null || b === null ? null : false;
  const atom = (): boolean | null => {
    if (tokens[pos] === '(') {
      pos++;
      const v = orExpr();
      pos++; // ')'
      return v;
    }
    const l = tokens[pos++] ?? '';
    const op = tokens[pos++] ?? '';
    const r = tokens[pos++] ?? '';
    return compare(value(l), op, value(r), isVersionVar(l) || isVersionVar(r));
  };
  const andExpr = (): boolean | null => {
    let v = atom();
    while (tokens[pos] === 'and') {
      pos++;
      v = and3(v, atom());
    }
    return v;
  };
  const orExpr = (): boolean | null => {
    let v = andExpr();
    while (tokens[pos] === 'or') {
      pos++;
      v = or3(v, andExpr());
    }
    return v;
  };
  try {
    const v = orExpr();
    return pos === tokens.length ? v : null;
  } catch {
    return null;
  }
}

/** Compare dotted numeric versions (`3.9` < `3.11`). */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/\.\*$/, '')
    .split('.')
    .map((x) => parseInt(x, 10) || 0);
  const pb = b
    .replace(/\.\*$/, '')
    .split('.')
    .map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Where a path in the image came from in the context: the COPY/ADD (no --from) that put it there. */
export function contextPathOf(
  doc: DockerDoc,
  stage: Stage,
  imagePath: string,
  before?: Instruction,
): string | null {
  for (const s of chainOf(stage).reverse()) {
    const instrs =
      s === stage && before
        ? s.instructions.slice(0, s.instructions.indexOf(before))
        : s.instructions;
    for (const instr of [...instrs].reverse()) {
      const kw = instr.getKeyword();
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      const copy = parseCopy(doc, instr);
      if (!copy || copy.from || !copy.dest || copy.heredoc) continue;
      const dest = path.posix.resolve(workdirAt(doc, s, instr), unquote(copy.dest.value));
      for (const src of copy.sources) {
        if (src.glob || src.remote || src.variable) continue;
        const clean = path.posix.normalize(unquote(src.value).replace(/\/+$/, '') || '.');
        // A file copied to its destination or into a directory; a directory copied whole.
        if (dest === imagePath && clean !== '.') return clean;
        if (`${dest}/${path.posix.basename(clean)}` === imagePath) return clean;
        if (imagePath.startsWith(`${dest}/`) && (clean === '.' || !path.posix.extname(clean))) {
          return path.posix.normalize(path.posix.join(clean, imagePath.slice(dest.length + 1)));
        }
      }
    }
  }
  return null;
}

export interface RuntimeRequirements extends ParsedRequirements {
  /** The pip installs the requirements came from. */
  installs: PipInstall[];
}

/** Stages whose pip installs can matter at runtime: the final stage, its bases and builders. */
function relevantStages(doc: DockerDoc): Stage[] {
  return doc.stages.stages.filter((s) => s.role !== 'unused');
}

/**
 * The requirements a Dockerfile installs for its runtime: every `-r` file of the pip installs of
 * the final stage, its base stages and its builders (found in the context through the COPY that
 * put it in the image, else next to the Dockerfile, else at the context root), plus packages
 * named on the pip command lines. Local paths (`.`, `./pkg`) are not requirements to import.
 * With `only`, just those installs (e.g. the ones whose site-packages reach the final stage).
 */
export function runtimeRequirements(
  doc: DockerDoc,
  ctx: TransformContext,
  version: string | null,
  only?: PipInstall[],
): RuntimeRequirements {
  const result: RuntimeRequirements = { requirements: [], files: [], problems: [], installs: [] };
  const seen = new Set<string>();
  const dfDir = ctx.dockerfilePath
    ? path.relative(ctx.contextRoot, path.dirname(ctx.dockerfilePath)).split(path.sep).join('/')
    : '';
  for (const stage of relevantStages(doc)) {
    for (const install of pipInstallsOf(doc, stage, ctx.config)) {
      const same = (i: PipInstall) =>
        i.instruction === install.instruction && i.segment?.start === install.segment?.start;
      if (only && !only.some(same)) continue;
      result.installs.push(install);
      for (const file of install.requirementFiles) {
        const candidates = [
          contextPathOf(doc, stage, file, install.instruction),
          dfDir ? path.posix.join(dfDir, path.posix.basename(file)) : null,
          path.posix.basename(file),
        ].filter((c): c is string => c !== null && !c.startsWith('..'));
        const found = candidates.find((c) => ctx.fs.isFile(path.join(ctx.contextRoot, c)));
        if (!found) {
          result.problems.push({
            file,
            line: 0,
            message: `requirements file ${file} not found in the build context`,
          });
          continue;
        }
        const parsed = parseRequirementsFile(ctx, found, version, seen);
        result.requirements.push(...parsed.requirements);
        result.files.push(...parsed.files);
        result.problems.push(...parsed.problems);
      }
      for (const spec of install.packages) {
        if (/^\.{0,2}(\/|$)/.test(spec) || spec.includes('$')) continue;
        const r = parseRequirementLine(
          spec,
          'command line',
          doc.lineOf(doc.span(install.instruction).start) + 1,
          version,
        );
        if (r && 'name' in r) result.requirements.push(r);
      }
    }
  }
  return result;
}

export interface RequiredImport {
  module: string;
  /** The distributions that provide it. */
  dists: string[];
  source: ImportName['source'];
}

/**
 * Requirements → the modules to import at runtime, de-duplicated, in file order. Requirements
 * whose marker does not hold (or cannot be evaluated) and those with nothing to import are
 * left out.
 */
export function requirementsImports(
  doc: DockerDoc,
  ctx: TransformContext,
  version: string | null = null,
  only?: PipInstall[],
): { imports: RequiredImport[]; parsed: RuntimeRequirements } {
  const parsed = runtimeRequirements(doc, ctx, version, only);
  const imports: RequiredImport[] = [];
  for (const r of parsed.requirements) {
    if (r.applies !== true) continue;
    const { module, source } = importNameOf(r.name, ctx.config);
    if (!module) continue;
    const existing = imports.find((i) => i.module === module);
    if (existing) {
      if (!existing.dists.includes(r.name)) existing.dists.push(r.name);
    } else imports.push({ module, dists: [r.name], source });
  }
  return { imports, parsed };
}

// ---------------------------------------------------------------------------------------------
// Verification RUNs: exec-form `python -c "<statements>"` in the final stage (transforms 6, 11,
// 16). The code is a `; `-separated list of simple statements; standard-library imports come
// first and are recomputed from what the statements use, so each transform can replace its own
// statements and keep the others'.

const STDLIB_MODULES = new Set(['os', 'sys', 'importlib', 'importlib.util', 'importlib.metadata']);

/** Split Python one-liner code at `;` outside strings and brackets. */
export function splitStatements(code: string): string[] {
  return scanStatements(code).statements;
}

/**
 * Whether the splitter reads `code` whole: every string closed, no bracket closed before it was
 * opened, none left open. Code it cannot read (a mistyped check) is not rewritten.
 */
export function isReadableCode(code: string): boolean {
  return scanStatements(code).readable;
}

function scanStatements(code: string): { statements: string[]; readable: boolean } {
  // Statements are slices of the code between top-level `;` (no per-character copying).
  const statements: string[] = [];
  const push = (statement: string) => {
    const t = statement.trim();
    if (t) statements.push(t);
  };
  let start = 0;
  let quote = '';
  let depth = 0;
  let readable = true;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\' && i + 1 < code.length) i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) readable = false;
    } else if (c === ';' && depth === 0) {
      push(code.slice(start, i));
      start = i + 1;
    }
  }
  push(code.slice(start));
  return { statements, readable: readable && quote === '' && depth === 0 };
}

/** Modules an `import a, b as c` statement names, or null when it is not a plain import. */
export function importedModules(statement: string): string[] | null {
  const m = /^import\s+(.+)$/.exec(statement);
  if (!m) return null;
  return m[1].split(',').map((p) =>
    p
      .trim()
      .split(/\s+as\s+/)[0]
      .trim(),
  );
}

/**
 * The statements without their standard-library imports (non-stdlib modules of a mixed
 * `import` stay as their own `import` statement).
 */
export function bodyStatements(code: string): string[] {
  return withoutStdlibImports(splitStatements(code));
}

function withoutStdlibImports(statements: string[]): string[] {
  const out: string[] = [];
  for (const s of statements) {
    const mods = importedModules(s);
    if (!mods) {
      out.push(s);
      continue;
    }
    const rest = mods.filter((m) => !STDLIB_MODULES.has(m));
    if (rest.length) out.push(`import ${rest.join(', ')}`);
  }
  return out;
}

/** One-liner code: the standard-library imports the statements use, then the statements. */
export function renderCheckCode(statements: string[]): string {
  const text = statements.join('; ');
  const needed: string[] = [];
  if (/\bos\./.test(text)) needed.push('os');
  if (/\bsys\./.test(text)) needed.push('sys');
  if (/\bimportlib\.util\./.test(text)) needed.push('importlib.util');
  if (/\bimportlib\.metadata\./.test(text)) needed.push('importlib.metadata');
  else if (/\bimportlib\.import_module\(/.test(text)) needed.push('importlib');
  return [needed.length ? `import ${needed.join(', ')}` : '', ...statements]
    .filter(Boolean)
    .join('; ');
}

export interface PythonCheckRun {
  instruction: Instruction;
  argv: string[];
  code: string;
  statements: string[];
}

/** Exec-form `python… -c` RUNs of a stage (its own instructions). */
export function pythonCheckRuns(doc: DockerDoc, stage: Stage): PythonCheckRun[] {
  // Asked by 6, 11 and 16 for the final stage: found once per parse, each caller gets copies.
  return checkRunMemo
    .get(stage, doc, () => scanPythonCheckRuns(doc, stage))
    .map((r) => ({ ...r, argv: r.argv.slice(), statements: r.statements.slice() }));
}

const checkRunMemo = new ParseMemo<Stage, PythonCheckRun[]>();

function scanPythonCheckRuns(doc: DockerDoc, stage: Stage): PythonCheckRun[] {
  const out: PythonCheckRun[] = [];
  for (const instr of stage.instructions) {
    const code = execFormPythonCode(doc, instr);
    if (code === null) continue;
    // A check whose code the statement splitter cannot read is not one the transforms update:
    // rewritten, its broken statements would swallow what they add (and add it again next run).
    const scanned = scanStatements(code);
    if (!scanned.readable) continue;
    out.push({
      instruction: instr,
      argv: execFormArgv(doc, instr)!,
      code,
      statements: withoutStdlibImports(scanned.statements),
    });
  }
  return out;
}

/** A statement importing something that is not standard library (the package check's kind). */
export function isPackageImport(statement: string): boolean {
  const mods = importedModules(statement);
  return (
    (mods !== null && mods.some((m) => !STDLIB_MODULES.has(m))) ||
    /\bimportlib\.import_module\(/.test(statement)
  );
}

/** The module check (6/11): `find_spec` or `os.path` assertions, never package imports. */
export function isModuleCheck(run: PythonCheckRun): boolean {
  if (run.statements.some(isPackageImport)) return false;
  return (
    /\bfind_spec\(/.test(run.code) || run.statements.some((s) => /^assert\s+os\.path\./.test(s))
  );
}

/** The package check (16): imports of installed packages. */
export function isPackageCheck(run: PythonCheckRun): boolean {
  return run.statements.some(isPackageImport) && !/\bfind_spec\(/.test(run.code);
}

/**
 * The final stage's module check that 6 and 11 keep up to date: the last one when a stage has
 * several (the one that runs last). Taking the first, a second run would pick another once the
 * first had been moved below the last COPY, and update that one too.
 */
export function moduleCheckRun(doc: DockerDoc, stage: Stage): PythonCheckRun | null {
  return lastMatching(pythonCheckRuns(doc, stage), isModuleCheck);
}

/** The final stage's package check that 16 keeps up to date: the last one (see moduleCheckRun). */
export function packageCheckRun(doc: DockerDoc, stage: Stage): PythonCheckRun | null {
  return lastMatching(pythonCheckRuns(doc, stage), isPackageCheck);
}

function lastMatching(
  runs: PythonCheckRun[],
  test: (run: PythonCheckRun) => boolean,
): PythonCheckRun | null {
  for (let i = runs.length - 1; i >= 0; i--) if (test(runs[i])) return runs[i];
  return null;
}

/** The path in the first string literal of a statement (`os.path.isdir('/app/x')` → `/app/x`). */
export function firstStringArg(statement: string): string | null {
  const m = /\(\s*(['"])((?:\\.|(?!\1).)*)\1/.exec(statement);
  return m ? m[2].replace(/\\(.)/g, '$1') : null;
}

/**
 * Where a check RUN belongs in the final stage: after the last COPY/ADD/WORKDIR/ENV/USER of the
 * stage (what the container sees: files, directory, environment, user) and after any RUN that
 * changes the image there (a pip install in a python:X.Y runtime) — only other exec-form
 * `python -c` checks do not count. Returns that instruction.
 */
export function checkAnchor(doc: DockerDoc, stage: Stage): Instruction {
  return anchorMemo.get(stage, doc, () => findCheckAnchor(doc, stage));
}

const anchorMemo = new ParseMemo<Stage, Instruction>();

/** What the container sees: files, directory, environment, user. */
const ANCHOR_KEYWORDS = new Set(['COPY', 'ADD', 'WORKDIR', 'ENV', 'USER']);

function findCheckAnchor(doc: DockerDoc, stage: Stage): Instruction {
  let anchor: Instruction = stage.from;
  for (const instr of stage.instructions) {
    const kw = instr.getKeyword();
    if (ANCHOR_KEYWORDS.has(kw)) anchor = instr;
    else if (kw === 'RUN' && execFormPythonCode(doc, instr) === null) anchor = instr;
  }
  return anchor;
}

/**
 * Edits that put `runText` in place of `existing` (or add it): updated in place when it already
 * sits after the anchor, else inserted after the anchor (and the old one, with the comment lines
 * right above it, removed).
 */
export function placeCheckRun(
  doc: DockerDoc,
  stage: Stage,
  runText: string,
  existing: Instruction | null,
): { start: number; end: number; text: string }[] {
  const anchor = checkAnchor(doc, stage);
  const anchorEnd = doc.span(anchor).end;
  // An instruction ending in a line continuation (then only comments or the end of the file)
  // would swallow whatever line comes next: there is no safe place after it.
  if (danglingContinuation(doc, anchor)) return [];
  const indent = doc.indentOf(anchor === stage.from ? stage.from : anchor);
  if (existing) {
    const span = doc.span(existing);
    if (span.start > anchorEnd) {
      const current = doc.slice(span.start, span.end);
      return current === runText ? [] : [{ start: span.start, end: span.end, text: runText }];
    }
    // Misplaced (before the files, environment or user it must see): move it.
    let line = existing.getRange().start.line;
    while (line > 0 && /^\s*#/.test(doc.lineText(line - 1)) && !isDirectiveLine(doc, line - 1))
      line--;
    const from = doc.lineStarts[line];
    const endLine = existing.getRange().end.line;
    const to = endLine + 1 < doc.lineStarts.length ? doc.lineStarts[endLine + 1] : span.end;
    // Comment lines that were above it move with it.
    const comments = doc.slice(from, doc.lineStarts[existing.getRange().start.line]);
    const carried = comments ? comments.replace(/(\r\n|\r|\n)$/, '') + doc.style.eol : '';
    return [
      { start: from, end: to, text: '' },
      { start: anchorEnd, end: anchorEnd, text: doc.style.eol + carried + indent + runText },
    ];
  }
  return [{ start: anchorEnd, end: anchorEnd, text: doc.style.eol + indent + runText }];
}

function isDirectiveLine(doc: DockerDoc, line: number): boolean {
  return doc.ast.getDirectives().some((d) => d.getRange().start.line === line);
}

/**
 * Where a file of a builder stage ends up in the final stage: through a `COPY --from=<stage>`
 * of it or of a directory holding it. Null when no such copy exists.
 */
export function runtimePathOf(
  doc: DockerDoc,
  builder: Stage,
  builderPath: string,
): { path: string; copy: Instruction } | null {
  for (const c of finalCopiesFrom(doc)) {
    if (c.builder !== builder) continue;
    for (const from of c.froms) {
      if (builderPath === from) {
        return {
          path: c.intoDir ? `${c.dest}/${path.posix.basename(from)}` : c.dest,
          copy: c.copy,
        };
      }
      if (builderPath.startsWith(from === '/' ? '/' : `${from}/`)) {
        return { path: path.posix.join(c.dest, builderPath.slice(from.length)), copy: c.copy };
      }
    }
  }
  return null;
}

/** A `COPY --from` of the final stage (or a base of it), resolved once per parse. */
interface FinalCopy {
  /** The stage it copies from. */
  builder: Stage | null;
  /** Its destination, absolute. */
  dest: string;
  /** Whether the sources land inside `dest` (a trailing `/`, or several sources). */
  intoDir: boolean;
  /** Its literal sources (no glob, no variable), absolute in the other stage. */
  froms: string[];
  copy: Instruction;
}

/**
 * The `COPY --from` instructions of the final stage's chain, in order, with what runtimePathOf
 * needs (it is asked per marker write, pip install and venv: the copies are resolved once).
 */
function finalCopiesFrom(doc: DockerDoc): FinalCopy[] {
  let copies = finalCopyCache.get(doc);
  if (copies) return copies;
  copies = [];
  const final = doc.stages.final;
  if (final) {
    for (const s of chainOf(final)) {
      for (const instr of s.instructions) {
        const copy = parseCopy(doc, instr);
        if (!copy?.from || !copy.dest) continue;
        const destWord = unquote(copy.dest.value);
        copies.push({
          builder: doc.stages.resolve(copy.from, s.index),
          dest: path.posix.resolve(workdirAt(doc, s, instr), destWord),
          intoDir: destWord.endsWith('/') || copy.sources.length > 1,
          // `COPY --from` sources are relative to the root of the other stage, not its WORKDIR.
          froms: copy.sources
            .filter((src) => !src.glob && !src.variable)
            .map((src) => path.posix.resolve('/', unquote(src.value))),
          copy: instr,
        });
      }
    }
  }
  finalCopyCache.set(doc, copies);
  return copies;
}

const finalCopyCache = new ParseCache<DockerDoc, FinalCopy[]>();

// ---------------------------------------------------------------------------------------------
// What the final stage runs with: its interpreter, its sys.path, the packages and markers that
// reach it from builder stages.

/**
 * The interpreter the final stage's checks must use: the absolute Python the ENTRYPOINT/CMD names
 * (a venv's, a pinned one), else the image's. Null when the final stage is not Python.
 */
export function runtimePython(doc: DockerDoc, config?: ResolvedConfig): PythonInfo | null {
  // Asked by 11 and 16 and by the other runtime facts below: once per parse and config.
  return copyInfo(runtimePythonMemo.get(doc, config, () => computeRuntimePython(doc, config)));
}

const runtimePythonMemo = new ParseMemo<DockerDoc, PythonInfo | null>();

function computeRuntimePython(doc: DockerDoc, config?: ResolvedConfig): PythonInfo | null {
  const final = doc.stages.final;
  if (!final) return null;
  const python = pythonOf(final, doc, config);
  if (!python) return null;
  const app = findAppModule(doc);
  if (app && app.program.startsWith('/') && /\/python[\d.]*$/.test(app.program)) {
    return {
      ...python,
      interpreter: app.program,
      version: versionInPath(app.program) ?? python.version,
    };
  }
  // `python` found through PATH: a virtualenv copied from a builder whose bin/ comes first.
  if (!app || !app.program.startsWith('/')) {
    const venvBins = new Set<string>();
    for (const stage of doc.stages.stages) {
      if (stage.role !== 'builder') continue;
      for (const install of pipInstallsOf(doc, stage, config)) {
        if (install.flavour !== 'venv' || !install.root) continue;
        const mapped = runtimePathOf(doc, stage, install.root);
        if (mapped) venvBins.add(`${mapped.path}/bin`);
      }
    }
    const first = (envAt(doc, final).get('PATH') ?? '').split(':').find((d) => venvBins.has(d));
    if (first) return { ...python, interpreter: `${first}/python` };
  }
  return python;
}

export interface RuntimeSysPath {
  /** Directories the runtime's `sys.path` has (PYTHONPATH, user site, venv, the image's site dirs). */
  entries: string[];
  /**
   * Whether that list is complete enough to say a directory is NOT on it: the Python version,
   * the runtime user's home and every PYTHONPATH entry are known.
   */
  certain: boolean;
}

/** The final stage's `sys.path` as the app will have it (besides its own directory). */
export function runtimeSysPath(doc: DockerDoc, config?: ResolvedConfig): RuntimeSysPath {
  const final = doc.stages.final;
  const python = runtimePython(doc, config);
  if (!final || !python) return { entries: [], certain: false };
  const env = envAt(doc, final);
  const cwd = workdirAt(doc, final);
  const pythonPath = env.get('PYTHONPATH') ?? '';
  const entries = pathListEntries(pythonPath, cwd);
  let certain = !pythonPath.replace(/\$\{?PYTHONPATH\}?/g, '').includes('$');
  const v = python.version;
  if (!v) return { entries, certain: false };
  const user = userAt(doc, final);
  const uid = user.split(':')[0];
  const home = homeOf(final.shellless && uid === '65532' ? 'nonroot' : user, env);
  const base = env.get('PYTHONUSERBASE') ?? (home ? `${home}/.local` : null);
  if (!base || base.includes('$')) certain = false;
  else if (!env.get('PYTHONNOUSERSITE')) entries.push(`${base}/lib/python${v}/site-packages`);
  const venv = /^(.*)\/bin\/python[\d.]*$/.exec(python.interpreter);
  if (venv && venv[1] !== '/usr' && venv[1] !== '/usr/local') {
    entries.push(`${venv[1]}/lib/python${v}/site-packages`);
  }
  if (python.source === 'official') entries.push(`/usr/local/lib/python${v}/site-packages`);
  else if (python.source === 'distroless' || python.source === 'system') {
    entries.push(`/usr/local/lib/python${v}/dist-packages`, '/usr/lib/python3/dist-packages');
  } else certain = false;
  return { entries, certain };
}

export interface RuntimePackages {
  install: PipInstall;
  /** site-packages as the final stage sees it. */
  sitePackages: string;
  /** The COPY --from that brings it (null: installed in the final stage or its base). */
  copy: Instruction | null;
  /** Python version the packages were installed for, when it differs from the runtime's. */
  mismatch: string | null;
}

/** pip installs whose site-packages reach the final stage (copied from a builder, or installed there). */
export function runtimePackages(doc: DockerDoc, config?: ResolvedConfig): RuntimePackages[] {
  const final = doc.stages.final;
  const python = runtimePython(doc, config);
  if (!final || !python) return [];
  const out: RuntimePackages[] = [];
  const own = new Set(chainOf(final));
  for (const stage of doc.stages.stages) {
    if (stage.role === 'unused') continue;
    for (const install of pipInstallsOf(doc, stage, config)) {
      if (!install.sitePackages) continue;
      let sitePackages = install.sitePackages;
      let copy: Instruction | null = null;
      if (!own.has(stage)) {
        const mapped = runtimePathOf(doc, stage, install.sitePackages);
        if (!mapped) continue;
        sitePackages = mapped.path;
        copy = mapped.copy;
      }
      const mismatch =
        install.version && python.version && install.version !== python.version
          ? install.version
          : null;
      if (!out.some((o) => o.sitePackages === sitePackages)) {
        out.push({ install, sitePackages, copy, mismatch });
      }
    }
  }
  return out;
}

export interface CopiedMarker {
  /** The marker as the builder writes it (absolute). */
  builderPath: string;
  /** Where it is in the final stage. */
  runtimePath: string;
  builder: Stage;
  /** Inside a pip install's site-packages or scripts directory (16's), else a source marker (11's). */
  package: boolean;
}

/** Marker files builder stages write that a COPY --from brings into the final stage. */
export function copiedMarkers(doc: DockerDoc, config?: ResolvedConfig): CopiedMarker[] {
  // Asked by 11 and 16: found once per parse and config, each caller gets copies.
  return copiedMarkerMemo
    .get(doc, config, () => findCopiedMarkers(doc, config))
    .map((m) => ({ ...m }));
}

const copiedMarkerMemo = new ParseMemo<DockerDoc, CopiedMarker[]>();

function findCopiedMarkers(doc: DockerDoc, config?: ResolvedConfig): CopiedMarker[] {
  const out: CopiedMarker[] = [];
  for (const stage of doc.stages.stages) {
    if (stage.role !== 'builder') continue;
    const installs = pipInstallsOf(doc, stage, config);
    // The stage's RUNs that write markers, in order (markerWrites of the others is empty).
    for (const { instruction: instr, writes } of markerRunsOf(doc, stage)) {
      for (const w of writes) {
        if (w.path.includes('$')) continue;
        const abs = resolveIn(workdirAt(doc, stage, instr), w.path);
        if (!abs) continue;
        const mapped = runtimePathOf(doc, stage, abs);
        if (!mapped || out.some((o) => o.runtimePath === mapped.path)) continue;
        const inside = (dir: string | null) => dir !== null && abs.startsWith(`${dir}/`);
        out.push({
          builderPath: abs,
          runtimePath: mapped.path,
          builder: stage,
          package:
            abs.includes('/site-packages/') ||
            installs.some((i) => inside(i.sitePackages) || inside(i.scripts)),
        });
      }
    }
  }
  return out;
}

export interface CopiedVenv {
  builder: Stage;
  /** The virtualenv in the builder. */
  venv: string;
  /** Where it is in the final stage. */
  runtimePath: string;
  copy: Instruction;
  /** The builder interpreter the venv was made from (its bin/python links to it). */
  python: PythonInfo | null;
}

/** Virtualenvs builder stages create (`python -m venv`, `virtualenv`, `uv venv`) that reach the final stage. */
export function copiedVenvs(doc: DockerDoc, config?: ResolvedConfig): CopiedVenv[] {
  const out: CopiedVenv[] = [];
  for (const stage of doc.stages.stages) {
    if (stage.role !== 'builder') continue;
    for (const venv of venvsOf(doc, stage)) {
      const mapped = runtimePathOf(doc, stage, venv);
      if (!mapped || out.some((o) => o.runtimePath === mapped.path)) continue;
      out.push({
        builder: stage,
        venv,
        runtimePath: mapped.path,
        copy: mapped.copy,
        python: pythonOf(stage, doc, config),
      });
    }
  }
  return out;
}
