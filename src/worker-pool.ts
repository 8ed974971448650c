/**
 * The worker_threads pool of a batch (see workers.ts): this thread hands out chunks of the file
 * list, processes files itself in between, and yields the results in input order. A worker runs
 * this module too (serveAsWorker). Loaded only by a batch that uses workers.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createBatchCache, processFile, type BatchOptions, type FileResult } from './batch.js';
import type { OrderedRun } from './workers.js';

const WORKER_KIND = 'dockerfix-batch-worker';
/** Files per message: small enough to balance the load, large enough to amortise messaging. */
const CHUNK = 16;
/** Chunks queued per worker, so it never waits for this thread while this thread is busy. */
const IN_FLIGHT = 2;
/** Files this thread processes between looks at the workers' replies. */
const LOCAL_CHUNK = 4;
/** Results processed or in flight ahead of the one to print next: bounds memory for any N. */
const WINDOW = 1024;

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

/** `files` across this thread and `threads - 1` workers, yielded in input order. */
export async function* processWithWorkers(
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
