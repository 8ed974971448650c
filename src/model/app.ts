/**
 * The Python app the final stage runs (SPEC §3, "app module"): read from the effective
 * ENTRYPOINT + CMD of the final stage (inherited through `FROM <stage>`), exec or shell form,
 * resolved against the WORKDIR in force at that point.
 *
 * Recognised: `python[X[.Y]] [opts] -m pkg.mod`, `python pkg/main.py` (relative or absolute),
 * `uvicorn|gunicorn|hypercorn|daphne [opts] pkg.mod:app` (also through `python -m uvicorn`),
 * `--app-dir` / `--chdir`, and `sh -c "…"` / `exec` / `env X=1` wrappers.
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import type { DockerDoc } from './document.js';
import type { Stage } from './stages.js';
import { workdirBefore } from './markers.js';
import { ParseCache } from './parse-cache.js';

export interface AppModule {
  /** Dotted module name: `controller.main` (`python controller/main.py` → `controller.main`). */
  module: string;
  /** Top-level package (or single-file module) name: `controller`. */
  package: string;
  /** True when the top-level name is a package directory, false for a single `app.py`. */
  isPackage: boolean;
  /** How the app is started. */
  kind: 'module' | 'script' | 'server';
  /** The program as written (`python3`, `/usr/bin/python3.11`, `uvicorn`). */
  program: string;
  /** Absolute directory in the image the top-level package is expected in (`/app`). */
  baseDir: string;
  /** Absolute path in the image of the package directory or module file (`/app/controller`). */
  packagePath: string;
  /** The WORKDIR in force for the command (`/` when none). */
  workdir: string;
  /** The ENTRYPOINT or CMD instruction that names the module. */
  instruction: Instruction;
  /** The stage that instruction belongs to (the final stage or one of its base stages). */
  stage: Stage;
}

const PYTHON = /^python(\d+(\.\d+)*)?$/;
const SERVERS = new Set(['uvicorn', 'gunicorn', 'hypercorn', 'daphne']);
/** Python options that take a separate value. */
const PY_OPTS_WITH_VALUE = new Set(['-W', '-X', '-Q']);
const APP_SPEC = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):[A-Za-z_][\w.]*(\(.*\))?$/;

/** The app module of the final stage, or null when its command is not a recognisable Python app. */
export function findAppModule(doc: DockerDoc): AppModule | null {
  // 01, 05, 06, 20 and the Python and marker models ask for the same parse: derive it once per document.
  let app = appCache.get(doc);
  if (app === undefined) {
    app = scanAppModule(doc);
    appCache.set(doc, app);
  }
  return app;
}

const appCache = new ParseCache<DockerDoc, AppModule | null>();

function scanAppModule(doc: DockerDoc): AppModule | null {
  const final = doc.stages.final;
  if (!final) return null;
  const command = effectiveCommand(doc, final);
  if (!command) return null;
  const parsed = parseCommand(command.argv);
  if (!parsed) return null;
  const anchorStage = doc.stages.stageOf(command.anchor) ?? final;
  const workdir = resolveDir('/', workdirBefore(doc, anchorStage, command.anchor) ?? '/');
  const base = parsed.dir ? resolveDir(workdir, parsed.dir) : workdir;
  let module = parsed.module;
  let baseDir = base;
  if (parsed.kind === 'script') {
    const script = resolveDir(workdir, parsed.script!);
    // The package is the first directory under the WORKDIR (or, for an absolute script outside
    // it, the script's own directory).
    const rel = path.posix.relative(workdir, script);
    const inside = workdir !== '/' && rel !== '' && !rel.startsWith('..');
    const parts = (inside ? rel : path.posix.basename(script)).split('/');
    baseDir = inside ? workdir : path.posix.dirname(script);
    if (!inside && parts.length === 1) {
      const dir = path.posix.dirname(script);
      if (dir !== '/') {
        parts.unshift(path.posix.basename(dir));
        baseDir = path.posix.dirname(dir);
      }
    }
    parts[parts.length - 1] = parts[parts.length - 1].replace(/\.py$/, '');
    if (!parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) return null;
    module = parts.join('.');
  }
  const top = module.split('.')[0];
  const isPackage = module.includes('.') || parsed.kind === 'module';
  return {
    module,
    package: top,
    isPackage: parsed.kind === 'script' ? module.includes('.') : isPackage,
    kind: parsed.kind,
    program: parsed.program,
    baseDir,
    packagePath: path.posix.join(
      baseDir,
      parsed.kind === 'script' && !module.includes('.') ? `${top}.py` : top,
    ),
    workdir,
    instruction: command.instruction,
    stage: doc.stages.stageOf(command.instruction) ?? final,
  };
}

interface Command {
  argv: string[];
  /** The instruction naming the module (CMD when it holds the args, else ENTRYPOINT). */
  instruction: Instruction;
  /** The instruction to read the WORKDIR at (the later of ENTRYPOINT and CMD). */
  anchor: Instruction;
}

