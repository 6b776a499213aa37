import { describe, expect, test } from 'vitest';
import { FARGATE_PRICE_US_EAST_1 } from '../src/core/aws-prices';
import {
  FARGATE_POD_SIZES,
  type FargatePodSize,
  fargateMonthlyCost,
  fargatePodSize,
  formatFargatePodSize,
  podRequests,
} from '../src/fargate/fargate-size';

describe('fargatePodSize', () => {
  test.each<[string, number, number, FargatePodSize]>([
    ['no requests: the smallest size', 0, 0, { vcpu: 0.25, memoryGiB: 0.5 }],
    ['0.25 vCPU and 256 MiB fill the smallest size exactly', 250, 256, { vcpu: 0.25, memoryGiB: 0.5 }],
    ['one more mebibyte needs the next memory step', 250, 257, { vcpu: 0.25, memoryGiB: 1 }],
    ['one more millicore needs the next vCPU step', 251, 256, { vcpu: 0.5, memoryGiB: 1 }],
    ['the AWS reference collector, 1 vCPU and 2 GiB', 1000, 2048, { vcpu: 1, memoryGiB: 3 }],
    ['our collector default, 1 vCPU and 2816 MiB', 1000, 2816, { vcpu: 1, memoryGiB: 3 }],
    ['the walkthrough webapp requests, 256m and 512 MiB', 256, 512, { vcpu: 0.5, memoryGiB: 1 }],
    // The EKS user guide's example: 1 vCPU and 8 GB become 2 vCPU and 9 GB.
    ['memory beyond a vCPU row moves to the next row', 1000, 8192, { vcpu: 2, memoryGiB: 9 }],
    ['little CPU and much memory', 250, 3 * 1024, { vcpu: 0.5, memoryGiB: 4 }],
    ['8 vCPU rows step by 4 GB', 8000, 17 * 1024, { vcpu: 8, memoryGiB: 20 }],
    ['the largest size', 16_000, 120 * 1024 - 256, { vcpu: 16, memoryGiB: 120 }],
  ])('%s', (_, cpuMillis, memoryMiB, size) => {
    expect(fargatePodSize({ cpuMillis, memoryMiB })).toStrictEqual(size);
  });

  test.each([
    [16_001, 1024],
    [1000, 120 * 1024 - 255],
  ])('%i millicores and %i MiB do not fit Fargate', (cpuMillis, memoryMiB) => {
    expect(fargatePodSize({ cpuMillis, memoryMiB })).toBeUndefined();
  });

  test('is the cheapest size that holds the requests plus 256 MiB', () => {
    const all = FARGATE_POD_SIZES.flatMap((row) => row.memoryGiB.map((memoryGiB) => ({ vcpu: row.vcpu, memoryGiB })));
    for (const cpuMillis of [0, 100, 250, 300, 500, 999, 1000, 1500, 2000, 3000, 4000, 7000, 8000, 12_000, 16_000]) {
      for (let memoryMiB = 0; memoryMiB <= 120 * 1024; memoryMiB += 200) {
        const fits = all.filter((s) => s.vcpu * 1000 >= cpuMillis && s.memoryGiB * 1024 >= memoryMiB + 256);
        const cheapest = fits.sort((a, b) => fargateMonthlyCost(a) - fargateMonthlyCost(b))[0];
        expect(fargatePodSize({ cpuMillis, memoryMiB }), `${cpuMillis}m ${memoryMiB}Mi`).toStrictEqual(cheapest);
      }
    }
  });

  test('the table is the one in the EKS user guide', () => {
    expect(
      FARGATE_POD_SIZES.map((row) => [row.vcpu, row.memoryGiB[0], row.memoryGiB.at(-1), row.memoryGiB.length]),
    ).toStrictEqual([
      [0.25, 0.5, 2, 3],
      [0.5, 1, 4, 4],
      [1, 2, 8, 7],
      [2, 4, 16, 13],
      [4, 8, 30, 23],
      [8, 16, 60, 12],
      [16, 32, 120, 12],
    ]);
  });
});

describe('podRequests', () => {
  test('adds up the containers', () => {
    expect(
      podRequests([
        { cpuMillis: 250, memoryMiB: 256 },
        { cpuMillis: 100, memoryMiB: 64 },
      ]),
    ).toStrictEqual({ cpuMillis: 350, memoryMiB: 320 });
  });

  test('takes the largest init container, per resource, when it is bigger', () => {
    expect(
      podRequests(
        [{ cpuMillis: 250, memoryMiB: 256 }],
        [
          { cpuMillis: 1000, memoryMiB: 128 },
          { cpuMillis: 500, memoryMiB: 512 },
        ],
      ),
    ).toStrictEqual({ cpuMillis: 1000, memoryMiB: 512 });
  });
});

describe('formatFargatePodSize', () => {
  test.each<[FargatePodSize, string]>([
    [{ vcpu: 0.25, memoryGiB: 0.5 }, '0.25vCPU 0.5GB'],
    [{ vcpu: 1, memoryGiB: 3 }, '1vCPU 3GB'],
    [{ vcpu: 16, memoryGiB: 120 }, '16vCPU 120GB'],
  ])('%j is written as Fargate writes CapacityProvisioned: %s', (size, text) => {
    expect(formatFargatePodSize(size)).toBe(text);
  });
});

describe('fargateMonthlyCost', () => {
  test.each<[FargatePodSize, string]>([
    [{ vcpu: 0.25, memoryGiB: 0.5 }, '9.01'],
    [{ vcpu: 0.5, memoryGiB: 1 }, '18.02'],
    [{ vcpu: 1, memoryGiB: 3 }, '39.28'],
  ])('%j costs $%s a month in us-east-1', (size, dollars) => {
    expect(fargateMonthlyCost(size).toFixed(2)).toBe(dollars);
  });

  test('is (vCPU × vCPU-hour price + GB × GB-hour price) × 730 hours', () => {
    const price = { perVcpuHour: 1, perGbHour: 0.1 };
    expect(fargateMonthlyCost({ vcpu: 2, memoryGiB: 10 }, price)).toBeCloseTo(3 * 730, 9);
    expect(FARGATE_PRICE_US_EAST_1).toStrictEqual({ perVcpuHour: 0.04048, perGbHour: 0.004445 });
  });
});
