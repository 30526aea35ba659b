/**
 * Worker thread entry for `zsniff check`: analyses the captures it is sent,
 * one at a time, and posts back their snapshots.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { snapshotCapture } from './snapshot-capture.js';

export interface SnapshotRequest { id: number; file: string }
export interface SnapshotWorkerData { analyzeOptions: Record<string, unknown> }

const port = parentPort;
if (port) {
  const { analyzeOptions } = workerData as SnapshotWorkerData;
  port.on('message', (req: SnapshotRequest) => {
    void snapshotCapture(req.file, analyzeOptions).then((outcome) => port.postMessage({ id: req.id, outcome }));
  });
}
