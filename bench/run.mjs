/**
 * `npm run bench [-- --n 2000,10000 --reps 3 --jobs 2]`
 *
 * Generates (once, deterministically) a monorepo of N Dockerfiles, then measures, as medians
 * of --reps repetitions:
 *   (a) floor      read + parse every file once with dockerfile-ast, in-process
 *   (b) check -j1  `dockerfix --check --jobs 1 .` over the tree (whole process, wall clock)
 *   (c) check -jN  the same with --jobs N (default: all cores)
 *   (d) peers      dockerfile-utils validate() and dockerfilelint run(), in-process
 *   (e) cold start `dockerfix --check <one file>` and bare `node -e 0`
 *   (f) peak RSS   of (b) and (c)
 * Prints a table (ratios to the floor) and merges the numbers into bench/results.json,
 * keyed by N. Uses the built CLI (bin/dockerfix.js → dist/); `npm run bench` builds first.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { ensureTree, generate } from './generate.mjs';
import { renderTable } from './table.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
// `npm run bench` compiles a private snapshot of the CLI into bench/out/build (the shared dist/
// is rebuilt by others while a bench runs); fall back to the normal build.
const snapshot = path.join(here, 'out', 'build');
const cli = fs.existsSync(path.join(snapshot, 'dist', 'src', 'cli.js'))
  ? path.join(snapshot, 'bin', 'dockerfix.js')
  : path.join(repo, 'bin', 'dockerfix.js');
if (cli.startsWith(snapshot)) {
  fs.mkdirSync(path.dirname(cli), { recursive: true });
  fs.copyFileSync(path.join(repo, 'bin', 'dockerfix.js'), cli);
}
const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function option(name, dflt) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  return argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
}

const sizes = String(option('n', '10000'))
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const reps = Math.max(1, Number(option('reps', 3))); // the table says how many
const seed = Number(option('seed', 7));
const cores =
  typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const jobs = Number(option('jobs', cores));
const coldReps = Math.max(5, Number(option('cold-reps', 9)));
const raw = process.argv.includes('--raw');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Run a command; wall-clock ms measured here, peak RSS (MB) from /usr/bin/time when present. */
function timed(cmd, args, cwd) {
  const rssFile = path.join(os.tmpdir(), `dockerfix-bench-rss-${process.pid}`);
  const full = timeBin ? [timeBin, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let rssMB = null;
  let cpuMs = null;
  if (timeBin) {
    const [kb, user, sys] = fs
      .readFileSync(rssFile, 'utf8')
      .trim()
      .split('\n')
      .pop()
      .split(' ')
      .map(Number);
    rssMB = Number.isFinite(kb) ? kb / 1024 : null;
    cpuMs = Number.isFinite(user + sys) ? (user + sys) * 1000 : null;
    fs.rmSync(rssFile, { force: true });
  }
  return { ms, rssMB, cpuMs, status: r.status, stderr: r.stderr.toString() };
}

function inProcess(what, manifestFile) {
  const r = spawnSync(process.execPath, [path.join(here, 'measure.mjs'), what, manifestFile], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`measure ${what} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function checkRun(tree, j, expectFiles) {
  const r = timed(process.execPath, [cli, '--check', '--jobs', String(j), '.'], tree);
  // --check exits 1 when files would change; 2 means the run itself failed.
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`dockerfix failed (${r.status}): ${r.stderr}`);
  const summary = r.stderr.trim().split('\n').pop();
  const m = /(\d+) files? checked, (\d+) would fix/.exec(summary);
  if (!m || Number(m[1]) !== expectFiles) {
    throw new Error(`dockerfix checked an unexpected number of files: ${summary}`);
  }
  return { ...r, wouldFix: Number(m[2]), summary };
}

/** A hash of the compiled CLI: the migrated tree depends on what the transforms do. */
function toolHash() {
  const dist = path.join(path.dirname(path.dirname(cli)), 'dist');
  const h = createHash('sha1');
  const walk = (dir) => {
    for (const e of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) h.update(e.name).update(fs.readFileSync(p));
    }
  };
  walk(dist);
  return h.digest('hex');
}

/**
 * The monorepo as CI sees it after adopting dockerfix: every file without a seeded fault is
 * brought to dockerfix's fixed point (one fix run; the transforms are idempotent), the ~10%
 * with seeded faults are left as generated. `--raw` skips this (a first migration).
 */
function prepareTree(n) {
  if (!raw && n > SHARD && n % SHARD === 0) return replicatedTree(n);
  const tree = path.join(here, 'out', `mono-${n}-s${seed}${raw ? '-raw' : ''}`);
  const manifestFile = path.join(tree, 'manifest.json');
  let manifest = ensureTree({ n, seed, out: tree });
  if (raw) return { tree, manifest, manifestFile };
  const tool = toolHash();
  if (manifest.migratedWith === tool) return { tree, manifest, manifestFile };
  if (manifest.migratedWith) manifest = generate({ n, seed, out: tree });
  const t0 = Date.now();
  for (let i = 0; i < manifest.clean.length; i += 500) {
    const chunk = manifest.clean.slice(i, i + 500).map((f) => path.relative(tree, f));
    const r = spawnSync(process.execPath, [cli, '--quiet', '--jobs', String(cores), ...chunk], {
      cwd: tree,
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status === 2 && /internal error|Error:/.test(r.stderr.toString())) {
      process.stderr.write(r.stderr.toString().slice(0, 2000));
    }
  }
  manifest.migratedWith = tool;
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  process.stderr.write(
    `N=${n}: ${manifest.clean.length} clean files brought to the fixed point in ${Date.now() - t0} ms\n`,
  );
  return { tree, manifest, manifestFile };
}

/**
 * Bringing files to the fixed point costs a full fix run; for N above one shard the tree is
 * N/SHARD copies of the migrated SHARD-file tree, each its own repository (own .git, so its
 * own build-context root), like vendored sub-repositories in a monorepo. Same content per copy,
 * different paths.
 */
const SHARD = 2000;
function replicatedTree(n) {
  const base = prepareTree(SHARD);
  const tree = path.join(here, 'out', `mono-${n}-s${seed}`);
  const manifestFile = path.join(tree, 'manifest.json');
  try {
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    if (m.base === base.manifest.migratedWith && m.files.length === n) {
      return { tree, manifest: m, manifestFile };
    }
  } catch {
    // build it
  }
  fs.rmSync(tree, { recursive: true, force: true });
  const files = [];
  for (let k = 0; k < n / SHARD; k++) {
    const copy = path.join(tree, `repo-${k}`);
    fs.cpSync(base.tree, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'manifest.json'));
    files.push(...base.manifest.files.map((f) => path.join(copy, path.relative(base.tree, f))));
  }
  const manifest = {
    ...base.manifest,
    n,
    files: files.sort(),
    clean: [],
    bytes: base.manifest.bytes * (n / SHARD),
    crlf: base.manifest.crlf * (n / SHARD),
    needingFix: base.manifest.needingFix * (n / SHARD),
    base: base.manifest.migratedWith,
    replicatedFrom: base.tree,
  };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  return { tree, manifest, manifestFile };
}

function benchSize(n) {
  const t0 = Date.now();
  const { tree, manifest, manifestFile } = prepareTree(n);
  process.stderr.write(
    `N=${n}: tree ready in ${Date.now() - t0} ms (${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.crlf} CRLF, ${manifest.needingFix} seeded to need a fix)\n`,
  );
  const samples = { floor: [], check1: [], checkN: [], utils: [], lint: [] };
  const rss = { check1: [], checkN: [] };
  const cpu = { floor: [], check1: [], checkN: [], utils: [], lint: [] };
  let wouldFix = null;
  let lintFailures = 0;
  for (let rep = 0; rep < reps; rep++) {
    const floor = inProcess('floor', manifestFile);
    samples.floor.push(floor.ms);
    cpu.floor.push(floor.cpuMs);
    const b = checkRun(tree, 1, n);
    samples.check1.push(b.ms);
    rss.check1.push(b.rssMB);
    cpu.check1.push(b.cpuMs);
    wouldFix = b.wouldFix;
    const c = checkRun(tree, jobs, n);
    samples.checkN.push(c.ms);
    rss.checkN.push(c.rssMB);
    cpu.checkN.push(c.cpuMs);
    if (c.wouldFix !== b.wouldFix) throw new Error('--jobs changed the result');
    const utils = inProcess('utils', manifestFile);
    samples.utils.push(utils.ms);
    cpu.utils.push(utils.cpuMs);
    const lint = inProcess('lint', manifestFile);
    samples.lint.push(lint.ms);
    cpu.lint.push(lint.cpuMs);
    lintFailures = lint.failures;
    process.stderr.write(
      `  rep ${rep + 1}/${reps}: floor ${samples.floor[rep].toFixed(0)} ms, -j1 ${b.ms.toFixed(0)} ms, -j${jobs} ${c.ms.toFixed(0)} ms\n`,
    );
  }
  const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const peak = (xs) => (xs.every((x) => x !== null) ? Math.max(...xs) : null);
  return {
    n,
    bytes: manifest.bytes,
    crlf: manifest.crlf,
    seededToNeedFix: manifest.needingFix,
    wouldFix,
    reps,
    jobs,
    samplesMs: samples,
    medianMs: med,
    peakRssMB: { check1: peak(rss.check1), checkN: peak(rss.checkN) },
    /** User + system CPU time of the whole process (all threads), from /usr/bin/time. */
    medianCpuMs: Object.fromEntries(
      Object.entries(cpu).map(([k, v]) => [k, v.every((x) => x != null) ? median(v) : null]),
    ),
    dockerfilelintFailures: lintFailures,
  };
}

function coldStart(file) {
  const dockerfix = [];
  const bare = [];
  for (let i = 0; i < coldReps; i++) {
    bare.push(timed(process.execPath, ['-e', '0'], repo).ms);
    dockerfix.push(timed(process.execPath, [cli, '--check', file], repo).ms);
  }
  return { dockerfixMs: median(dockerfix), bareNodeMs: median(bare), reps: coldReps };
}

const transforms = spawnSync(process.execPath, [cli, '--list'], { encoding: 'utf8' })
  .stdout.split('\n')
  .filter((l) => /^\d\d /.test(l)).length;
const results = {};
for (const n of sizes) results[n] = benchSize(n);
const firstTree = path.join(here, 'out', `mono-${sizes[0]}-s${seed}`);
const oneFile = JSON.parse(fs.readFileSync(path.join(firstTree, 'manifest.json'), 'utf8')).files[0];
const cold = coldStart(oneFile);

const env = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores,
  loadAverageAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))),
  transforms,
};

// Merge into results.json (other N values from earlier runs are kept).
const resultsFile = path.join(here, 'results.json');
let previous = {};
try {
  previous = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
} catch {
  previous = {};
}
for (const r of Object.values(results)) r.env = env;
const merged = {
  env,
  coldStart: { ...cold, env },
  sizes: { ...(previous.sizes ?? {}), ...Object.fromEntries(Object.entries(results)) },
};
fs.writeFileSync(resultsFile, JSON.stringify(merged, null, 2) + '\n');
// Keep it in the repository's format (CI runs prettier --check).
spawnSync(
  process.execPath,
  [path.join(repo, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--write', resultsFile],
  { stdio: 'ignore' },
);

process.stdout.write(renderTable(merged));
