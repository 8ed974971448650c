/**
 * The command line (SPEC §5): `dockerfix [paths..]`, flags, output, exit codes.
 * Exit codes: 0 done; 1 `--check` failed or error findings; 2 bad usage or a file that
 * could not be read, parsed or written (the rest of the batch is still processed).
 */
import * as os from 'node:os';
import type Yargs from 'yargs';
import { fastParse } from './cli-args.js';
import { ConfigError, loadConfigFile } from './config.js';
import { processText, type BatchOptions, type FileResult, type Mode } from './batch.js';
import { decodeDockerfile, discoverDockerfiles, InputError } from './files.js';
import { processInOrder, summaryOnly } from './workers.js';
import { formatFileText, formatSummary } from './report/text.js';
import { colorEnabled, palette, type Colors } from './report/color.js';
import { coRewrite, type BuiltDockerfile } from './corewrite/index.js';
import { readDockerfile } from './files.js';
import type { Engine } from './verify-build.js';
// Loaded where they are used, by the runs that need them: the JSON and SARIF reporters,
// `explain` and `--verify-build` (a plain text run does not pay for their start-up).
import * as path from 'node:path';
import { allTransforms, selectTransforms } from '../transforms/index.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<Buffer>;
  cwd: string;
  /** Whether stdout / stderr are terminals (colour, progress). Default: not. */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** Environment for NO_COLOR / FORCE_COLOR. Default: process.env. */
  env?: Record<string, string | undefined>;
}

/** Batches larger than this show a progress line on a terminal's stderr. */
export const PROGRESS_MIN_FILES = 50;

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** Interrupted by SIGINT (128 + 2, the shell convention). */
export const EXIT_INTERRUPTED = 130;

const splitList = (values: unknown): string[] =>
  ([] as unknown[])
    .concat(values ?? [])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);

