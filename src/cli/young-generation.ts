/**
 * Keeps V8's young generation (the nursery for short-lived objects) at a
 * size that suits zsniff.
 *
 * Printing a packet leaves a few hundred bytes of strings that die at once.
 * V8 nevertheless grows each of its two semi-spaces from 1 MB towards 16 MB
 * as the bytes that happen to be live at each minor GC add up. Past 8 MB per
 * semi-space a bigger nursery buys zsniff no speed, only RSS (PERF.md, "Less
 * garbage per printed line"), so once V8 has grown it that far we tell it to
 * stop growing. `--max-semi-space-size` would be the direct way, but V8 reads it
 * only when the heap is created, before any of our code runs; the growth
 * factor is read each time the nursery grows.
 */
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';

/** Both semi-spaces together, as getHeapSpaceStatistics reports new_space. */
const NURSERY_CAP_BYTES = 16 * 1024 * 1024;
let capped = false;
/** node:v8, loaded at the first check: loading it costs every short run a few milliseconds. */
let v8: typeof V8 | undefined;

/**
 * Stops the nursery's growth once it has reached the cap. Call it every few
 * thousand packets from a loop that makes garbage: a timer would not do, as
 * a file is read in long synchronous runs and V8 grows the nursery within
 * the first half second. Costs one statistics call until the cap is set,
 * nothing after.
 */
export function capYoungGeneration(): void {
  if (capped) return;
  v8 ??= createRequire(import.meta.url)('node:v8') as typeof V8;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name !== 'new_space' || space.space_size < NURSERY_CAP_BYTES) continue;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
  }
}
