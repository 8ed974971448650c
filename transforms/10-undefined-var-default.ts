/**
 * 10 — A variable that nothing declares (no ARG, no ENV, not automatic) expands to an empty
 * string, silently (BuildKit's UndefinedVar). Give it an explicit default: `${X:-<default>}`,
 * the default from `variableDefaults` in the config, else `changeme` (the log's fix).
 * Only instructions the Dockerfile frontend expands are rewritten (ENV, LABEL, COPY, WORKDIR,
 * USER …): inside RUN the variable may be the shell's own.
 */
import type { Transform, Finding } from '../src/transform.js';
import { replaceRange } from '../src/edits.js';

const SECRET =
  /(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|CREDENTIAL|PRIVATE|(^|_)API_?KEY|(^|_)KEY($|_))/i;

export function looksLikeSecret(name: string): boolean {
  return SECRET.test(name);
}

const transform: Transform = {
  id: '10-undefined-var-default',
  number: 10,
  title: 'Give undefined variables an explicit ${X:-default}',
  safety: 'unsafe',
  sources: ['BuildKit UndefinedVar', 'BuildKit SecretsUsedInArgOrEnv'],
  detect(doc, ctx) {
    const vars = doc.variables;
    const findings: Finding[] = [];
    const defaults = ctx.config.variableDefaults;
    for (const use of vars.uses) {
      if (use.scope !== 'none' || use.viaShell) continue;
      if (vars.isDeclaredAnywhere(use.name) || vars.isImageEnvironment(use.name)) continue;
      if (use.instruction.getKeyword() === 'FROM') {
        findings.push({
          severity: 'warning',
          offset: use.start,
          message: `$${use.name} in FROM is not declared by any ARG before the first FROM; declare it with a default`,
        });
        continue;
      }
      if (use.modifier !== null) continue; // already has a default or an alternative
      const value = defaults[use.name] ?? defaults['*'] ?? 'changeme';
      findings.push({
        severity: 'warning',
        offset: use.start,
        message: `$${use.name} is not declared anywhere and expands to an empty string; default it to "${value}"`,
        edits: [replaceRange(use.start, use.end, `\${${use.name}:-${value}}`)],
      });
      if (looksLikeSecret(use.name)) {
        findings.push({
          severity: 'warning',
          offset: use.start,
          message:
            `$${use.name} looks like a secret: a value given at build time is baked into the image ` +
            'history; pass it at run time (environment) or use RUN --mount=type=secret',
        });
      }
    }
    return findings;
  },
};

export default transform;
