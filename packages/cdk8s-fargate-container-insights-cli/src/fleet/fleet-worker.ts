import { parentPort, workerData } from 'node:worker_threads';
import { ValidationError } from 'cdk8s-fargate-container-insights';
import { type FleetWorkerData, type FleetWorkerMessage, synthesizeClusters } from './fleet';

/**
 * Worker thread of `synthesizeFleet`: synthesizes one contiguous chunk of a
 * fleet's clusters and answers with the files it wrote or the error.
 */

const data = workerData as FleetWorkerData;
synthesizeClusters(data.clusters, data.outdir, data.first, data.prerequisitesDir, () =>
  parentPort?.postMessage({ progress: 1 } satisfies FleetWorkerMessage),
).then(
  (files): void => parentPort?.postMessage({ files } satisfies FleetWorkerMessage),
  (error: unknown): void =>
    parentPort?.postMessage({
      error: error instanceof Error ? error.message : String(error),
      validation: error instanceof ValidationError,
    } satisfies FleetWorkerMessage),
);
