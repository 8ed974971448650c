/**
 * The real-engine tests' sandbox: a private buildah storage in a temporary folder (so nothing is
 * left in the machine's image store and removal is rm -rf), with the stand-in base images built
 * offline by scripts/e2e-base-images.sh.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectEngine, type Engine } from '../../src/verify-build.js';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';
export const hasBuildah = spawnSync('buildah', ['--version']).status === 0;
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Real builds run in CI always (a missing engine then fails), elsewhere as root with buildah. */
export const canBuild = inCI || (hasBuildah && isRoot);

export interface BuildSandbox {
  tmp: string;
  engine: Engine;
  /** Put CONTAINERS_STORAGE_CONF back and remove the folder. */
  close(): void;
}

/** Open a sandbox whose base images get the wheels in `wheelsDir`. Throws when that fails. */
export function openBuildSandbox(prefix: string, wheelsDir: string): BuildSandbox {
  const savedConf = process.env.CONTAINERS_STORAGE_CONF;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const close = () => {
    if (savedConf === undefined) delete process.env.CONTAINERS_STORAGE_CONF;
    else process.env.CONTAINERS_STORAGE_CONF = savedConf;
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const conf = path.join(tmp, 'storage.conf');
    fs.writeFileSync(
      conf,
      `[storage]\ndriver = "vfs"\nrunroot = "${tmp}/run"\ngraphroot = "${tmp}/graph"\n`,
    );
    process.env.CONTAINERS_STORAGE_CONF = conf;
    // Under Jest a child process sees the real environment unless it is passed explicitly.
    const images = spawnSync('bash', [path.resolve('scripts/e2e-base-images.sh'), wheelsDir], {
      encoding: 'utf8',
      env: process.env,
    });
    if (images.status !== 0) throw new Error(`base images: ${images.stderr}`);
    const probe = detectEngine();
    if (!probe.engine) throw new Error(probe.notes.join('; '));
    return { tmp, engine: probe.engine, close };
  } catch (e) {
    close();
    throw e;
  }
}
