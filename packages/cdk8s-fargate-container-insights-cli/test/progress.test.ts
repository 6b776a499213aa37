import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROLE_ARN } from '../../../test/support/fixtures';
import { parseCommandLine } from '../src/cli/arguments';
import { progressOn } from '../src/core/progress';
import { synthesizeFleet } from '../src/fleet/fleet';
import type { Fleet } from '../src/fleet/fleet-spec';

/** A terminal (or not) that records what is written, and a clock the test moves. */
function terminal(isTTY: boolean) {
  const written: string[] = [];
  let ms = 0;
  return {
    stream: { isTTY, write: (text: string) => written.push(text) },
    written,
    tick: (by: number) => {
      ms += by;
    },
    now: () => ms,
  };
}

describe('progress of a long fleet', () => {
  test('on a terminal: done / total and the time left, rewritten in place, at most ten times a second, then cleared', () => {
    const t = terminal(true);
    const progress = progressOn(t.stream, 'clusters', t.now);
    t.tick(500);
    progress.step(1, 4);
    t.tick(50);
    progress.step(2, 4); // within 100 ms of the last: not written
    t.tick(450);
    progress.step(3, 4);
    t.tick(10);
    progress.step(4, 4); // the last is always written
    progress.end();
    expect(t.written).toStrictEqual([
      '\r\x1b[K1/4 clusters, about 2 s left',
      '\r\x1b[K3/4 clusters, about 1 s left',
      '\r\x1b[K4/4 clusters',
      '\r\x1b[K',
    ]);
  });

  test('not on a terminal: nothing at all', () => {
    const t = terminal(false);
    const progress = progressOn(t.stream, 'clusters', t.now);
    progress.step(1, 2);
    progress.step(2, 2);
    progress.end();
    expect(t.written).toStrictEqual([]);
  });

  test.each([1, 3])('a fleet tells every cluster once, in order, with %i worker(s)', async (workers) => {
    const dir = mkdtempSync(join(tmpdir(), 'progress-'));
    try {
      const fleet: Fleet = {
        clusters: ['a', 'b', 'c', 'd'].map((name) => ({ name, region: 'eu-west-1', serviceAccountRoleArn: ROLE_ARN })),
      };
      const told: Array<[number, number]> = [];
      await synthesizeFleet(fleet, join(dir, 'dist'), {
        workers,
        onProgress: (done, total) => told.push([done, total]),
      });
      expect(told).toStrictEqual([
        [1, 4],
        [2, 4],
        [3, 4],
        [4, 4],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--quiet is a flag of fleet, with no value', () => {
    expect(parseCommandLine(['fleet', 'clusters.yaml', '--quiet'])).toMatchObject({
      kind: 'run',
      argument: 'clusters.yaml',
      options: { quiet: 'true' },
    });
    expect(parseCommandLine(['fleet', '--quiet=yes', 'clusters.yaml'])).toMatchObject({
      kind: 'usage error',
      message: '--quiet takes no value',
    });
    expect(parseCommandLine(['fleet', 'clusters.yaml', '--quiet', '--quiet'])).toMatchObject({
      kind: 'usage error',
      message: '--quiet is given twice',
    });
  });
});
