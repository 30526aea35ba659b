/**
 * A small pool of worker threads that turn captures into snapshots, so that
 * checking many captures uses more than one core. Results come back in
 * completion order; the caller puts them in path order.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { snapshotCapture, type SnapshotOutcome } from './snapshot-capture.js';
import type { SnapshotRequest, SnapshotWorkerData } from './snapshot-worker.js';

/** Two workers: analysis is memory-bound enough that more rarely pays on CI machines. */
export function defaultWorkerCount(): number {
  return Math.min(2, os.availableParallelism());
}

interface Pending { resolve: (o: SnapshotOutcome) => void; file: string }

interface PooledWorker { worker: Worker; busy: number | null; dead: boolean }

export class SnapshotPool {
  private readonly workers: PooledWorker[] = [];
  private readonly queue: SnapshotRequest[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private spawned = 0;

  /** `size` 0 analyses in this thread, one capture at a time. */
  constructor(private readonly size: number, private readonly analyzeOptions: Record<string, unknown> = {}) {}

  snapshot(file: string): Promise<SnapshotOutcome> {
    if (this.size === 0) return snapshotCapture(file, this.analyzeOptions);
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, file });
      this.queue.push({ id, file });
      this.dispatch();
    });
  }

  /** Ends the workers; call once every snapshot has resolved. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let w = this.workers.find((x) => !x.dead && x.busy === null);
      if (!w && this.workers.filter((x) => !x.dead).length < this.size) {
        // Workers that keep dying (cannot even start) must not respawn forever.
        if (this.spawned >= this.size * 4) {
          for (const req of this.queue.splice(0)) this.settle(req.id, { ok: false, message: 'internal error: analysis workers keep failing' });
          return;
        }
        w = this.spawn();
      }
      if (!w) return;
      const req = this.queue.shift()!;
      w.busy = req.id;
      w.worker.postMessage(req);
    }
  }

  private spawn(): PooledWorker {
    const data: SnapshotWorkerData = { analyzeOptions: this.analyzeOptions };
    const worker = new Worker(new URL('./snapshot-worker.js', import.meta.url), { workerData: data });
    this.spawned++;
    const pooled: PooledWorker = { worker, busy: null, dead: false };
    worker.on('message', (msg: { id: number; outcome: SnapshotOutcome }) => {
      pooled.busy = null;
      this.settle(msg.id, msg.outcome);
      this.dispatch();
    });
    // A crashed worker fails only the capture it was on; the others go to a fresh worker.
    const fail = (why: string): void => {
      if (pooled.dead) return;
      pooled.dead = true;
      if (pooled.busy !== null) this.settle(pooled.busy, { ok: false, message: `internal error: analysis worker ${why}` });
      pooled.busy = null;
      this.dispatch();
    };
    worker.on('error', (err) => fail(`failed: ${err.message}`));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    this.workers.push(pooled);
    return pooled;
  }

  private settle(id: number, outcome: SnapshotOutcome): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(outcome);
  }
}
