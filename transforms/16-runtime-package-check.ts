/**
 * 16 — Packages installed in a builder reach the runtime only through a COPY of their
 * site-packages; a wrong path, a wrong owner or a wrong Python version shows up as
 * ModuleNotFoundError when the container starts. An exec-form RUN in the final stage imports
 * every top-level requirement by its import name (grpcio → grpc, never the distribution name)
 * and asserts the package marker the builder wrote (15) arrived.
 *
 * The packages must be importable the way the app will import them: the stage's PYTHONPATH, the
 * runtime user's own site directory, or the image's site directories. When none covers the
 * copied site-packages the check adds it with `sys.path.insert` and a warning says the app will
 * not find them either. Packages built for another Python version than the runtime's are an
 * error finding and no check is added (it would only fail).
 */
import * as path from 'node:path';
import type { Transform, Finding } from '../src/transform.js';
import { stageLabel } from '../src/model/stages.js';
import type { DockerDoc } from '../src/model/document.js';
import type { ResolvedConfig } from '../src/config.js';
import {
  checkAnchor,
  copiedMarkers,
  copiedVenvs,
  execFormRun,
  firstStringArg,
  isRootUser,
  isPackageImport,
  placeCheckRun,
  pyString,
  packageCheckRun,
  pythonOf,
  type PythonInfo,
  renderCheckCode,
  requirementsImports,
  runtimePackages,
  runtimePython,
  runtimeSysPath,
  userAt,
} from '../src/model/python.js';

