/**
 * The benchmark table (markdown) from bench/results.json: `node bench/table.mjs`.
 * Ratios are to the floor (a) of the same N.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export function renderTable(results) {
  const rows = [
    ['measure', 'N (reps)', 'median wall', 'files/s', '× floor', 'CPU (all threads)', 'peak RSS'],
    ['---', '---:', '---:', '---:', '---:', '---:', '---:'],
  ];
  const sizes = Object.values(results.sizes ?? {}).sort((a, b) => a.n - b.n);
  for (const r of sizes) {
    const f = r.medianMs.floor;
    const row = (label, ms, cpuMs = null, rssMB = null) => [
      label,
      `${r.n} (${r.reps})`,
      fmt(ms),
      Math.round((r.n * 1000) / ms).toLocaleString('en-US'),
      (ms / f).toFixed(2),
      cpuMs === null || cpuMs === undefined ? '' : fmt(cpuMs),
      rssMB === null || rssMB === undefined ? '' : `${rssMB.toFixed(0)} MB`,
    ];
    const cpu = r.medianCpuMs ?? {};
    rows.push(row('(a) floor: read + parse once (dockerfile-ast, in-process)', f, cpu.floor));
    rows.push(
      row(
        '(b) dockerfix --check --jobs 1 (whole process)',
        r.medianMs.check1,
        cpu.check1,
        r.peakRssMB.check1,
      ),
    );
    rows.push(
      row(
        `(c) dockerfix --check --jobs ${r.jobs} (whole process)`,
        r.medianMs.checkN,
        cpu.checkN,
        r.peakRssMB.checkN,
      ),
    );
    rows.push(row('(d) dockerfile-utils validate (in-process)', r.medianMs.utils, cpu.utils));
    rows.push(row('(d) dockerfilelint run (in-process)', r.medianMs.lint, cpu.lint));
  }
  const lines = [rows.map((r) => `| ${r.join(' | ')} |`).join('\n'), ''];
  for (const r of sizes) {
    const cpu = r.medianCpuMs ?? {};
    if (cpu.floor && cpu.check1) {
      lines.push(
        `- N=${r.n}, CPU time instead of wall clock (less sensitive to other load): (b) is ` +
          `${(cpu.check1 / cpu.floor).toFixed(2)}× the floor's CPU; (c) uses ${(cpu.checkN / cpu.check1).toFixed(2)}× the CPU of (b); ` +
          `dockerfile-utils ${(cpu.utils / cpu.floor).toFixed(2)}× the floor's CPU.`,
      );
    }
    lines.push(
      `- N=${r.n}: (c) is ${(r.medianMs.check1 / r.medianMs.checkN).toFixed(2)}× faster than (b); ` +
        `${r.wouldFix} files would be fixed (${r.seededToNeedFix} seeded with a fault); dockerfilelint threw on ${r.dockerfilelintFailures}; ` +
        `load average at the end of the run: ${r.env?.loadAverageAtEnd?.join(' ') ?? 'n/a'}; ${r.env?.transforms ?? '?'} transforms; ${r.env?.date ?? ''}`,
    );
  }
  const c = results.coldStart;
  if (c) {
    lines.push(
      `- (e) cold start, dockerfix --check on one file: ${fmt(c.dockerfixMs)} (bare node -e 0 in the same run: ${fmt(c.bareNodeMs)}; medians of ${c.reps}; load average ${c.env?.loadAverageAtEnd?.join(' ') ?? 'n/a'})`,
    );
  }
  const e = results.env;
  if (e) lines.push(`- node ${e.node}; ${e.cores} cores (${e.cpu})`);
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const results = JSON.parse(fs.readFileSync(path.join(here, 'results.json'), 'utf8'));
  process.stdout.write(renderTable(results));
}