/** ENTRYPOINT + CMD as Docker combines them, following the chain of base stages. */
function effectiveCommand(doc: DockerDoc, final: Stage): Command | null {
  const chain: Stage[] = [];
  for (let s: Stage | null = final; s && !chain.includes(s); s = s.baseStage) chain.unshift(s);
  let entry: Instruction | null = null;
  let cmd: Instruction | null = null;
  for (const stage of chain) {
    for (const instr of stage.instructions) {
      const kw = instr.getKeyword();
      if (kw === 'ENTRYPOINT') {
        entry = instr;
        cmd = null; // Docker resets an inherited CMD when ENTRYPOINT is set.
      } else if (kw === 'CMD') {
        cmd = instr;
      }
    }
  }
  if (!entry && !cmd) return null;
  const entryArgv = entry ? commandArgv(doc, entry) : null;
  const cmdArgv = cmd ? commandArgv(doc, cmd) : null;
  // Shell-form ENTRYPOINT ignores CMD.
  const argv =
    entryArgv && entryArgv.shell
      ? entryArgv.argv
      : [...(entryArgv?.argv ?? []), ...(cmdArgv?.argv ?? [])];
  const instruction =
    cmd && !(entryArgv && entryArgv.shell) && hasModuleWord(cmdArgv!.argv) ? cmd : (entry ?? cmd)!;
  const anchor = [entry, cmd]
    .filter((i): i is Instruction => i !== null)
    .sort((a, b) => doc.span(b).start - doc.span(a).start)[0];
  return { argv, instruction, anchor };
}

function hasModuleWord(argv: string[]): boolean {
  return argv.some((a) => APP_SPEC.test(a) || /\.py$/.test(a) || a.startsWith('-m'));
}

/** argv of an ENTRYPOINT/CMD: JSON exec form, else the shell form's words. */
function commandArgv(doc: DockerDoc, instr: Instruction): { argv: string[]; shell: boolean } {
  const range = instr.getArgumentsRange();
  if (!range) return { argv: [], shell: false };
  const raw = doc.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
  const joined = joinContinuations(raw, doc.style.escape);
  if (/^\s*\[/.test(joined)) {
    try {
      const parsed: unknown = JSON.parse(joined);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) {
        return { argv: parsed as string[], shell: false };
      }
    } catch {
      // not valid JSON: Docker runs it through the shell
    }
  }
  return { argv: ['/bin/sh', '-c', joined], shell: true };
}

/** A line continuation (escape, blanks, line break) for each escape character. */
const CONTINUATION = { '\\': /\\[ \t]*(\r\n|\r|\n)/g, '`': /`[ \t]*(\r\n|\r|\n)/g };

function joinContinuations(raw: string, escape: string): string {
  return raw
    .replace(CONTINUATION[escape === '`' ? '`' : '\\'], ' ')
    .replace(/(\r\n|\r|\n)[ \t]*#[^\r\n]*/g, '')
    .trim();
}

interface ParsedCommand {
  kind: 'module' | 'script' | 'server';
  program: string;
  module: string;
  script?: string;
  /** `--app-dir` / `--chdir` value, relative to the WORKDIR or absolute. */
  dir?: string;
}

/** Find the Python invocation in argv, unwrapping `sh -c`, `exec`, `env`, `tini --` … */
function parseCommand(argv: string[], depth = 0): ParsedCommand | null {
  if (depth > 3 || argv.length === 0) return null;
  const prog = path.posix.basename(argv[0]);
  if (/^(ba|da|a)?sh$/.test(prog)) {
    const c = argv.indexOf('-c');
    if (c < 0 || c + 1 >= argv.length) return null;
    for (const segment of commandSegments(argv[c + 1])) {
      const found = parseCommand(segment, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (prog === 'exec' || prog === 'tini' || prog === 'dumb-init' || prog === 'env') {
    let i = 1;
    while (
      i < argv.length &&
      (argv[i].startsWith('-') || (prog === 'env' && argv[i].includes('=')))
    )
      i++;
    return parseCommand(argv.slice(i), depth + 1);
  }
  if (/^[A-Za-z_]\w*=/.test(argv[0])) return parseCommand(argv.slice(1), depth + 1);
  if (PYTHON.test(prog)) return parsePython(argv);
  if (SERVERS.has(prog)) return parseServer(argv[0], argv.slice(1));
  return null;
}

function parsePython(argv: string[]): ParsedCommand | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-m' || (a.startsWith('-m') && !a.startsWith('--'))) {
      const mod = a === '-m' ? argv[i + 1] : a.slice(2);
      if (!mod || !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(mod)) return null;
      if (SERVERS.has(mod)) return parseServer(argv[0], argv.slice(a === '-m' ? i + 2 : i + 1));
      return { kind: 'module', program: argv[0], module: mod };
    }
    if (a === '-c') return null;
    if (PY_OPTS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    if (!/\.py$/.test(a)) return null;
    return { kind: 'script', program: argv[0], module: '', script: a };
  }
  return null;
}

function parseServer(program: string, args: string[]): ParsedCommand | null {
  let dir: string | undefined;
  let module: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = /^(--app-dir|--chdir)=(.*)$/.exec(a);
    if (eq) dir = eq[2];
    else if (a === '--app-dir' || a === '--chdir') dir = args[++i];
    else if (!module && !a.startsWith('-')) {
      const m = APP_SPEC.exec(a);
      if (m) module = m[1];
    }
  }
  if (!module) return null;
  return { kind: 'server', program, module, dir };
}

/** Split a shell command into simple commands (`&&`, `||`, `;`, `|`) of words; quotes respected. */
export function commandSegments(text: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endSegment = () => {
    endWord();
    if (words.length) segments.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      endWord();
    } else if (c === ';' || c === '|' || c === '&') {
      endSegment();
      if (text[i + 1] === c) i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  endSegment();
  return segments;
}

function resolveDir(from: string, to: string): string {
  const p = path.posix.resolve(from, to);
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}
