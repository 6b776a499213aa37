import { ValidationError } from '../core/errors';
import type { ResolvedPodHealthAlarms } from './pod-health';

/**
 * The windows of the pod health alarms, in CloudWatch's terms: each alarm's
 * period and the periods it evaluates, from its setting and the scrape
 * interval; and the limit PutMetricAlarm puts on them. The alarms
 * (src/prerequisites/alarms.ts) are built from these, and the collector's
 * props are refused by them before anything is built.
 */

/** The longest an alarm with a period under an hour may evaluate, in seconds (PutMetricAlarm, `EvaluationPeriods`). */
export const MAX_EVALUATION_SECONDS = 86_400;

/** The settings that set an alarm's window. */
export type AlarmWindowSetting = 'restartMinutes' | 'pendingMinutes' | 'unavailableMinutes' | 'silentMinutes';

/** One alarm's window. */
export interface AlarmWindow {
  /** Its period, in seconds: a multiple of 60. */
  readonly periodSeconds: number;
  /** The periods it evaluates. */
  readonly evaluationPeriods: number;
}

/** The shortest period that holds a scrape: a whole number of minutes. */
function periodFor(scrapeIntervalMs: number): number {
  return Math.max(60, Math.ceil(scrapeIntervalMs / 60_000) * 60);
}

/**
 * Each alarm's window: one period of the whole window for a count over it
 * (restarts, silence), or every period of the window for a state that lasts
 * (pending pods, unavailable replicas), in periods of the scrape interval
 * rounded up to whole minutes.
 */
export function alarmWindows(
  alarms: ResolvedPodHealthAlarms,
  scrapeIntervalMs: number,
): Readonly<Record<AlarmWindowSetting, AlarmWindow>> {
  const period = periodFor(scrapeIntervalMs);
  const once = (minutes: number): AlarmWindow => ({
    periodSeconds: Math.max(period, minutes * 60),
    evaluationPeriods: 1,
  });
  const every = (minutes: number): AlarmWindow => ({
    periodSeconds: period,
    evaluationPeriods: Math.max(1, Math.ceil((minutes * 60) / period)),
  });
  return {
    restartMinutes: once(alarms.restartMinutes),
    pendingMinutes: every(alarms.pendingMinutes),
    unavailableMinutes: every(alarms.unavailableMinutes),
    silentMinutes: once(alarms.silentMinutes),
  };
}

/**
 * Refuses alarm windows CloudWatch would refuse at deploy time: with a
 * scrape interval that is not a whole number of minutes, a window is a whole
 * number of periods and can pass a day.
 *
 * @throws ValidationError naming the `input` setting, its value and the longest accepted
 */
export function validateAlarmWindows(input: string, alarms: ResolvedPodHealthAlarms, scrapeIntervalMs: number): void {
  for (const [key, window] of Object.entries(alarmWindows(alarms, scrapeIntervalMs)) as Array<
    [AlarmWindowSetting, AlarmWindow]
  >) {
    const seconds = window.periodSeconds * window.evaluationPeriods;
    if (window.periodSeconds >= 3600 || seconds <= MAX_EVALUATION_SECONDS) continue;
    const longest = (Math.floor(MAX_EVALUATION_SECONDS / window.periodSeconds) * window.periodSeconds) / 60;
    throw new ValidationError(
      `Invalid ${input}.${key} ${alarms[key]} with a scrape interval of ${scrapeIntervalMs / 1000} s: the alarm would evaluate ${window.evaluationPeriods} periods of ${window.periodSeconds} s (${seconds} s), and CloudWatch allows at most ${MAX_EVALUATION_SECONDS} s for periods under an hour. Expected at most ${longest} minutes, or a scrapeInterval of whole minutes.`,
    );
  }
}