/** Statements this transform owns in the package check. */
function isOwnStatement(statement: string): boolean {
  if (/^sys\.path\.insert\(/.test(statement) || /^print\(/.test(statement)) return true;
  if (isPackageImport(statement)) return true;
  if (/^assert\s+os\.path\.(isfile|exists)\(/.test(statement)) {
    const target = firstStringArg(statement) ?? '';
    return /\/site-packages\/|\/bin\/[^/]*marker[^/]*$/.test(target);
  }
  return false;
}

/**
 * A virtualenv copied from a builder only works with the interpreter it was made from: its
 * site-packages are for that version, and its bin/python links to that interpreter's path.
 */
function venvFindings(doc: DockerDoc, python: PythonInfo, config: ResolvedConfig): Finding[] {
  const findings: Finding[] = [];
  for (const v of copiedVenvs(doc, config)) {
    const at = doc.span(v.copy).start;
    const built = v.python?.version ?? null;
    if (built && python.version && built !== python.version) {
      findings.push({
        severity: 'error',
        offset: at,
        message:
          `the virtualenv ${v.venv} of stage ${stageLabel(v.builder)} is for Python ${built} but the final ` +
          `stage runs Python ${python.version} (${python.interpreter}): its site-packages ` +
          `(lib/python${built}) are never imported and compiled extensions do not load; use the same Python version in both stages`,
      });
      continue;
    }
    const usesVenvPython = python.interpreter.startsWith(`${v.runtimePath}/bin/`);
    const final = doc.stages.final!;
    const base = pythonOf(final, doc, config);
    if (
      usesVenvPython &&
      v.python &&
      base &&
      v.python.interpreter !== base.interpreter &&
      !(v.python.source === base.source && v.python.source === 'official')
    ) {
      findings.push({
        severity: 'error',
        offset: at,
        message:
          `${python.interpreter} links to the builder's interpreter (${v.python.interpreter}), which ` +
          `the final stage's image does not have (it has ${base.interpreter}): make the virtualenv with ` +
          `the runtime's interpreter path, or run ${base.interpreter} with PYTHONPATH=${v.runtimePath}/lib/python${built ?? 'X.Y'}/site-packages`,
      });
    }
  }
  return findings;
}

const transform: Transform = {
  id: '16-runtime-package-check',
  number: 16,
  title: 'Verify at build time that the final stage imports every required package',
  safety: 'safe',
  sources: ['dockerfix log correction 16 (runtime package verification)'],
  detect(doc, ctx) {
    const final = doc.stages.final;
    const python = runtimePython(doc, ctx.config);
    if (!final || !python) return [];
    // The copy pattern: packages a COPY --from brings in. Installs in the final stage itself
    // fail at their own RUN already.
    const findings: Finding[] = venvFindings(doc, python, ctx.config);
    const packages = runtimePackages(doc, ctx.config).filter((p) => p.copy !== null);
    if (packages.length === 0 || findings.length > 0) return findings;

    const mismatched = packages.filter((p) => p.mismatch);
    for (const p of mismatched) {
      const at = p.copy ?? p.install.instruction;
      findings.push({
        severity: 'error',
        offset: doc.span(at).start,
        message:
          `packages installed for Python ${p.mismatch} in stage ${stageLabel(p.install.stage)} ` +
          `(${p.install.sitePackages}) reach a final stage that runs Python ${python.version} ` +
          `(${python.interpreter}): that interpreter never looks in python${p.mismatch}/site-packages ` +
          `and compiled extensions do not load; use the same Python version in both stages`,
      });
    }
    if (mismatched.length > 0) return findings;

    // Only what the copied site-packages hold: build tools a builder installs elsewhere
    // (`pip install poetry`) are not in the runtime.
    const { imports, parsed } = requirementsImports(
      doc,
      ctx,
      python.version,
      packages.map((p) => p.install),
    );
    for (const problem of parsed.problems) {
      findings.push({
        severity: 'warning',
        offset: doc.span(packages[0].install.instruction).start,
        message: `${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`,
      });
    }
    if (imports.length === 0) return findings;

    const sysPath = runtimeSysPath(doc, ctx.config);
    const nonRoot = !isRootUser(userAt(doc, final));
    const own: string[] = [];
    for (const p of packages) {
      if (sysPath.entries.includes(p.sitePackages)) continue;
      const fix =
        nonRoot && p.sitePackages.startsWith('/root/')
          ? `/root is not readable by the non-root runtime user: copy them to that user's home`
          : `set ENV PYTHONPATH=${p.sitePackages}`;
      if (sysPath.certain) {
        // The check imports exactly as the app will: it fails the build until this is fixed.
        findings.push({
          severity: 'error',
          offset: doc.span(p.copy ?? p.install.instruction).start,
          message:
            `${p.sitePackages} is not on the final stage's sys.path (PYTHONPATH, the runtime user's ` +
            `site directory, the image's site directories): the app cannot import these packages ` +
            `(ModuleNotFoundError), and the added check fails the build until it can; ${fix}`,
        });
        continue;
      }
      own.push(`sys.path.insert(0, ${pyString(p.sitePackages)})`);
      findings.push({
        severity: 'warning',
        offset: doc.span(p.copy ?? p.install.instruction).start,
        message:
          `cannot tell whether ${p.sitePackages} is on the final stage's sys.path (unknown PYTHONPATH ` +
          `entries, home or Python version): the check adds it itself to test the copy; if the app ` +
          `fails with ModuleNotFoundError, ${fix}`,
      });
    }
    own.push(`import ${imports.map((i) => i.module).join(', ')}`);
    const markers = copiedMarkers(doc, ctx.config).filter((m) => m.package);
    for (const m of markers) {
      own.push(
        `assert os.path.isfile(${pyString(m.runtimePath)}), ${pyString(`${path.posix.basename(m.runtimePath)} missing in ${path.posix.dirname(m.runtimePath)}`)}`,
      );
    }

    const existing = packageCheckRun(doc, final);
    const kept = existing ? existing.statements.filter((s) => !isOwnStatement(s)) : [];
    const names = imports.map((i) => i.module).join(', ');
    const code = renderCheckCode([
      ...own,
      ...kept,
      `print(${pyString(`runtime check passed: ${names}`)})`,
    ]);
    const runText = execFormRun(doc, python.interpreter, code);
    const edits = placeCheckRun(doc, final, runText, existing?.instruction ?? null);
    if (edits.length === 0) return findings;
    const guessed = imports.filter((i) => i.source === 'rule');
    const note = guessed.length
      ? ` (import names guessed for ${guessed.map((g) => g.dists.join('/')).join(', ')}: set importNames in the config if one is wrong)`
      : '';
    findings.push({
      severity: existing ? 'warning' : 'info',
      offset: doc.span(existing?.instruction ?? checkAnchor(doc, final)).end,
      message: existing
        ? `the package check does not import what the requirements install, or runs before the last COPY/WORKDIR/ENV/USER; updated it${note}`
        : `the final stage never checks that its packages are importable (${names}): a missing copy shows up only at runtime; added an exec-form check${note}`,
      edits,
    });
    return findings;
  },
};

export default transform;
