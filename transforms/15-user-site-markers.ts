/**
 * 15 — The copy pattern for installed packages: after each `pip install --user` RUN of a builder,
 * one RUN writes `<PREFIX>_PACKAGES_INSTALLED_…` into site-packages and
 * `<PREFIX>_BINARIES_INSTALLED_…` into the scripts directory (created first: pip only makes it
 * for packages with console scripts), then hands the user base to the runtime user
 * (`chown -R <uid>:<gid> /root/.local`), as in the log.
 */
import type { Instruction } from 'dockerfile-ast';
import { linesAfter } from '../src/model/instructions.js';
import type { Transform, Finding } from '../src/transform.js';
import { stageLabel } from '../src/model/stages.js';
import { isRootUser, pipInstallsOf, type PipInstall } from '../src/model/python.js';
import { markerNames, markedDirsOf, runtimeOwner, type MarkerNames } from '../src/model/markers.js';

function shellWord(p: string): string {
  return /^[\w./+@%:,=-]+$/.test(p) ? p : `"${p.replace(/(["\\`$])/g, '\\$1')}"`;
}

const transform: Transform = {
  id: '15-user-site-markers',
  number: 15,
  title: 'Write package and script markers after pip install --user, then chown the user base',
  safety: 'safe',
  sources: ['dockerfile-controller-fix-log: correction 15', 'Dockerfile copy pattern'],
  detect(doc, ctx) {
    const findings: Finding[] = [];
    let names: MarkerNames | null = null;
    for (const stage of doc.stages.stages) {
      if (stage.role !== 'builder') continue;
      const installs = pipInstallsOf(doc, stage, ctx.config).filter((p) => p.flavour === 'user');
      if (installs.length === 0) continue;
      // One marker RUN per RUN holding `pip install --user` (the last install of that RUN decides).
      const byRun = new Map<Instruction, PipInstall>();
      for (const p of installs) byRun.set(p.instruction, p);
      const runs = [...byRun.keys()];
      runs.forEach((run, k) => {
        const install = byRun.get(run)!;
        const at = stage.instructions.indexOf(run);
        const next =
          k + 1 < runs.length ? stage.instructions.indexOf(runs[k + 1]) : stage.instructions.length;
        const offset = doc.span(run).start;
        if (stage.shellless) return;
        const { sitePackages, scripts, root } = install;
        if (!sitePackages || !scripts || !root || sitePackages.includes('$')) {
          findings.push({
            severity: 'warning',
            offset,
            message: `pip install --user in stage ${stageLabel(stage)}: the Python version (so the site-packages path) is unknown; add the package markers by hand`,
          });
          return;
        }
        if (/[\x00-\x1f\x7f]/.test(root)) {
          // Written into the marker RUN, a control character would not read back as the same
          // path (and the next run would add the markers again).
          findings.push({
            severity: 'warning',
            offset,
            message: `pip install --user in stage ${stageLabel(stage)}: the user base path holds a control character; add the package markers by hand`,
          });
          return;
        }
        const marked = markedDirsOf(doc, stage, at, next);
        if (marked.has(sitePackages) || marked.has(scripts)) return;
        names ??= markerNames(doc, ctx);
        const file = names.packageMarker;
        const commands = [
          `echo "${names.content('PACKAGES_INSTALLED')}" > ${shellWord(`${sitePackages}/${file}`)}`,
          `mkdir -p ${shellWord(scripts)}`,
          `echo "${names.content('BINARIES_INSTALLED')}" > ${shellWord(`${scripts}/${file}`)}`,
        ];
        let note = '';
        // Only needed for a RUN this transform writes (most files have nothing to add).
        const owner = runtimeOwner(doc, ctx);
        if (owner) {
          if (isRootUser(install.user)) commands.push(`chown -R ${owner.chown} ${shellWord(root)}`);
          else
            note = `; not chowned: the RUN runs as ${install.user}, who cannot chown to ${owner.chown} (use COPY --chown in the runtime stage)`;
        }
        const { eol, escape, continuationIndent } = doc.style;
        const text = `${doc.indentOf(run)}${doc.keyword('RUN')} ${commands.join(` && ${escape}${eol}${continuationIndent}`)}`;
        const edits = linesAfter(doc, run, [text]);
        findings.push({
          severity: 'warning',
          offset,
          message: `pip install --user in stage ${stageLabel(stage)} leaves no marker in ${sitePackages} and ${scripts}; ${edits ? 'added' : 'add'} them${owner && !note ? ` and chown -R ${owner.chown} ${root}` : ''}${note}`,
          edits,
        });
      });
    }
    return findings;
  },
};

export default transform;
