/** The `sigv4auth` extension: signs requests with the collector's AWS credentials (IRSA). */
export interface SigV4AuthExtensionConfig {
  /** The region the requests are signed for. */
  readonly region: string;
  /** The AWS service the requests are signed for. */
  readonly service: string;
}
