/**
 * Batches across cores: a small worker_threads pool that runs `processFile` on chunks of the
 * file list and streams the results back, yielded here in input order (so the output of
 * `--jobs N` is byte-identical to `--jobs 1`). Each worker builds its own transforms list from
 * the ids of the selected transforms (the same `--only` / `--skip` selection, same order).
 *
 * Falls back to the calling thread when one worker would not pay for its start-up (few files,
 * `--jobs 1`), when running from TypeScript sources (tests: a worker needs the compiled build),
 * or for a chunk whose worker failed. The pool itself is in worker-pool.ts.
 */
import { createBatchCache, processFile, type BatchOptions, type FileResult } from './batch.js';
import type { ReportedFinding } from './runner.js';

/** Below this many files per worker, a worker's start-up (module loading) costs more than it saves. */
const MIN_FILES_PER_WORKER = 40;

export interface OrderedRun {
  /** Worker threads to use (`--jobs`); 1 = this thread only. */
  jobs: number;
  /** Checked before each file (or chunk) is started: stop starting new work when true. */
  stop?: () => boolean;
}

/**
 * What a batch keeps of a result already printed as text: what the summary, the exit code and
 * the end-of-run steps read (path, context root and source, changed/written/error, and per
 * finding only its severity, fixed, fixAvailable and suppressed). Each finding becomes a shared
 * stand-in object with those fields, and files with the same stand-ins in the same order share
 * one frozen array, so a printed file costs a few small fields whatever its findings. The
 * context's display strings (`detail`, `shown`) are dropped: they were built by concatenation
 * and kept every piece alive (≈0.5 KB per file in heap snapshots of a 10,000-file batch).
 */
export function summaryOnly(r: FileResult): FileResult {
  const kept: FileResult = {
    path: r.path,
    changed: r.changed,
    written: r.written,
    findings: standInList(r.findings),
    diff: '',
  };
  if (r.suppressed) kept.suppressed = standInList(r.suppressed);
  if (r.context) kept.context = { root: r.context.root, source: r.context.source };
  if (r.error !== undefined) kept.error = r.error;
  if (r.build) kept.build = r.build;
  return kept;
}

const standIns = new Map<string, ReportedFinding>();
const standInLists = new Map<string, readonly ReportedFinding[]>();
/** Distinct stand-in lists kept (a batch has few shapes; past this, lists are not shared). */
const MAX_SHARED_LISTS = 1000;

/** The shared stand-in of a finding: same severity and flags, no text, no position, no edits. */
function standIn(f: ReportedFinding): ReportedFinding {
  const key = standInKey(f);
  let shared = standIns.get(key);
  if (!shared) {
    shared = Object.freeze({
      transform: '',
      severity: f.severity,
      line: 0,
      message: '',
      fixed: f.fixed,
      ...(f.fixAvailable !== undefined ? { fixAvailable: f.fixAvailable } : {}),
      ...(f.suppressed !== undefined ? { suppressed: f.suppressed } : {}),
    });
    standIns.set(key, shared);
  }
  return shared;
}

function standInKey(f: ReportedFinding): string {
  return `${f.severity}|${f.fixed}|${f.fixAvailable ?? ''}|${f.suppressed ?? ''}`;
}

/** The stand-ins of `findings`, as one frozen array shared by every list of the same shape. */
function standInList(findings: ReportedFinding[]): ReportedFinding[] {
  const key = findings.map(standInKey).join(',');
  let shared = standInLists.get(key);
  if (!shared) {
    shared = Object.freeze(findings.map(standIn));
    if (standInLists.size < MAX_SHARED_LISTS) standInLists.set(key, shared);
  }
  return shared as ReportedFinding[];
}

/** How many workers a batch of `files` should use with `--jobs jobs`. */
export function workerCount(files: number, jobs: number): number {
  if (!Number.isFinite(jobs) || jobs <= 1) return 1;
  return Math.max(1, Math.min(Math.floor(jobs), Math.floor(files / MIN_FILES_PER_WORKER)));
}

/** Workers run the compiled JavaScript; from TypeScript sources (jest) use this thread. */
function canUseWorkers(): boolean {
  return import.meta.url.endsWith('.js');
}

/** Process `files`, yielding one result per file in input order. */
export async function* processInOrder(
  files: string[],
  options: BatchOptions,
  run: OrderedRun,
): AsyncGenerator<FileResult> {
  const count = workerCount(files.length, run.jobs);
  if (count <= 1 || !canUseWorkers()) {
    yield* processHere(files, { ...options, cache: options.cache ?? createBatchCache() }, run);
    return;
  }
  // The pool (and node:worker_threads) is loaded only by a batch that uses it.
  const { processWithWorkers } = await import('./worker-pool.js');
  yield* processWithWorkers(files, options, run, count);
}

async function* processHere(
  files: string[],
  options: BatchOptions,
  run: OrderedRun,
): AsyncGenerator<FileResult> {
  for (const file of files) {
    if (run.stop?.()) return;
    yield processFile(file, options);
    // Let a pending signal (SIGINT) be handled between files.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
