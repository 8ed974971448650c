/**
 * In-process measurements, run in a fresh child process by bench/run.mjs so that each one
 * starts cold and its memory does not leak into the next.
 *
 *   node bench/measure.mjs floor <manifest.json>   read + parse every file once (dockerfile-ast)
 *   node bench/measure.mjs utils <manifest.json>   read + dockerfile-utils validate()
 *   node bench/measure.mjs lint  <manifest.json>   read + dockerfilelint run()
 *
 * Prints one JSON line: { ms, cpuMs, files, failures } where ms covers only the per-file loop
 * (module loading excluded: the floor is the cost of the work itself).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [what, manifestFile] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));

let work;
if (what === 'floor') {
  const { DockerfileParser } = require('dockerfile-ast');
  work = (file, text) => DockerfileParser.parse(text).getInstructions().length;
} else if (what === 'utils') {
  const { validate } = require('dockerfile-utils');
  work = (file, text) => validate(text).length;
} else if (what === 'lint') {
  const lint = require('dockerfilelint');
  // Its CLI looks for .dockerfilelintrc next to the file; do the same.
  work = (file, text) => lint.run(path.dirname(file), text).length;
} else {
  process.stderr.write(`unknown measurement ${what}\n`);
  process.exit(2);
}

let failures = 0;
let sink = 0;
const cpuStart = process.cpuUsage();
const start = process.hrtime.bigint();
for (const file of manifest.files) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    sink += work(file, text);
  } catch {
    failures++; // dockerfilelint throws on some inputs; dockerfile-utils on a few
  }
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  JSON.stringify({ ms, cpuMs, files: manifest.files.length, failures, sink: sink > 0 }) + '\n',
);
