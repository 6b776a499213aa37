import { invalidInput, showValue, ValidationError } from '../core/errors';

/** Where the Container Insights metrics go, what each destination turns on, and the regions that take OTLP. */

/**
 * Where the Container Insights metrics go:
 * - `emf`: the classic path, Embedded Metric Format logs from which CloudWatch
 *   extracts the declared metrics (billed per metric);
 * - `otlp`: OpenTelemetry metrics over OTLP (billed per GB, queried with PromQL);
 * - `both`: both at once, to migrate.
 */
export enum MetricsDestination {
  /** Embedded Metric Format log events, from which CloudWatch extracts the declared metrics. The default. */
  EMF = 'emf',
  /** OpenTelemetry metrics over OTLP, queried with PromQL. */
  OTLP = 'otlp',
  /** Both at once, to migrate. */
  BOTH = 'both',
}

/** Where Container Insights metrics go unless told otherwise. */
export const DEFAULT_METRICS_DESTINATION = MetricsDestination.EMF;

/** Every metrics destination. */
export const METRICS_DESTINATIONS: readonly MetricsDestination[] = Object.values(MetricsDestination);

/**
 * The paths each destination turns on: the one place that says what a
 * destination means. A new destination is a row here (the compiler asks for
 * it) and its pipeline's `enabled`.
 */
const DESTINATION_PATHS: Readonly<Record<MetricsDestination, { readonly emf: boolean; readonly otlp: boolean }>> = {
  [MetricsDestination.EMF]: { emf: true, otlp: false },
  [MetricsDestination.OTLP]: { emf: false, otlp: true },
  [MetricsDestination.BOTH]: { emf: true, otlp: true },
};

/** Whether a destination includes the classic Embedded Metric Format path. */
export const sendsEmf = (destination: MetricsDestination): boolean => DESTINATION_PATHS[destination].emf;

/** Whether a destination includes the OTLP path. */
export const sendsOtlp = (destination: MetricsDestination): boolean => DESTINATION_PATHS[destination].otlp;

/** The destinations with the Embedded Metric Format path, which what shapes that path needs. */
export const EMF_DESTINATIONS: readonly MetricsDestination[] = METRICS_DESTINATIONS.filter(sendsEmf);

/**
 * The regions where the CloudWatch user guide lists OTLP metrics ingestion
 * ("Query metrics with PromQL", Supported AWS Regions), as read on
 * 2026-11-29: 31 regions. Not listed then: the Middle East and Israel
 * regions, China, AWS GovCloud (US) and the isolated partitions.
 */
export const OTLP_METRICS_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
  'mx-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
];

/** Checks a metrics destination's value: one of {@link METRICS_DESTINATIONS}. */
export function validateMetricsDestination(input: string, destination: string): MetricsDestination {
  if (!(METRICS_DESTINATIONS as readonly string[]).includes(destination)) {
    invalidInput(
      input,
      destination,
      `one of ${METRICS_DESTINATIONS.join(', ')} (emf: the classic Embedded Metric Format path; otlp: OpenTelemetry metrics for PromQL; both: both, to migrate)`,
    );
  }
  return destination as MetricsDestination;
}

/**
 * Checks that a destination with OTLP is in a region with the OTLP metrics
 * endpoint.
 *
 * @param skipRegionCheck accept a region the list does not have (one added since)
 * @param skipAssignment the opt-out as the user sets it: `allowUnlistedRegion: true`, `ALLOW_UNLISTED_REGION=true`
 * @throws ValidationError naming the input, the region and the listed regions
 */
export function validateOtlpRegion(
  input: string,
  destination: MetricsDestination,
  region: string,
  skipRegionCheck: boolean,
  skipAssignment: string,
): void {
  if (sendsOtlp(destination) && !skipRegionCheck && !OTLP_METRICS_REGIONS.includes(region)) {
    throw new ValidationError(
      `Invalid ${input} ${showValue(destination)} in region ${showValue(region)}: CloudWatch's OTLP metrics endpoint is not listed for that region. Expected emf there, or a region with OTLP metrics ingestion (${OTLP_METRICS_REGIONS.join(', ')}); if the endpoint has been added since, set ${skipAssignment}.`,
    );
  }
}

/** The destinations with the Embedded Metric Format path, for messages: `"emf" or "both"`. */
export function emfDestinationsInWords(): string {
  return EMF_DESTINATIONS.map((d) => JSON.stringify(d)).join(' or ');
}

/**
 * Pod health alarms need the Embedded Metric Format path, whose Container
 * Insights metrics they watch: the one rule, for the construct's props, the
 * clusters file and the app's variables alike, each naming its inputs.
 *
 * @param alarmsInput how the alarms are named: `podHealth.alarms`, `clusters[0].podHealth.alarms`, `POD_HEALTH.alarms`
 * @param destinationInput how the destination is named: `metricsDestination`, `METRICS_DESTINATION`
 * @param destinationAssignment the destination as set: `metricsDestination: "otlp"`, `METRICS_DESTINATION=otlp`
 */
export function validateAlarmsDestination(
  alarms: { readonly enabled?: boolean } | undefined,
  destination: MetricsDestination,
  alarmsInput: string,
  destinationInput: string,
  destinationAssignment: string,
): void {
  if (alarms === undefined || alarms.enabled === false || sendsEmf(destination)) return;
  throw new ValidationError(
    `Invalid ${alarmsInput} with ${destinationAssignment}: the alarms watch the Container Insights metrics of the Embedded Metric Format path, which "${destination}" does not send. Expected no ${alarmsInput} (or enabled: false), or ${destinationInput} ${emfDestinationsInWords()}.`,
  );
}
