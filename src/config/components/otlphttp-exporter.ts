/** The `otlphttp` exporter: OTLP over HTTP to CloudWatch's metrics endpoint. */
export interface OtlpHttpExporterConfig {
  /** The URL metrics are posted to. */
  readonly metrics_endpoint: string;
  /** The request signer. */
  readonly auth: {
    /** The id of the `sigv4auth` extension that signs each request. */
    readonly authenticator: string;
  };
  /** Compression of the request bodies: the endpoint takes gzip or none. */
  readonly compression: 'gzip';
}
