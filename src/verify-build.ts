/**
 * `--verify-build`: prove a fix with a real build engine (SPEC §4 row 20, the log's
 * "Final Build Verification"). Finds an engine — `docker buildx` when a Docker daemon answers,
 * else `buildah bud` — builds the Dockerfile from its context root, classifies the first error
 * lines of a failed build, and removes what the build created (no image, no container is left).
 *
 * Everything that runs a process goes through a `CommandRunner`, so the decisions (which engine,
 * which arguments, how an output is classified) are unit-testable without an engine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processText, type BatchOptions, type FileResult } from './batch.js';
import { readDockerfile } from './files.js';
import type { FailureKind } from './build-failures.js';

export interface CommandResult {
  /** Exit status; null when the process could not start or was killed. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program is missing (ENOENT) or timed out. */
  error?: string;
}

export type CommandRunner = (
  command: string,
  args: string[],
  options?: { timeoutMs?: number; cwd?: string },
) => CommandResult;

export const spawnRunner: CommandRunner = (command, args, options = {}) => {
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    env: process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 15_000,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ...(r.error
      ? { error: code === 'ENOENT' ? 'not installed' : code === 'ETIMEDOUT' ? 'timed out' : code }
      : {}),
  };
};

export type EngineName = 'docker' | 'buildah';

export interface Engine {
  name: EngineName;
  /** Version as the engine reports it. */
  version: string;
  /** Global options before the subcommand (`buildah --storage-driver vfs bud …`). */
  globalArgs: string[];
}

export interface EngineProbe {
  engine: Engine | null;
  /** Why each engine was or was not usable, one short clause each. */
  notes: string[];
}

type Env = Record<string, string | undefined>;

/**
 * Which engine to build with. Docker only counts when its daemon answers (the client alone is
 * common: Docker Desktop stopped, CI images with the CLI only); buildah needs no daemon.
 */
export function detectEngine(
  run: CommandRunner = spawnRunner,
  env: Env = process.env,
  exists: (p: string) => boolean = fs.existsSync,
): EngineProbe {
  const notes: string[] = [];
  const docker = run('docker', ['version', '--format', '{{.Server.Version}}'], {
    timeoutMs: 10_000,
  });
  if (docker.error === 'not installed') {
    notes.push('docker: not installed');
  } else if (docker.status === 0 && docker.stdout.trim()) {
    const buildx = run('docker', ['buildx', 'version'], { timeoutMs: 10_000 });
    if (buildx.status === 0) {
      return {
        engine: { name: 'docker', version: docker.stdout.trim(), globalArgs: [] },
        notes: [`docker: engine ${docker.stdout.trim()} answers`],
      };
    }
    notes.push('docker: engine answers but the buildx plugin is missing');
  } else {
    const why = firstLine(docker.stderr) || docker.error || `exit status ${docker.status}`;
    notes.push(`docker: client found but no engine answers (${why})`);
  }
  const buildah = run('buildah', ['--version'], { timeoutMs: 10_000 });
  if (buildah.status === 0) {
    const version = /version\s+(\S+)/.exec(buildah.stdout)?.[1] ?? buildah.stdout.trim();
    notes.push(`buildah: ${version}`);
    return {
      engine: { name: 'buildah', version, globalArgs: buildahStorageArgs(env, exists) },
      notes,
    };
  }
  notes.push(
    buildah.error === 'not installed'
      ? 'buildah: not installed'
      : `buildah: not usable (${firstLine(buildah.stderr) || buildah.error})`,
  );
  return { engine: null, notes };
}

/** `--storage-driver vfs` unless the user configured containers storage (it works everywhere). */
export function buildahStorageArgs(env: Env, exists: (p: string) => boolean): string[] {
  if (env.CONTAINERS_STORAGE_CONF || env.STORAGE_DRIVER) return [];
  const home = env.HOME ?? os.homedir();
  const user = path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'containers');
  const candidates = ['/etc/containers/storage.conf', path.join(user, 'storage.conf')];
  return candidates.some((p) => exists(p)) ? [] : ['--storage-driver', 'vfs'];
}

/** The message printed when no engine can build. */
export function noEngineMessage(probe: EngineProbe): string {
  return (
    `--verify-build: no container engine to build with (${probe.notes.join('; ')}). ` +
    'Start a Docker engine (with buildx) or install buildah (apt-get install buildah).'
  );
}

