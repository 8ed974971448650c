/**
 * --verify-build without an engine: the classifier on real buildah output captured on this
 * machine (__fixtures__/e2e/captured/), engine detection and build arguments with a fake runner.
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildahStorageArgs,
  buildArgs,
  classifyBuildOutput,
  detectEngine,
  noEngineMessage,
  runBuild,
  type CommandResult,
  type CommandRunner,
  type Engine,
} from '../src/verify-build.js';

const captured = (name: string) =>
  fs.readFileSync(path.join('__fixtures__', 'e2e', 'captured', name), 'utf8');

describe('classifyBuildOutput on captured buildah output', () => {
  test('COPY source missing from the context', () => {
    const c = classifyBuildOutput(captured('buildah-copy-not-found.txt'));
    expect(c.kind).toBe('copy-source-not-found');
    expect(c.step).toBe('COPY requirements.txt ./requirements.txt');
    expect(c.lines[0]).toContain('copier: stat: "/requirements.txt": no such file or directory');
    // warnings about missing build args are not errors
    expect(c.lines.join('\n')).not.toContain('level=warning');
  });

  test('ModuleNotFoundError in a verification RUN', () => {
    const c = classifyBuildOutput(captured('buildah-module-not-found.txt'));
    expect(c.kind).toBe('module-not-found');
    expect(c.lines[0]).toBe("ModuleNotFoundError: No module named 'grpcio'");
    expect(c.step).toMatch(/^RUN python3 -c "import grpcio, consul/);
    expect(c.lines.some((l) => l.startsWith('Error: building at STEP'))).toBe(true);
  });

  test('exec format error (a foreign-architecture /bin/sh)', () => {
    const c = classifyBuildOutput(captured('buildah-exec-format-error.txt'));
    expect(c.kind).toBe('exec-format-error');
    expect(c.step).toBe('RUN echo hello');
    expect(c.lines[0]).toContain('exec format error');
  });

  test('base image not in local storage (--pull=never)', () => {
    const c = classifyBuildOutput(captured('buildah-base-image-missing.txt'));
    expect(c.kind).toBe('base-image-unavailable');
    expect(c.lines[0]).toContain('image not known');
  });

  test('a missing command in a RUN is "other", and its shell message is kept', () => {
    const c = classifyBuildOutput(
      'STEP 2/9: RUN apt-get update\n/bin/sh: 1: apt-get: not found\nsubprocess exited with status 127\nError: building at STEP "RUN apt-get update": exit status 127\n',
    );
    expect(c.kind).toBe('other');
    expect(c.lines[0]).toBe('/bin/sh: 1: apt-get: not found');
  });

  test('anything else is "other", with the error lines kept', () => {
    const out =
      'STEP 1/2: FROM x\nSTEP 2/2: RUN false\nsubprocess exited with status 1\nError: building at STEP "RUN false": exit status 1\n';
    const c = classifyBuildOutput(out);
    expect(c.kind).toBe('other');
    expect(c.step).toBe('RUN false');
    expect(c.lines).toEqual([
      'subprocess exited with status 1',
      'Error: building at STEP "RUN false": exit status 1',
    ]);
  });

  // BuildKit's wording (docker buildx --progress=plain), as documented: not captured here,
  // because this machine has no Docker engine.
  test('BuildKit plain-progress lines, prefixes stripped', () => {
    const copy = classifyBuildOutput(
      '#7 [builder 3/8] COPY requirements.txt ./requirements.txt\n' +
        'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref abc::def: "/requirements.txt": not found\n',
    );
    expect(copy.kind).toBe('copy-source-not-found');
    const mod = classifyBuildOutput(
      '#9 0.412 Traceback (most recent call last):\n#9 0.413 ModuleNotFoundError: No module named \'controller\'\n#9 ERROR: process "/usr/bin/python3.11 -c ..." did not complete successfully: exit code: 1\n',
    );
    expect(mod.kind).toBe('module-not-found');
    expect(mod.lines[0]).toBe("ModuleNotFoundError: No module named 'controller'");
    const arch = classifyBuildOutput('#5 0.101 exec /bin/sh: exec format error\n');
    expect(arch.kind).toBe('exec-format-error');
  });
});

/** A scripted runner: answers by the first words of the command line, records the calls. */
function fakeRunner(answers: Record<string, Partial<CommandResult>>) {
  const calls: string[] = [];
  const run: CommandRunner = (command, args) => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    const key = Object.keys(answers).find((k) => line.startsWith(k));
    const a = key ? answers[key] : { error: 'not installed' };
    return { status: a.status ?? (a.error ? null : 0), stdout: '', stderr: '', ...a };
  };
  return { run, calls };
}

