import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { alarmWindows, MAX_EVALUATION_SECONDS, validateAlarmWindows } from '../src/collector/alarm-windows';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { DEFAULT_POD_HEALTH_ALARMS, MAX_ALARM_MINUTES } from '../src/collector/pod-health';
import { ValidationError } from '../src/core/errors';
import { podHealthAlarms } from '../src/prerequisites/alarms';
import { COLLECTOR_PROPS } from './support/fixtures';
import { PROPERTY_SEED } from './support/property';

/**
 * The alarms' windows against what PutMetricAlarm accepts: a period of 10,
 * 30 or a multiple of 60 seconds, and for periods under an hour at most a day
 * of periods evaluated (CloudWatch API reference, PutMetricAlarm).
 */
describe('the pod health alarms fit CloudWatch', () => {
  const minutes = fc.integer({ min: 1, max: MAX_ALARM_MINUTES });

  test('every accepted window is one CloudWatch accepts; every refused one names its setting and the longest accepted', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 7200 }),
        fc.record({
          restartMinutes: minutes,
          pendingMinutes: minutes,
          unavailableMinutes: minutes,
          silentMinutes: minutes,
        }),
        (scrapeSeconds, windows) => {
          const alarms = { ...DEFAULT_POD_HEALTH_ALARMS, ...windows };
          try {
            validateAlarmWindows('podHealth.alarms', alarms, scrapeSeconds * 1000);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            expect((error as Error).message).toMatch(
              /^Invalid podHealth\.alarms\.(pending|unavailable)Minutes \d+ with a scrape interval of \d+ s: .* Expected at most \d+ minutes/,
            );
            refused++;
            return;
          }
          for (const alarm of podHealthAlarms('c', alarms, scrapeSeconds * 1000)) {
            expect(alarm.periodSeconds % 60, alarm.alarmName).toBe(0);
            if (alarm.periodSeconds < 3600) {
              expect(alarm.periodSeconds * alarm.evaluationPeriods, alarm.alarmName).toBeLessThanOrEqual(
                MAX_EVALUATION_SECONDS,
              );
            }
            // The window covers what was asked: at least the minutes set.
            expect(alarm.periodSeconds * alarm.evaluationPeriods).toBeGreaterThanOrEqual(60);
          }
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(0);
  });

  test("the issue's example: a 7-minute scrape and a day pending is refused, with the longest window that fits", () => {
    const alarms = { ...DEFAULT_POD_HEALTH_ALARMS, pendingMinutes: 1440 };
    expect(alarmWindows(alarms, 420_000).pendingMinutes).toStrictEqual({ periodSeconds: 420, evaluationPeriods: 206 });
    expect(
      () =>
        new FargateContainerInsightsCollector(Testing.chart(), 'C', {
          ...COLLECTOR_PROPS,
          scrapeInterval: Duration.minutes(7),
          scrapeTimeout: Duration.seconds(40),
          podHealth: { alarms: { pendingMinutes: 1440 } },
        }),
    ).toThrow(
      'Invalid podHealth.alarms.pendingMinutes 1440 with a scrape interval of 420 s: the alarm would evaluate 206 periods of 420 s (86520 s), and CloudWatch allows at most 86400 s for periods under an hour. Expected at most 1435 minutes, or a scrapeInterval of whole minutes.',
    );
    // 1435 minutes fits, and so does a day at a whole-minute interval.
    expect(() => validateAlarmWindows('a', { ...alarms, pendingMinutes: 1435 }, 420_000)).not.toThrow();
    expect(() => validateAlarmWindows('a', alarms, 60_000)).not.toThrow();
  });
});
