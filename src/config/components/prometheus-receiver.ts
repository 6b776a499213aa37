import type { EnvReference } from './env-reference';

/** Prometheus relabel rule (`relabel_configs` / `metric_relabel_configs` entry). */
export interface RelabelConfig {
  /** What the rule does; Prometheus' default is `replace`. */
  readonly action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'hashmod' | 'labeldrop';
  /** Labels whose values, joined with `;`, the rule reads. */
  readonly source_labels?: readonly string[];
  /** Regular expression matched (anchored) against the joined source values, or the value of an environment variable. */
  readonly regex?: string | EnvReference;
  /** Label the rule writes. */
  readonly target_label?: string;
  /** Value written to `target_label`; may refer to `regex` groups as `${1}`. */
  readonly replacement?: string;
  /** For `hashmod`: the modulus of the hash written to `target_label`. */
  readonly modulus?: number;
}

/** The Kubernetes service discovery of a scrape job: every object of one role. */
export type KubernetesSdConfig = NodeSdConfig | FargatePodSdConfig;

/** Every node of the cluster. */
export interface NodeSdConfig {
  /** Which objects become targets: `node`, every node of the cluster. */
  readonly role: 'node';
}

/** The pods the API server lists for a selector, each with its node's labels. */
export interface FargatePodSdConfig {
  /** Which objects become targets: `pod`, one target per declared container port (or container). */
  readonly role: 'pod';
  /** `node: true`: each pod's target also gets its node's `__meta_kubernetes_node_*` labels. */
  readonly attach_metadata: { readonly node: boolean };
  /** What the API server lists and watches: the pods with a label, as a label selector. */
  readonly selectors: ReadonlyArray<{ readonly role: 'pod'; readonly label: string }>;
}

/** One Prometheus scrape job. */
export interface ScrapeConfig {
  /** Name of the job, the `job` label of its series. */
  readonly job_name: string;
  /** A scrape with more samples than this fails whole. */
  readonly sample_limit: number;
  /** Protocol of the scrape: the API server proxy is HTTPS. */
  readonly scheme: 'https';
  /**
   * Whether a sample keeps the timestamp the target wrote beside it
   * (Prometheus' default, `true`) or takes the scrape's time (`false`).
   */
  readonly honor_timestamps?: boolean;
  /** How the targets are found: Kubernetes service discovery. */
  readonly kubernetes_sd_configs: readonly KubernetesSdConfig[];
  /** The CA that signs the API server's certificate. */
  readonly tls_config: {
    /** Path of the CA bundle, the service account's `ca.crt`. */
    readonly ca_file: string;
  };
  /** The credentials sent with each scrape. */
  readonly authorization: {
    /** Path of the bearer token, the service account's `token`, read again at every scrape. */
    readonly credentials_file: string;
  };
  /** Rules applied to each discovered target before the scrape: which nodes, and the proxy path. */
  readonly relabel_configs: readonly RelabelConfig[];
  /** Rules applied to each scraped series: which metric families are kept. */
  readonly metric_relabel_configs: readonly RelabelConfig[];
}

/** The Kubernetes service discovery of the application scrape: every pod, of some namespaces or all. */
export interface PodSdConfig {
  /** Which objects become targets: `pod`, each pod (one target per declared container port). */
  readonly role: 'pod';
  /** Only these namespaces; absent: every namespace. */
  readonly namespaces?: {
    /** The namespace names. */
    readonly names: readonly string[];
  };
}

/** The scrape job of the pods annotated `prometheus.io/scrape: "true"`, over the pod network. */
export interface PodScrapeConfig {
  /** Name of the job, the `job` label of its series. */
  readonly job_name: string;
  /** A scrape with more samples than this fails whole. */
  readonly sample_limit: number;
  /** How the targets are found: Kubernetes service discovery of pods. */
  readonly kubernetes_sd_configs: readonly PodSdConfig[];
  /** Rules applied to each discovered pod: which pods, their address, path and scheme, and their labels. */
  readonly relabel_configs: readonly RelabelConfig[];
  /** Rules applied to each scraped series: with CloudWatch the only destination, the declared metrics are kept. */
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

/** The prometheus receiver of the application metrics. */
export interface ApplicationPrometheusReceiverConfig {
  /** The Prometheus configuration, as Prometheus reads it. */
  readonly config: {
    /** Settings of every scrape job: the same interval and timeout as the cAdvisor scrape. */
    readonly global: {
      /** How often each target is scraped, as a Prometheus duration. */
      readonly scrape_interval: string;
      /** How long a scrape may take, as a Prometheus duration. */
      readonly scrape_timeout: string;
    };
    /** The one scrape job. */
    readonly scrape_configs: readonly PodScrapeConfig[];
  };
}

/** The scrape job of kube-state-metrics, at its Service's address. */
export interface StaticScrapeConfig {
  /** Name of the job, the `job` label of its series. */
  readonly job_name: string;
  /** The targets, as `host:port`. */
  readonly static_configs: ReadonlyArray<{
    /** The addresses scraped. */
    readonly targets: readonly string[];
  }>;
  /** Rules applied to each target before the scrape: with several replicas, the one replica that scrapes it. */
  readonly relabel_configs?: readonly RelabelConfig[];
  /** Rules applied to each scraped series: which families are kept. */
  readonly metric_relabel_configs: readonly RelabelConfig[];
}

/** The prometheus receiver of pod health: kube-state-metrics. */
export interface PodHealthPrometheusReceiverConfig {
  /** The Prometheus configuration, as Prometheus reads it. */
  readonly config: {
    /** Settings of every scrape job: the same interval and timeout as the cAdvisor scrape. */
    readonly global: {
      /** How often each target is scraped, as a Prometheus duration. */
      readonly scrape_interval: string;
      /** How long a scrape may take, as a Prometheus duration. */
      readonly scrape_timeout: string;
    };
    /** The one scrape job. */
    readonly scrape_configs: readonly StaticScrapeConfig[];
  };
}

/** The prometheus receiver: an embedded Prometheus scrape configuration. */
export interface PrometheusReceiverConfig {
  /** The Prometheus configuration, as Prometheus reads it. */
  readonly config: {
    /** Settings of every scrape job. */
    readonly global: {
      /** How often each target is scraped, as a Prometheus duration. */
      readonly scrape_interval: string;
      /** How long a scrape may take, as a Prometheus duration. */
      readonly scrape_timeout: string;
    };
    /** The scrape jobs. */
    readonly scrape_configs: readonly ScrapeConfig[];
  };
}
