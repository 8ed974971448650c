import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { findAppModule, commandSegments } from '../../src/model/app.js';

const app = (text: string) => {
  const m = findAppModule(parseDocument(text));
  return m && { module: m.module, package: m.package, packagePath: m.packagePath, kind: m.kind };
};

describe('findAppModule', () => {
  test('exec form python -m with WORKDIR', () => {
    expect(
      app(
        'FROM python:3.11 AS b\nFROM gcr.io/distroless/python3\nWORKDIR /app\nCMD ["python3", "-m", "controller.main"]\n',
      ),
    ).toEqual({
      module: 'controller.main',
      package: 'controller',
      packagePath: '/app/controller',
      kind: 'module',
    });
  });

  test('ENTRYPOINT interpreter + CMD args, options before -m, versioned interpreter', () => {
    expect(
      app(
        'from x\nworkdir /srv\nworkdir api\nentrypoint ["/usr/bin/python3.11", "-u"]\ncmd ["-m", "svc.app"]\n',
      ),
    ).toEqual({ module: 'svc.app', package: 'svc', packagePath: '/srv/api/svc', kind: 'module' });
  });

  test('shell form with exec and env, line continuation', () => {
    expect(app('FROM x\nWORKDIR /w\nCMD exec env A=1 python \\\n  -m pkg\n')).toEqual({
      module: 'pkg',
      package: 'pkg',
      packagePath: '/w/pkg',
      kind: 'module',
    });
  });

  test('script paths', () => {
    expect(app('FROM x\nWORKDIR /app\nCMD ["python", "controller/main.py"]\n')).toEqual({
      module: 'controller.main',
      package: 'controller',
      packagePath: '/app/controller',
      kind: 'script',
    });
    expect(app('FROM x\nWORKDIR /app\nCMD python main.py\n')?.packagePath).toBe('/app/main.py');
    expect(app('FROM x\nCMD ["python", "/opt/svc/run.py"]\n')).toEqual({
      module: 'svc.run',
      package: 'svc',
      packagePath: '/opt/svc',
      kind: 'script',
    });
  });

  test('uvicorn / gunicorn / python -m uvicorn, --app-dir', () => {
    expect(
      app('FROM x\nWORKDIR /app\nCMD ["uvicorn", "api.main:app", "--host", "0.0.0.0"]\n')
        ?.packagePath,
    ).toBe('/app/api');
    expect(
      app(
        'FROM x\nWORKDIR /app\nCMD gunicorn -b 0.0.0.0:8000 -k uvicorn.workers.UvicornWorker web.wsgi:application\n',
      )?.module,
    ).toBe('web.wsgi');
    expect(
      app(
        'FROM x\nWORKDIR /app\nCMD ["python", "-m", "uvicorn", "--app-dir", "src", "svc.api:create_app()"]\n',
      ),
    ).toEqual({
      module: 'svc.api',
      package: 'svc',
      packagePath: '/app/src/svc',
      kind: 'server',
    });
  });

  test('inherits CMD from a base stage; ENTRYPOINT resets it', () => {
    expect(app('FROM x AS base\nWORKDIR /a\nCMD ["python","-m","one"]\nFROM base\n')?.module).toBe(
      'one',
    );
    expect(
      app('FROM x AS base\nCMD ["python","-m","one"]\nFROM base\nENTRYPOINT ["tini","--"]\n'),
    ).toBeNull();
  });

  test('sh -c wrappers, and non-python commands', () => {
    expect(app('FROM x\nCMD ["sh", "-c", "cd /x && exec python -m a.b"]\n')?.module).toBe('a.b');
    expect(app('FROM x\nCMD ["node", "server.js"]\n')).toBeNull();
    expect(app('FROM x\nCMD ["python", "-c", "print(1)"]\n')).toBeNull();
    expect(app('FROM x\n')).toBeNull();
  });

  test('CRLF and escape directive', () => {
    expect(
      app('# escape=`\r\nFROM x\r\nWORKDIR C:/app\r\nCMD python `\r\n  -m pkg.main\r\n')?.module,
    ).toBe('pkg.main');
  });
});

describe('commandSegments', () => {
  test('splits on operators, respects quotes', () => {
    expect(commandSegments(`a "b c" && d 'e;f'; g | h`)).toEqual([
      ['a', 'b c'],
      ['d', 'e;f'],
      ['g'],
      ['h'],
    ]);
  });
});