export { FAILURE_LABELS, type FailureKind } from './build-failures.js';

export interface Classification {
  kind: FailureKind;
  /** The build step that failed, as the engine printed it, when it says. */
  step: string | null;
  /** The first lines that say what went wrong (at most five). */
  lines: string[];
}

const PATTERNS: { kind: Exclude<FailureKind, 'other'>; re: RegExp }[] = [
  // buildah: `checking on sources under "/ctx": copier: stat: "/requirements.txt": no such file…`
  // BuildKit: `failed to calculate checksum of ref …: "/requirements.txt": not found`
  // classic docker: `COPY failed: file not found in build context …`
  {
    kind: 'copy-source-not-found',
    re: /checking on sources under|copier: stat:|failed to (?:compute cache key|calculate checksum of ref)|COPY failed|ADD failed|no items matching glob|no source files were specified/i,
  },
  { kind: 'module-not-found', re: /\b(?:ModuleNotFoundError|ImportError): / },
  { kind: 'exec-format-error', re: /exec format error/i },
  {
    kind: 'base-image-unavailable',
    re: /image not known|pull access denied|failed to resolve source metadata|manifest unknown|repository does not exist|no such image|unable to pull|failed to do request.*registry|error pulling image/i,
  },
];

const ERROR_LINE =
  /^(?:Error|ERROR)\b|\berror:|: (?:command )?not found$|subprocess exited with status|process exited with error|did not complete successfully/i;

/** Strip BuildKit's plain-progress prefix (`#12 0.345 `) and surrounding blanks. */
function cleanLine(line: string): string {
  return line.replace(/^#\d+\s+(?:\d+(?:\.\d+)?\s+)?/, '').trim();
}

/** Classify a failed build's combined output; the first specific cause wins. */
export function classifyBuildOutput(output: string): Classification {
  const lines = output
    .split(/\r\n|\r|\n/)
    .map(cleanLine)
    .filter((l) => l && !/level=warning|^WARN(?:ING)?\b/.test(l));
  let step: string | null = null;
  for (const l of lines) {
    const m = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (.*)$/.exec(l) ?? /^\[[^\]]+\] (.*)$/.exec(l);
    if (m) step = m[1];
    if (/^Error: building at STEP/.test(l) || /^ERROR: failed to solve/.test(l)) break;
  }
  let kind: FailureKind = 'other';
  let firstSpecific = -1;
  for (let i = 0; i < lines.length && firstSpecific < 0; i++) {
    const hit = PATTERNS.find((p) => p.re.test(lines[i]));
    if (hit) {
      kind = hit.kind;
      firstSpecific = i;
    }
  }
  const picked: string[] = [];
  const add = (l: string) => {
    if (!picked.includes(l) && picked.length < 5) picked.push(l);
  };
  if (firstSpecific >= 0) add(lines[firstSpecific]);
  for (const l of lines) if (ERROR_LINE.test(l) || PATTERNS.some((p) => p.re.test(l))) add(l);
  if (picked.length === 0 && lines.length) add(lines[lines.length - 1]);
  return { kind, step, lines: picked };
}

export interface BuildOutcome {
  engine: EngineName;
  status: 'built' | 'failed';
  seconds: number;
  /** The command as run (for the report and to reproduce it). */
  command: string;
  /** For a failed build. */
  failure?: Classification;
  /** Full output (JSON reporters may include it; text shows the classified lines). */
  output: string;
  /** Anything that could not be cleaned up (should stay empty). */
  cleanupErrors: string[];
}

export interface BuildRequest {
  /** The Dockerfile to build (the fixed file, or a temporary copy of the fixed text). */
  dockerfile: string;
  contextRoot: string;
  engine: Engine;
  run?: CommandRunner;
  /** Default 20 minutes. */
  timeoutMs?: number;
  /** Unique per build; removed afterwards. */
  tag?: string;
  env?: Env;
}

let counter = 0;

