/**
 * 15 writes package markers only into a user base whose path it can write back as read. A
 * random-seed property run found `ENV HOME=<NUL>/srv/worker`: the markers went into a path with
 * the control character, which the next run did not recognise, and it added them again.
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const t15 = allTransforms.filter((t) => t.id === '15-user-site-markers');

const input = (home: string) =>
  'FROM python:3.11-slim AS builder\nRUN useradd --create-home worker\nUSER worker\n' +
  `ENV HOME=${home}\nRUN pip install --user celery==5.3.6\n\n` +
  'FROM gcr.io/distroless/python3-debian12\nCOPY --from=builder /srv/worker/.local /home/nonroot/.local\n';

describe('15 and a user base path with a control character', () => {
  test('reported, not written', () => {
    const text = input('\u0000/srv/worker');
    const r = runTransforms(text, t15, defaultContext());
    expect(r.text).toBe(text);
    expect(r.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('control character'),
      }),
    ]);
  });

  test('a plain path still gets its markers', () => {
    const r = runTransforms(input('/srv/worker'), t15, defaultContext());
    expect(r.text).toContain('/srv/worker/.local/lib/python3.11/site-packages/.');
  });
});
