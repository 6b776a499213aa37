import type { EnvReference } from './env-reference';

/** The `prometheusremotewrite` exporter: Prometheus remote write to Amazon Managed Service for Prometheus. */
export interface PrometheusRemoteWriteExporterConfig {
  /** The workspace's remote write URL. */
  readonly endpoint: string;
  /** The request signer. */
  readonly auth: {
    /** The id of the `sigv4auth` extension that signs each request. */
    readonly authenticator: string;
  };
  /** Labels added to every series sent. */
  readonly external_labels: Readonly<Record<string, string | EnvReference>>;
}
