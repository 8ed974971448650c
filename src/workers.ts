/**
 * Batches across cores: a small worker_threads pool that runs `processFile` on chunks of the
 * file list and streams the results back, yielded here in input order (so the output of
 * `--jobs N` is byte-identical to `--jobs 1`). Each worker builds its own transforms list from
 * the ids of the selected transforms (the same `--only` / `--skip` selection, same order).
 *
 * Falls back to the calling thread when one worker would not pay for its start-up (few files,
 * `--jobs 1`), when running from TypeScript sources (tests: a worker needs the compiled build),
 * or for a chunk whose worker failed.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createBatchCache, processFile, type BatchOptions, type FileResult } from './batch.js';
import type { ReportedFinding } from './runner.js';

const WORKER_KIND = 'dockerfix-batch-worker';
/** Files per message: small enough to balance the load, large enough to amortise messaging. */
const CHUNK = 16;
/** Chunks queued per worker, so it never waits for this thread while this thread is busy. */
const IN_FLIGHT = 2;
/** Files this thread processes between looks at the workers' replies. */
const LOCAL_CHUNK = 4;
/** Results processed or in flight ahead of the one to print next: bounds memory for any N. */
const WINDOW = 1024;
/** Below this many files per worker, a worker's start-up (module loading) costs more than it saves. */
const MIN_FILES_PER_WORKER = 40;

export interface OrderedRun {
  /** Worker threads to use (`--jobs`); 1 = this thread only. */
  jobs: number;
  /** Checked before each file (or chunk) is started: stop starting new work when true. */
  stop?: () => boolean;
}

interface WorkerInit {
  kind: typeof WORKER_KIND;
  options: Omit<BatchOptions, 'transforms'>;
  transformIds: string[];
}

interface ChunkRequest {
  start: number;
  files: string[];
}

type ChunkReply = { start: number; results: FileResult[] } | { start: number; failed: string };

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

async function* processWithWorkers(
  files: string[],
  options: BatchOptions,
  run: OrderedRun,
  threads: number,
): AsyncGenerator<FileResult> {
  // This thread is one of the `threads`: it processes files too, between printing results, so
  // `--jobs N` starts N - 1 workers (each worker's start-up is a full module load).
  // Each thread keeps its own look-up cache; the transforms are rebuilt from their ids.
  const { transforms, cache: _cache, ...shared } = options;
  const init: WorkerInit = {
    kind: WORKER_KIND,
    options: shared,
    transformIds: transforms.map((t) => t.id),
  };
  const done = new Map<number, FileResult>();
  // Up to IN_FLIGHT chunks per worker, answered in the order sent.
  const inFlight = new Map<Worker, ChunkRequest[]>();
  const idle: Worker[] = [];
  let next = 0;
  let emitted = 0;
  let stopped = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  const local: BatchOptions = { ...options, cache: options.cache ?? createBatchCache() };
  /** A chunk its worker could not do is done here, file by file (errors stay per file). */
  const processLocally = (req: ChunkRequest) => {
    req.files.forEach((f, i) => done.set(req.start + i, processFile(f, local)));
  };
  const canStart = () => {
    if (!stopped && run.stop?.()) stopped = true;
    return !stopped && next < files.length && next - emitted < WINDOW;
  };

  const dispatch = (w: Worker) => {
    const queue = inFlight.get(w) ?? [];
    while (queue.length < IN_FLIGHT && canStart()) {
      const req: ChunkRequest = { start: next, files: files.slice(next, next + CHUNK) };
      next += req.files.length;
      queue.push(req);
      w.postMessage(req);
    }
    inFlight.set(w, queue);
    if (queue.length === 0 && !idle.includes(w)) idle.push(w);
  };
  const redispatchIdle = () => {
    for (const w of idle.splice(0)) dispatch(w);
  };

  const pool: Worker[] = [];
  for (let i = 0; i < threads - 1; i++) {
    let w: Worker;
    try {
      w = new Worker(new URL(import.meta.url), { workerData: init });
    } catch {
      break; // options that cannot be cloned, or no threads: do with fewer (or none)
    }
    pool.push(w);
    w.on('message', (reply: ChunkReply) => {
      const req = inFlight.get(w)?.shift();
      if ('failed' in reply) {
        if (req) processLocally(req);
      } else {
        reply.results.forEach((r, k) => done.set(reply.start + k, r));
      }
      dispatch(w);
      notify();
    });
    const lost = () => {
      if (!pool.includes(w)) return; // 'error' is followed by 'exit'
      for (const req of inFlight.get(w) ?? []) processLocally(req);
      inFlight.delete(w);
      const at = idle.indexOf(w);
      if (at >= 0) idle.splice(at, 1);
      pool.splice(pool.indexOf(w), 1);
      notify();
    };
    w.on('error', lost);
    w.on('exit', (code) => {
      if (code !== 0 || (inFlight.get(w)?.length ?? 0) > 0) lost();
    });
    dispatch(w);
  }

  try {
    while (emitted < files.length) {
      const r = done.get(emitted);
      if (r) {
        done.delete(emitted);
        emitted++;
        yield r;
        redispatchIdle();
        continue;
      }
      if (canStart()) {
        // This thread's share: a few files, then back to the event loop for workers' replies.
        const start = next;
        const mine = files.slice(next, next + LOCAL_CHUNK);
        next += mine.length;
        mine.forEach((f, i) => done.set(start + i, processFile(f, local)));
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (stopped && emitted >= next) return;
      if (pool.length === 0 && !stopped && next >= files.length) return;
      // Every reply wakes us; a stop request is noticed when the next chunk would be sent.
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    for (const w of pool) w.removeAllListeners();
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Worker side: build the transforms, then answer chunk requests until terminated. */
async function serveAsWorker(init: WorkerInit): Promise<void> {
  const { allTransforms } = await import('../transforms/index.js');
  const transforms = init.transformIds.map((id) => {
    const t = allTransforms.find((x) => x.id === id);
    if (!t) throw new Error(`worker: unknown transform ${id}`);
    return t;
  });
  const options: BatchOptions = { ...init.options, transforms, cache: createBatchCache() };
  parentPort!.on('message', (req: ChunkRequest) => {
    try {
      const results = req.files.map((f) => processFile(f, options));
      parentPort!.postMessage({ start: req.start, results } satisfies ChunkReply);
    } catch (e) {
      parentPort!.postMessage({ start: req.start, failed: String(e) } satisfies ChunkReply);
    }
  });
}

if (!isMainThread && (workerData as WorkerInit | undefined)?.kind === WORKER_KIND) {
  void serveAsWorker(workerData as WorkerInit);
}
