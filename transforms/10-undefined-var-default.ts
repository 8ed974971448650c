/**
 * 10 — A variable that nothing declares (no ARG, no ENV, not automatic) expands to an empty
 * string, silently (BuildKit's UndefinedVar). Give it an explicit default: `${X:-<default>}`,
 * the default from `variableDefaults` in the config, else `changeme` (the log's fix).
 * Only instructions the Dockerfile frontend expands are rewritten: inside RUN the variable may
 * be the shell's own. A placeholder is only invented for values (ENV, LABEL, ARG); in a path,
 * user, port or signal it would break the build, so there it needs a configured default.
 */
import type { Property } from 'dockerfile-ast';
import type { Transform, Finding } from '../src/transform.js';
import type { VarUse } from '../src/model/variables.js';
import { replaceRange } from '../src/edits.js';

/** Name parts that mark a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`). */
const SECRET_PARTS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'TOKEN',
  'SECRET',
  'CREDENTIAL',
  'CREDENTIALS',
  'KEY',
  'APIKEY',
]);

export function looksLikeSecret(name: string): boolean {
  // `PWD` alone is the working directory, not a password.
  const parts = name.toUpperCase().split(/_+/);
  return parts.some((p) => SECRET_PARTS.has(p)) || /PASSWORD|SECRET|TOKEN$/i.test(name);
}

/** Instructions whose expanded text is a value: a placeholder there cannot break the build. */
const VALUE_INSTRUCTIONS = new Set(['ENV', 'LABEL', 'ARG']);

/** `ENV X="$X more"`: appending to a maybe-empty variable is meant to start from empty. */
function isSelfReference(use: VarUse): boolean {
  const kw = use.instruction.getKeyword();
  if (kw !== 'ENV' && kw !== 'ARG') return false;
  const props =
    (use.instruction as unknown as { getProperties?: () => Property[] }).getProperties?.() ?? [];
  return props.some((p) => p.getName() === use.name);
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
      const kw = use.instruction.getKeyword();
      if (kw === 'FROM') {
        findings.push({
          severity: 'warning',
          offset: use.start,
          message: `$${use.name} in FROM is not declared by any ARG before the first FROM; declare it with a default`,
        });
        continue;
      }
      if (isSelfReference(use)) continue;
      const baked = VALUE_INSTRUCTIONS.has(kw);
      if (use.modifier === null) {
        const configured = defaults[use.name] ?? defaults['*'];
        const value = configured ?? (baked ? 'changeme' : null);
        if (value !== null) {
          findings.push({
            severity: 'warning',
            offset: use.start,
            message: `$${use.name} is not declared anywhere and expands to an empty string; default it to "${value}"`,
            edits: [replaceRange(use.start, use.end, `\${${use.name}:-${value}}`)],
          });
        } else {
          findings.push({
            severity: 'warning',
            offset: use.start,
            message:
              `$${use.name} is not declared anywhere and expands to an empty string in this ${kw}; ` +
              `declare it (ARG ${use.name}=…) or set variableDefaults.${use.name} in the config ` +
              '(a placeholder value would break the build here)',
          });
        }
      }
      const defaulted = use.modifier === null || use.modifier === '-' || use.modifier === ':-';
      if (baked && defaulted && looksLikeSecret(use.name)) {
        findings.push({
          severity: 'warning',
          offset: use.start,
          message:
            `$${use.name} looks like a secret: its value is baked into the image (${kw} is stored ` +
            'in the image config); pass it at run time (environment) or use RUN --mount=type=secret',
        });
      }
    }
    return findings;
  },
};

export default transform;