/** The engine's argv for one verification build. */
export function buildArgs(req: BuildRequest, tag: string): string[] {
  const env = req.env ?? process.env;
  if (req.engine.name === 'docker') {
    // cacheonly: the result is not loaded into the image store, so nothing is left behind.
    return [
      'buildx',
      'build',
      '--progress=plain',
      '--output=type=cacheonly',
      '--file',
      req.dockerfile,
      req.contextRoot,
    ];
  }
  return [
    ...req.engine.globalArgs,
    'bud',
    ...(env.BUILDAH_ISOLATION ? [] : ['--isolation', 'chroot']),
    '--pull=never',
    '--layers=false',
    '--force-rm',
    '--file',
    req.dockerfile,
    '--tag',
    tag,
    req.contextRoot,
  ];
}

/** Build once; never throws for a failed build, always removes the image it tagged. */
export function runBuild(req: BuildRequest): BuildOutcome {
  const run = req.run ?? spawnRunner;
  const tag = req.tag ?? `localhost/dockerfix-verify-${process.pid}-${Date.now()}-${++counter}`;
  const command = req.engine.name === 'docker' ? 'docker' : 'buildah';
  const args = buildArgs(req, tag);
  const started = Date.now();
  const r = run(command, args, { timeoutMs: req.timeoutMs ?? 20 * 60_000 });
  const seconds = (Date.now() - started) / 1000;
  const output = `${r.stdout}${r.stdout && r.stderr ? '\n' : ''}${r.stderr}`;
  const cleanupErrors: string[] = [];
  if (req.engine.name === 'buildah') {
    // Remove the tagged image if the build got that far; "image not known" is the normal case
    // after a failure. --force-rm already removed the working containers.
    const rm = run(command, [...req.engine.globalArgs, 'rmi', '--force', tag], {
      timeoutMs: 60_000,
    });
    if (rm.status !== 0 && !/image not known|not found|no such image/i.test(rm.stderr)) {
      cleanupErrors.push(`could not remove ${tag}: ${firstLine(rm.stderr) || rm.error}`);
    }
  }
  const shown = [command, ...args].map(shellQuote).join(' ');
  if (r.status === 0) {
    return {
      engine: req.engine.name,
      status: 'built',
      seconds,
      command: shown,
      output,
      cleanupErrors,
    };
  }
  const failure = classifyBuildOutput(output);
  if (r.error === 'timed out')
    failure.lines.unshift(`build timed out after ${Math.round(seconds)}s`);
  if (r.error === 'not installed') failure.lines.unshift(`${command}: not installed`);
  return {
    engine: req.engine.name,
    status: 'failed',
    seconds,
    command: shown,
    failure,
    output,
    cleanupErrors,
  };
}

/**
 * Build the given text as if it were the Dockerfile at `original`: a temporary copy outside the
 * context (so the working tree is untouched), with the Dockerfile-specific ignore file
 * (`<name>.dockerignore`) copied beside it, since BuildKit looks for it next to the Dockerfile.
 */
export function runBuildOfText(
  text: string,
  original: string | null,
  req: Omit<BuildRequest, 'dockerfile'>,
): BuildOutcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-verify-'));
  try {
    const name = original ? path.basename(original) : 'Dockerfile';
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    if (original) {
      const ignore = `${original}.dockerignore`;
      if (fs.existsSync(ignore)) fs.copyFileSync(ignore, path.join(dir, `${name}.dockerignore`));
    }
    return runBuild({ ...req, dockerfile: file });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function firstLine(s: string): string {
  return (
    s
      .split(/\r?\n/)
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The build for one processed Dockerfile: the file on disk when it holds the fixed text (written,
 * or nothing to change), else — `--dry-run`, `--check`, a file not written — the fixed text in a
 * temporary copy (the run is repeated for that file to get it). Null for a file that failed.
 */
export function verifyFileResult(
  r: FileResult,
  options: BatchOptions,
  cwd: string,
  engine: Engine,
  run?: CommandRunner,
): BuildOutcome | null {
  if (r.error || !r.context) return null;
  const req = { contextRoot: r.context.root, engine, run };
  if (r.path === '<stdin>') {
    return r.output === undefined ? null : runBuildOfText(r.output, null, req);
  }
  const file = path.resolve(cwd, r.path);
  if (r.written || !r.changed) return runBuild({ ...req, dockerfile: file });
  const read = readDockerfile(file, options.maxBytes);
  const fixed = processText(read.text, file, r.path, options).output ?? read.text;
  return runBuildOfText(fixed, file, req);
}