/** The yargs parser; yargs is imported only when the fast path (cli-args.ts) cannot decide. */
export function buildParser(argv: string[], yargs: typeof Yargs) {
  return yargs(argv)
    .scriptName('dockerfix')
    .usage(
      '$0 [paths..]\n\nRepair Dockerfiles in place: the twenty corrections of the fix log, applied in order.\n' +
        'Paths are files or directories (searched for Dockerfile, Dockerfile.*, *.Dockerfile,\n' +
        'Containerfile*, honouring .gitignore). Use - to read stdin and write the fixed text to stdout.',
    )
    .option('dry-run', { type: 'boolean', describe: 'Print the diff and findings; write nothing' })
    .option('check', {
      type: 'boolean',
      describe: 'Write nothing; exit 1 if a file would change or has an error finding',
    })
    .option('only', {
      type: 'string',
      array: true,
      nargs: 1,
      describe: 'Run only these transforms (numbers or ids, comma-separated)',
    })
    .option('skip', {
      type: 'string',
      array: true,
      nargs: 1,
      describe: 'Skip these transforms (numbers or ids, comma-separated)',
    })
    .option('context', {
      type: 'string',
      describe: 'Build context root (default: config, compose file, git root, cwd)',
    })
    .option('config', {
      type: 'string',
      describe: 'Config file (default: nearest dockerfix.config.json)',
    })
    .option('target', {
      type: 'string',
      describe: 'Stage to treat as final (like docker build --target)',
    })
    .option('format', {
      choices: ['text', 'json', 'sarif'] as const,
      default: 'text' as const,
      describe: 'Output format',
    })
    .option('list', { type: 'boolean', describe: 'List the transforms and exit' })
    .option('max-size', {
      type: 'number',
      describe: 'Skip files larger than this many bytes (default 2 MiB)',
    })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Print no summary line' })
    .option('fail-level', {
      choices: ['error', 'warning', 'info', 'none'] as const,
      describe:
        'Exit 1 when an unfixed finding has this severity or higher (default: error; none: only --check changes count)',
    })
    .option('safe-only', {
      type: 'boolean',
      describe: 'Apply only fixes marked safe; report the unsafe ones as available',
    })
    .option('build-commands', {
      type: 'boolean',
      default: true,
      describe:
        'Also fix docker/buildah build commands (scripts, Makefiles, workflows, compose, bake) that build a fixed Dockerfile with the wrong context (--no-build-commands: leave them)',
    })
    .option('verify-build', {
      type: 'boolean',
      describe:
        'After fixing (with --dry-run/--check: on the fixed text in a temporary copy), build each file for real with docker buildx or buildah and report built/failed',
    })
    .option('jobs', {
      alias: 'j',
      type: 'number',
      describe: 'Worker threads for a batch (default: number of cores; output order is kept)',
    })
    .example('$0 .', 'Fix every Dockerfile under the current directory, in place')
    .example('$0 --dry-run services/api/Dockerfile', 'Show the diff and findings, write nothing')
    .example('$0 --check --format json .', 'CI gate: exit 1 when anything needs fixing')
    .example('$0 --only 7,8 -', 'Fix stdin with transforms 7 and 8 only, print the result')
    .example('$0 --check --format sarif . > dockerfix.sarif', 'CI gate with a code-scanning report')
    .example('$0 explain 7', 'Print the docs page of transform 7 (number or id)')
    .epilogue(
      'Exit codes: 0 done, 1 --check failed or error findings, 2 bad usage or unreadable file.',
    )
    .strictOptions()
    .version(false)
    .help()
    .wrap(100)
    .exitProcess(false);
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'explain') return runExplain(argv.slice(1), io);
  type ParsedArgs = Awaited<ReturnType<ReturnType<typeof buildParser>['parse']>>;
  let args: ParsedArgs;
  const fast = fastParse(argv);
  if (fast) {
    args = fast as unknown as ParsedArgs;
  } else {
    let usageError: string | null = null;
    let helpShown = false;
    const { default: yargs } = await import('yargs');
    const parser = buildParser(argv, yargs).fail((msg, err) => {
      usageError = msg || err?.message || 'invalid usage';
    });
    let output = '';
    try {
      args = await parser.parse(argv, {}, (_err, _argv, out) => {
        output = out;
      });
    } catch (e) {
      io.stderr(`dockerfix: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
    if (usageError) {
      io.stderr(`dockerfix: ${usageError}\nRun dockerfix --help for usage.\n`);
      return EXIT_USAGE;
    }
    if (output) {
      helpShown = true;
      io.stdout(output.endsWith('\n') ? output : output + '\n');
    }
    if (helpShown) return EXIT_OK;
  }

  if (args.list) {
    for (const t of allTransforms) {
      io.stdout(
        `${String(t.number).padStart(2, '0')}  ${t.id.padEnd(30)} ${t.safety.padEnd(6)}  ${t.title}\n`,
      );
    }
    return EXIT_OK;
  }
  if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs >= 1)) {
    io.stderr('dockerfix: --jobs must be a whole number of at least 1\n');
    return EXIT_USAGE;
  }
  if (args.dryRun && args.check) {
    io.stderr('dockerfix: --dry-run and --check cannot be used together\n');
    return EXIT_USAGE;
  }
  const mode: Mode = args.check ? 'check' : args.dryRun ? 'dry-run' : 'fix';
  let transforms;
  try {
    transforms = selectTransforms(splitList(args.only), splitList(args.skip));
  } catch (e) {
    io.stderr(`dockerfix: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const options: BatchOptions = {
    mode,
    transforms,
    context: args.context,
    cwd: io.cwd,
    maxBytes: args.maxSize,
    ...(args.safeOnly ? { safeOnly: true } : {}),
    ...(args.failLevel ? { failLevel: args.failLevel } : {}),
  };
  if (args.config) {
    try {
      options.config = { file: args.config, config: loadConfigFile(args.config) };
    } catch (e) {
      io.stderr(`dockerfix: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  if (args.target) options.config = withTarget(options, args.target);

  const paths = (args._ as (string | number)[]).map(String);
  if (paths.length === 0) {
    io.stderr(
      'dockerfix: no paths given (use . for the current directory, - for stdin)\nRun dockerfix --help for usage.\n',
    );
    return EXIT_USAGE;
  }
  let engine: Engine | null = null;
  if (args.verifyBuild) {
    const { detectEngine, noEngineMessage } = await import('./verify-build.js');
    const probe = detectEngine();
    if (!probe.engine) {
      io.stderr(`dockerfix: ${noEngineMessage(probe)}\n`);
      return EXIT_USAGE;
    }
    engine = probe.engine;
  }
  if (paths.includes('-')) {
    if (paths.length > 1) {
      io.stderr('dockerfix: - (stdin) cannot be combined with other paths\n');
      return EXIT_USAGE;
    }
    return runStdin(io, options, args.format, engine);
  }
  const buildCommands = args.buildCommands !== false;
  return runFiles(
    paths,
    io,
    options,
    args.format,
    Boolean(args.quiet),
    args.jobs,
    buildCommands,
    engine,
  );
}

/** `--jobs` default: one worker per core. */
function defaultJobs(): number {
  return typeof os.availableParallelism === 'function'
    ? os.availableParallelism()
    : os.cpus().length;
}

function withTarget(options: BatchOptions, target: string): BatchOptions['config'] {
  // --target wins over any config; keep the loaded config when there is one.
  const base = options.config ?? { file: '', config: {} };
  return { file: base.file, config: { ...base.config, target } };
}

async function runFiles(
  paths: string[],
  io: CliIO,
  options: BatchOptions,
  format: string,
  quiet: boolean,
  jobs = defaultJobs(),
  buildCommands = true,
  engine: Engine | null = null,
): Promise<number> {
  const started = Date.now();
  const env = io.env ?? process.env;
  const c: Colors = palette(colorEnabled(io.stdoutIsTTY, env));
  const ce: Colors = palette(colorEnabled(io.stderrIsTTY, env));
  const { files, errors } = discoverDockerfiles(paths, io.cwd);
  const results: FileResult[] = [];
  for (const e of errors) io.stderr(`dockerfix: ${e.path}: ${e.message}\n`);
  // Ctrl-C stops the batch between files: each file is written whole (temp file + rename) or
  // not at all, so every file is either old or new. A pending signal is handled after each file.
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    // In input order whatever --jobs is; no new file is started once interrupted.
    const run = { jobs, stop: () => interrupted };
    const progress = files.length > PROGRESS_MIN_FILES && Boolean(io.stderrIsTTY) && !quiet;
    for await (const r of processInOrder(files, options, run)) {
      // Text output is printed as it comes: keep only what the summary and exit code need.
      results.push(format === 'text' ? summaryOnly(r) : r);
      if (progress) io.stderr('\r\x1b[K');
      if (r.error) io.stderr(`dockerfix: ${ce.red(r.path)}: ${r.error}\n`);
      else if (format === 'text') io.stdout(formatFileText(r, c));
      if (progress) io.stderr(ce.dim(`[${results.length}/${files.length}] ${r.path}`));
    }
    if (progress) io.stderr('\r\x1b[K');
    if (engine && !interrupted) {
      // --verify-build: one real build per Dockerfile, in order, after all fixes are written.
      const { verifyFileResult } = await import('./verify-build.js');
      for (const r of [...results]) {
        if (interrupted) break;
        const build = verifyFileResult(r, options, io.cwd, engine);
        if (!build) continue;
        r.build = build;
        if (format === 'text') io.stdout(formatFileText({ ...r, diff: '', findings: [] }, c));
      }
    }
    if (buildCommands && !interrupted) {
      for (const r of coRewrite(builtDockerfiles(results, options, io.cwd), {
        mode: options.mode,
        cwd: io.cwd,
        roots: [...new Set(results.flatMap((r) => (r.context ? [r.context.root] : [])))],
      })) {
        results.push(r);
        if (r.error) io.stderr(`dockerfix: ${ce.red(r.path)}: ${r.error}\n`);
        if (format === 'text') io.stdout(formatFileText(r, c));
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (interrupted) {
    const written = results.filter((r) => r.written).length;
    io.stderr(
      `dockerfix: interrupted after ${results.length} of ${files.length} files ` +
        `(${written} written); the rest were not touched\n`,
    );
  }
  if (format === 'json') {
    const { formatJson } = await import('./report/json.js');
    io.stdout(formatJson(results, errors.length ? { errors } : {}));
  } else if (format === 'sarif') {
    const { formatSarif } = await import('./report/sarif.js');
    io.stdout(formatSarif(results, { transforms: allTransforms, cwd: io.cwd, errors }));
  } else if (!quiet) {
    io.stderr(formatSummary(results, options.mode, Date.now() - started));
  }
  if (interrupted) return EXIT_INTERRUPTED;
  return exitCode(results, options.mode, errors.length > 0, options.failLevel);
}

async function runStdin(
  io: CliIO,
  options: BatchOptions,
  format: string,
  engine: Engine | null = null,
): Promise<number> {
  let text: string;
  try {
    text = decodeDockerfile(await io.readStdin());
  } catch (e) {
    io.stderr(
      `dockerfix: <stdin>: ${e instanceof InputError ? e.message : (e as Error).message}\n`,
    );
    return EXIT_USAGE;
  }
  let result: FileResult;
  try {
    result = processText(text, null, '<stdin>', options);
  } catch (e) {
    const reason = e instanceof ConfigError ? e.message : `internal error: ${(e as Error).message}`;
    io.stderr(`dockerfix: <stdin>: ${reason}\n`);
    if (options.mode === 'fix') io.stdout(text);
    return EXIT_USAGE;
  }
  // --verify-build: the fixed text, built from the context root (the working directory).
  if (engine) {
    const { verifyFileResult } = await import('./verify-build.js');
    result.build = verifyFileResult(result, options, io.cwd, engine) ?? undefined;
  }
  if (format === 'json') {
    const { formatJson } = await import('./report/json.js');
    io.stdout(formatJson([result]));
  } else if (format === 'sarif') {
    const { formatSarif } = await import('./report/sarif.js');
    io.stdout(formatSarif([result], { transforms: allTransforms, cwd: io.cwd }));
  } else if (options.mode === 'fix') {
    io.stdout(result.output ?? text);
    const findings = formatFileText({ ...result, diff: '' });
    if (findings) io.stderr(findings);
  } else {
    io.stdout(formatFileText(result));
  }
  return exitCode([result], options.mode, false, options.failLevel);
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

export function exitCode(
  results: FileResult[],
  mode: Mode,
  hadPathErrors: boolean,
  failLevel: BatchOptions['failLevel'] = 'error',
): number {
  if (hadPathErrors || results.some((r) => r.error)) return EXIT_USAGE;
  if (results.some((r) => r.build?.status === 'failed')) return EXIT_FINDINGS;
  // Like hadolint's --failure-threshold: unfixed findings at or above the level fail the run.
  const errorFindings =
    failLevel !== 'none' &&
    results.some((r) =>
      r.findings.some((f) => !f.fixed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failLevel]),
    );
  if (mode === 'check' && results.some((r) => r.changed)) return EXIT_FINDINGS;
  // --check --safe-only: an unsafe fix left unapplied still means the file needs a correction.
  if (mode === 'check' && results.some((r) => r.findings.some((f) => f.fixAvailable)))
    return EXIT_FINDINGS;
  return errorFindings ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The Dockerfiles of this run, with the context root each now assumes, for the build-command
 * co-rewrite. The fixed text is what is on disk after a write, else the run is repeated for
 * just that file (only when a build command names it).
 */
function builtDockerfiles(results: FileResult[], options: BatchOptions, cwd: string) {
  const out: BuiltDockerfile[] = [];
  for (const r of results) {
    if (r.error || !r.context || r.path === '<stdin>') continue;
    const file = path.resolve(cwd, r.path);
    let text: string | null = null;
    out.push({
      file,
      root: r.context.root,
      fixedText: () => {
        if (text !== null) return text;
        try {
          const read = readDockerfile(file, options.maxBytes);
          text =
            r.written || !r.changed
              ? read.text
              : (processText(read.text, file, r.path, options).output ?? read.text);
        } catch {
          text = '';
        }
        return text;
      },
    });
  }
  return out;
}

/** `dockerfix explain <id|number>`: print the transform's docs page. */
async function runExplain(rest: string[], io: CliIO): Promise<number> {
  if (rest.length !== 1 || rest[0].startsWith('-')) {
    io.stderr('dockerfix: usage: dockerfix explain <id|number>  (see dockerfix --list)\n');
    return rest.includes('--help') || rest.includes('-h') ? EXIT_OK : EXIT_USAGE;
  }
  const { explain } = await import('./explain.js');
  const r = explain(rest[0], allTransforms);
  if (!r.ok) {
    io.stderr(`dockerfix: ${r.error}\n`);
    return EXIT_USAGE;
  }
  io.stdout(r.text);
  return EXIT_OK;
}