describe('detectEngine', () => {
  const none = () => false;

  test('a docker client without a daemon is not an engine; buildah is used', () => {
    const { run } = fakeRunner({
      'docker version': {
        status: 1,
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      },
      'buildah --version': { stdout: 'buildah version 1.28.2 (image-spec 1.1.0-rc2)\n' },
    });
    const probe = detectEngine(run, {}, none);
    expect(probe.engine).toEqual({
      name: 'buildah',
      version: '1.28.2',
      globalArgs: ['--storage-driver', 'vfs'],
    });
    expect(probe.notes[0]).toContain('no engine answers (Cannot connect to the Docker daemon');
  });

  test('a daemon that answers, with buildx, wins', () => {
    const { run } = fakeRunner({
      'docker version': { stdout: '27.1.1\n' },
      'docker buildx version': { stdout: 'github.com/docker/buildx v0.16.1\n' },
      'buildah --version': { stdout: 'buildah version 1.28.2\n' },
    });
    expect(detectEngine(run, {}, none).engine?.name).toBe('docker');
  });

  test('nothing installed: no engine, and a message that says what to do', () => {
    const { run } = fakeRunner({});
    const probe = detectEngine(run, {}, none);
    expect(probe.engine).toBeNull();
    const msg = noEngineMessage(probe);
    expect(msg).toContain('docker: not installed');
    expect(msg).toContain('buildah: not installed');
    expect(msg).toContain('install buildah');
  });

  test('configured storage is respected', () => {
    expect(buildahStorageArgs({ CONTAINERS_STORAGE_CONF: '/x.conf' }, () => false)).toEqual([]);
    expect(
      buildahStorageArgs({ HOME: '/h' }, (p) => p === '/h/.config/containers/storage.conf'),
    ).toEqual([]);
    expect(buildahStorageArgs({ HOME: '/h' }, () => false)).toEqual(['--storage-driver', 'vfs']);
  });
});

describe('build arguments and cleanup', () => {
  const buildah: Engine = {
    name: 'buildah',
    version: '1.28.2',
    globalArgs: ['--storage-driver', 'vfs'],
  };

  test('buildah: chroot isolation, never pull, no layers, force-rm, context root last', () => {
    const args = buildArgs(
      { dockerfile: '/r/infra/Dockerfile', contextRoot: '/r', engine: buildah, env: {} },
      'localhost/t',
    );
    expect(args).toEqual([
      '--storage-driver',
      'vfs',
      'bud',
      '--isolation',
      'chroot',
      '--pull=never',
      '--layers=false',
      '--force-rm',
      '--file',
      '/r/infra/Dockerfile',
      '--tag',
      'localhost/t',
      '/r',
    ]);
    const configured = buildArgs(
      { dockerfile: '/d', contextRoot: '/r', engine: buildah, env: { BUILDAH_ISOLATION: 'oci' } },
      't',
    );
    expect(configured).not.toContain('--isolation');
  });

  test('docker: buildx with a cache-only output (no image is stored)', () => {
    const args = buildArgs(
      {
        dockerfile: '/d',
        contextRoot: '/r',
        engine: { name: 'docker', version: '27', globalArgs: [] },
      },
      't',
    );
    expect(args.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(args).toContain('--output=type=cacheonly');
    expect(args[args.length - 1]).toBe('/r');
  });

  test('the tagged image is removed after a successful and after a failed build', () => {
    for (const status of [0, 1]) {
      const { run, calls } = fakeRunner({
        'buildah --storage-driver vfs bud': {
          status,
          stderr: status ? 'Error: building at STEP "RUN x": exit status 1' : '',
        },
        'buildah --storage-driver vfs rmi': status
          ? { status: 1, stderr: 'Error: t: image not known' }
          : {},
      });
      const outcome = runBuild({
        dockerfile: '/d',
        contextRoot: '/r',
        engine: buildah,
        run,
        tag: 'localhost/t',
        env: {},
      });
      expect(outcome.status).toBe(status ? 'failed' : 'built');
      expect(calls[calls.length - 1]).toBe('buildah --storage-driver vfs rmi --force localhost/t');
      expect(outcome.cleanupErrors).toEqual([]);
    }
  });
});
