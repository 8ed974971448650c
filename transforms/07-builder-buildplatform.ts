/**
 * 07 — A builder stage pinned to `$TARGETPLATFORM` runs under emulation on a foreign build
 * machine ("exec /bin/sh: exec format error"). Builders run on `$BUILDPLATFORM`; only what
 * the final stage is built FROM must stay on the target platform.
 */
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import { stageLabel, type Stage } from '../src/model/stages.js';
import type { Instruction } from 'dockerfile-ast';
import { runCommand } from '../src/model/instructions.js';
import { isJsonForm } from '../src/model/variables.js';
import { replaceRange } from '../src/edits.js';

const TARGET_PLATFORM = /^\$(\{TARGETPLATFORM\}|TARGETPLATFORM)$/;

/** Installers that may fetch or compile architecture-specific code. */
const NATIVE_INSTALLERS: { pattern: RegExp; what: string }[] = [
  {
    pattern:
      /\b(pip3?|pip3\.\d+)\s+install\b|\bpython[\d.]*\s+-m\s+pip\s+install\b|\buv\s+pip\s+install\b/,
    what: 'pip install',
  },
  {
    pattern: /\bapt-get\s+(?:-\S+\s+)*install\b|\bapt\s+(?:-\S+\s+)*install\b/,
    what: 'apt-get install',
  },
  { pattern: /\bapk\s+(?:-\S+\s+)*add\b/, what: 'apk add' },
  { pattern: /\b(?:yum|dnf|microdnf)\s+(?:-\S+\s+)*install\b/, what: 'dnf/yum install' },
  {
    pattern:
      /\bnpm\s+(?:install|ci|i)\b|\byarn(?:\s+install)?\s*(?:$|&&|;)|\bpnpm\s+(?:install|i)\b/,
    what: 'npm install',
  },
  { pattern: /\bcargo\s+(?:build|install)\b/, what: 'cargo build' },
];

// `xx-go build` (tonistiigi/xx) cross-compiles by itself.
const GO_BUILD = /(?<![\w-])go\s+(?:build|install)\b/;
const GO_CROSS = /\bGOOS=|\bGOARCH=/;

/** The RUN's command; an exec form `["pip", "install", "x"]` is read as `pip install x`. */
function commandText(doc: DockerDoc, instr: Instruction): string {
  const command = runCommand(doc, instr);
  if (!isJsonForm(instr)) return command;
  try {
    const argv: unknown = JSON.parse(command);
    if (Array.isArray(argv)) return argv.map(String).join(' ');
  } catch {
    // not valid JSON after all: the shell form text is good enough
  }
  return command;
}

function nativeInstallsOf(doc: DockerDoc, stage: Stage): Finding[] {
  const findings: Finding[] = [];
  const stageEnvSetsGoArch = stage.instructions.some(
    (i) => i.getKeyword() === 'ENV' && GO_CROSS.test(i.getRawArgumentsContent() ?? ''),
  );
  for (const instr of stage.instructions) {
    if (instr.getKeyword() !== 'RUN') continue;
    const command = commandText(doc, instr);
    const hits = NATIVE_INSTALLERS.filter((n) => n.pattern.test(command)).map((n) => n.what);
    if (GO_BUILD.test(command) && !GO_CROSS.test(command) && !stageEnvSetsGoArch) {
      hits.push('go build without GOOS/GOARCH');
    }
    if (hits.length === 0) continue;
    findings.push({
      severity: 'warning',
      offset: doc.span(instr).start,
      message:
        `builder stage ${stageLabel(stage)} now runs on $BUILDPLATFORM and uses ${hits.join(', ')}: ` +
        'anything native it installs or compiles is for the build machine, not the target ' +
        '(cross-compile with TARGETOS/TARGETARCH, or install native packages in the final stage)',
    });
  }
  return findings;
}

/**
 * Stages on the target platform that run a RUN with `--mount=from=<builder>`: they execute the
 * builder's files there, so the builder must stay on the target platform.
 */
function mountedOnTarget(builder: Stage, stages: Stage[]): { stage: Stage; at: Instruction }[] {
  const out: { stage: Stage; at: Instruction }[] = [];
  for (const stage of stages) {
    if (stage.role === 'builder' || stage.role === 'unused') continue;
    for (const ref of stage.copiesFrom) {
      if (ref.stage === builder && ref.instruction.getKeyword() === 'RUN')
        out.push({ stage, at: ref.instruction });
    }
  }
  return out;
}

const transform: Transform = {
  id: '07-builder-buildplatform',
  number: 7,
  title: 'Run builder stages on $BUILDPLATFORM instead of $TARGETPLATFORM',
  safety: 'safe',
  sources: [
    'BuildKit FromPlatformFlagConstDisallowed',
    'docker docs: multi-platform cross-compilation',
  ],
  detect(doc) {
    const findings: Finding[] = [];
    for (const stage of doc.stages.stages) {
      if (stage.role !== 'builder' || !stage.platform) continue;
      const p = stage.platform;
      if (!TARGET_PLATFORM.test(p.value)) continue;
      const replacement = p.value.includes('{') ? '${BUILDPLATFORM}' : '$BUILDPLATFORM';
      const mounted = mountedOnTarget(stage, doc.stages.stages);
      if (mounted.length > 0) {
        // Moving it would hand the target stage programs of the build machine's architecture.
        const { stage: user, at } = mounted[0];
        findings.push({
          severity: 'warning',
          offset: stage.start,
          message:
            `builder stage ${stageLabel(stage)} runs on ${p.value}, but stage ${stageLabel(user)} ` +
            `mounts it in a RUN on the target platform (line ${doc.lineOf(doc.span(at).start) + 1}) ` +
            `and may execute its files there; left on ${p.value} — switch to ${replacement} only ` +
            'if that RUN uses data, not programs, from it',
        });
        continue;
      }
      findings.push({
        severity: 'warning',
        offset: stage.start,
        message: `builder stage ${stageLabel(stage)} runs on ${p.value} (emulated on other build machines: exec format error); use ${replacement}`,
        edits: [replaceRange(p.valueStart, p.valueEnd, replacement)],
      });
      findings.push(...nativeInstallsOf(doc, stage));
    }
    return findings;
  },
};

export default transform;
