/**
 * 06 — The log's ModuleNotFoundError only showed up when the container started. A build-time
 * check in the final stage fails the build instead: an exec-form RUN with the stage's own
 * interpreter asserting that the app package directory exists and that
 * `importlib.util.find_spec('<module>')` finds the module (log, line 143).
 *
 * The check is only honest where it sees what the container sees, so it goes after the last
 * COPY/ADD, WORKDIR, ENV and USER of the final stage: same files, same working directory (which
 * `python -c` puts on sys.path exactly as `python -m` does), same PYTHONPATH, same user. An
 * existing check (this transform's or a hand-written one using find_spec) is updated, and moved
 * when it sits before any of those.
 */
import * as path from 'node:path';
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import { findAppModule, type AppModule } from '../src/model/app.js';
import { isMarkerPath } from '../src/model/markers.js';
import { parseCopy } from '../src/model/copy-sources.js';
import {
  checkAnchor,
  envAt,
  execFormRun,
  firstStringArg,
  pathListEntries,
  placeCheckRun,
  pyString,
  moduleCheckRun,
  pythonOf,
  renderCheckCode,
  unquote,
  workdirAt,
} from '../src/model/python.js';
import type { Stage } from '../src/model/stages.js';

/** Statements this transform owns in the module check. */
function isOwnStatement(statement: string): boolean {
  if (/^sys\.path\.insert\(/.test(statement) || /^print\(/.test(statement)) return true;
  if (/\bfind_spec\(/.test(statement)) return true;
  const m = /^assert\s+os\.path\.(isdir|exists|isfile)\(/.exec(statement);
  if (!m) return false;
  const target = firstStringArg(statement);
  return target === null || !isMarkerPath(target);
}

/** Whether some COPY/ADD of the final stage (or its bases) creates `target` or a folder above it. */
function copiedIntoImage(doc: DockerDoc, final: Stage, target: string): boolean {
  for (let s: Stage | null = final; s; s = s.baseStage) {
    for (const instr of s.instructions) {
      const copy = parseCopy(doc, instr);
      if (!copy?.dest) continue;
      const dest = path.posix.resolve(workdirAt(doc, s, instr), unquote(copy.dest.value));
      if (target === dest || target.startsWith(`${dest}/`) || dest === '/') return true;
    }
  }
  return false;
}

/** The check's statements for the app, given the directory the RUN runs in and its PYTHONPATH. */
export function moduleCheckStatements(
  app: AppModule,
  cwd: string,
  pythonPath: string[],
  packageCopied: boolean,
): string[] {
  const statements: string[] = [];
  if (app.kind === 'script') {
    const script = `${path.posix.join(app.baseDir, ...app.module.split('.'))}.py`;
    statements.push(`assert os.path.isfile(${pyString(script)}), ${pyString(`${script} missing`)}`);
    return statements;
  }
  // The app's sys.path has its base directory (the WORKDIR for `python -m`, `--app-dir` /
  // `--chdir` for servers); `python -c` only adds its own working directory.
  if (app.baseDir !== cwd && !pythonPath.includes(app.baseDir)) {
    statements.push(`sys.path.insert(0, ${pyString(app.baseDir)})`);
  }
  if (app.isPackage && packageCopied) {
    statements.push(
      `assert os.path.isdir(${pyString(app.packagePath)}), ${pyString(`${app.packagePath} directory missing`)}`,
    );
  }
  statements.push(
    `assert importlib.util.find_spec(${pyString(app.module)}) is not None, ${pyString(`${app.module} not found`)}`,
  );
  return statements;
}

const transform: Transform = {
  id: '06-runtime-module-check',
  number: 6,
  title: 'Verify at build time that the final stage can import the app module',
  safety: 'safe',
  sources: ['dockerfix log correction 6 (ModuleNotFoundError at runtime)'],
  detect(doc, ctx) {
    const final = doc.stages.final;
    if (!final) return [];
    const python = pythonOf(final, doc, ctx.config);
    if (!python) return [];
    const app = findAppModule(doc);
    if (!app) return [];
    // The app's own interpreter when it names one by a plain absolute path (a control character
    // or escape in it would not read back the same from the check's JSON).
    const interpreter = /^\/[A-Za-z0-9._/+-]*\/python[\d.]*$/.test(app.program)
      ? app.program
      : python.interpreter;
    const anchor = checkAnchor(doc, final);
    const env = envAt(doc, final);
    const cwd = workdirAt(doc, final);
    const pythonPath = pathListEntries(env.get('PYTHONPATH') ?? '', cwd);
    // The package is where the image's COPYs put it: beside the app's base directory, or in a
    // PYTHONPATH entry (then that is where Python finds it).
    const where = [app.packagePath, ...pythonPath.map((p) => path.posix.join(p, app.package))].find(
      (p) => copiedIntoImage(doc, final, p),
    );
    const located: AppModule = where ? { ...app, packagePath: where } : app;
    const own = moduleCheckStatements(located, cwd, pythonPath, where !== undefined);
    const existing = moduleCheckRun(doc, final);
    const kept = existing ? existing.statements.filter((s) => !isOwnStatement(s)) : [];
    const code = renderCheckCode([
      ...own,
      ...kept,
      `print(${pyString(`runtime check passed: ${app.module}`)})`,
    ]);
    // A check (hand-written or ours) that already looks the app module up is kept as written;
    // it is only moved when it runs before what the container will see.
    const keepsModule =
      existing !== null &&
      new RegExp(`find_spec\\(\\s*(['"])${app.module.replace(/\./g, '\\.')}\\1`).test(
        existing.code,
      );
    const runText = keepsModule
      ? doc.slice(doc.span(existing.instruction).start, doc.span(existing.instruction).end)
      : execFormRun(doc, interpreter, code);
    const edits = placeCheckRun(doc, final, runText, existing?.instruction ?? null);
    if (edits.length === 0) return [];
    const findings: Finding[] = [];
    if (!existing) {
      findings.push({
        severity: 'info',
        offset: doc.span(anchor).end,
        message:
          `the final stage never checks that ${app.module} is importable: a missing package shows up ` +
          `only at runtime (ModuleNotFoundError); added an exec-form check with ${interpreter}`,
        edits,
      });
    } else {
      const moved = edits.some((e) => e.text === '');
      findings.push({
        severity: 'warning',
        offset: doc.span(existing.instruction).start,
        message: moved
          ? `the module check runs before the last COPY/WORKDIR/ENV/USER of the final stage, so it does not ` +
            `see what the container sees (a check that passes as root proves nothing for the runtime user); moved it after them`
          : `the module check does not match the app (${app.module}); updated it`,
        edits,
      });
    }
    return findings;
  },
};

export default transform;
