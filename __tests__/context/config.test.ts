/** dockerfix.config.json: strict validation, discovery, overrides, context resolution. */
import { afterAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigError,
  findConfigFile,
  loadConfigFile,
  resolveConfig,
  validateConfig,
} from '../../src/config.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bad = (raw: unknown) => () => validateConfig(raw, 'cfg.json');

describe('validateConfig', () => {
  test('accepts every documented key', () => {
    const raw = {
      $schema: './schema.json',
      context: '../..',
      markerPrefix: 'LUCID_SERVICE_MESH_CONTROLLER',
      image: 'pickme/lucid-service-mesh-controller:latest-arm64',
      platform: 'linux/arm64',
      runtimeUser: '65532:65532',
      variableDefaults: { MONGODB_PASSWORD: 'changeme', '*': 'unset' },
      importNames: { 'python-consul': 'consul' },
      platformStyle: 'omit',
      target: 'runtime',
      overrides: [{ files: 'services/**/Dockerfile*', platform: 'linux/amd64,linux/arm64' }],
    };
    expect(validateConfig(raw, 'cfg.json')).toBe(raw);
  });

  test('unknown keys are errors, with the nearest known key', () => {
    expect(bad({ contxt: '.' })).toThrow(ConfigError);
    expect(bad({ contxt: '.' })).toThrow(
      /cfg\.json: unknown key "contxt" \(did you mean "context"\?\)/,
    );
    expect(bad({ zzzzzzzzzz: 1 })).toThrow(/unknown key "zzzzzzzzzz"; known keys: context,/);
    expect(bad({ overrides: [{ files: 'x', overrides: [] }] })).toThrow(
      /overrides\[0\]: unknown key "overrides"/,
    );
  });

  test('wrong types and shapes are errors naming the key', () => {
    expect(bad([])).toThrow(/must be a JSON object/);
    expect(bad({ image: 3 })).toThrow(/"image" must be a non-empty string/);
    expect(bad({ image: '  ' })).toThrow(/"image" must be a non-empty string/);
    expect(bad({ image: 'a b' })).toThrow(/"image" must be an image reference/);
    expect(bad({ platform: 'arm64' })).toThrow(/"platform" must be an os\/arch/);
    expect(bad({ markerPrefix: 'lucid-mesh' })).toThrow(/"markerPrefix" must be letters/);
    expect(bad({ runtimeUser: 'a b' })).toThrow(/"runtimeUser"/);
    expect(bad({ importNames: { a: 1 } })).toThrow(/"importNames" must be an object of strings/);
    expect(bad({ variableDefaults: ['x'] })).toThrow(/"variableDefaults"/);
    expect(bad({ platformStyle: 'remove' })).toThrow(/"platformStyle" must be "target" or "omit"/);
    expect(bad({ overrides: {} })).toThrow(/"overrides" must be a list/);
    expect(bad({ overrides: [{ platform: 'linux/amd64' }] })).toThrow(/overrides\[0\]: "files"/);
    expect(bad({ overrides: [{ files: [] }] })).toThrow(/non-empty list of globs/);
    expect(bad({ overrides: [{ files: 'x', $schema: 'y' }] })).toThrow(/unknown key "\$schema"/);
  });
});

describe('config files', () => {
  test('found upward from the Dockerfile; BOM tolerated; invalid JSON named', () => {
    const root = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    const file = path.join(root, 'dockerfix.config.json');
    fs.writeFileSync(file, '\uFEFF{ "image": "x/y:1" }');
    expect(findConfigFile(path.join(root, 'a', 'b'))).toBe(file);
    expect(loadConfigFile(file)).toEqual({ image: 'x/y:1' });
    fs.writeFileSync(file, '{ "image": ');
    expect(() => loadConfigFile(file)).toThrow(
      new RegExp(`${file.replace(/[.\\\\]/g, '\\$&')}: invalid JSON`),
    );
    expect(() => loadConfigFile(path.join(root, 'missing.json'))).toThrow(
      /cannot read config \(ENOENT\)/,
    );
  });

  test('overrides apply by glob relative to the config folder, later ones win; context made absolute', () => {
    const cfgFile = path.join(tmp, 'mono', 'dockerfix.config.json');
    const config = validateConfig(
      {
        $schema: 'x',
        context: '.',
        image: 'acme/default:1',
        importNames: { a: 'a1' },
        overrides: [
          { files: 'services/**', image: 'acme/svc:1', importNames: { b: 'b1' } },
          { files: ['services/api/*'], context: 'services/api', platform: 'linux/arm64' },
        ],
      },
      cfgFile,
    );
    const api = resolveConfig(
      config,
      cfgFile,
      path.join(tmp, 'mono', 'services', 'api', 'Dockerfile'),
    );
    expect(api).toMatchObject({
      image: 'acme/svc:1',
      platform: 'linux/arm64',
      context: path.join(tmp, 'mono', 'services', 'api'),
      importNames: { a: 'a1', b: 'b1' },
      file: cfgFile,
    });
    expect(api).not.toHaveProperty('$schema');
    const other = resolveConfig(config, cfgFile, path.join(tmp, 'mono', 'tools', 'Dockerfile'));
    expect(other).toMatchObject({ image: 'acme/default:1', context: path.join(tmp, 'mono') });
    expect(other.platform).toBeUndefined();
  });
});
