/**
 * Round-trip-time statistics in bounded memory: exact minimum and maximum,
 * and a median from a small reservoir sample (exact while there are no more
 * samples than the reservoir holds). The reservoir is allocated on the first
 * sample, so the many flows that never carry data cost nothing.
 */
const RESERVOIR_SIZE = 31;
const SCRATCH = new Float64Array(RESERVOIR_SIZE);

export class RttEstimator {
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  private reservoir: Float64Array | null = null;
  /** Deterministic (xorshift32) so that the same capture always gives the same median. */
  private rng = 0x9e3779b9;

  /** Back to no samples; the reservoir is kept for the next flow that reuses this one. */
  reset(): void {
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.sum = 0;
    this.rng = 0x9e3779b9;
  }

  /** Adds one sample in seconds; negative samples (clock steps) are refused. */
  add(seconds: number): void {
    if (!(seconds >= 0)) return;
    const n = this.count++;
    if (seconds < this.min) this.min = seconds;
    if (seconds > this.max) this.max = seconds;
    this.sum += seconds;
    if (this.reservoir === null) this.reservoir = new Float64Array(RESERVOIR_SIZE);
    if (n < RESERVOIR_SIZE) {
      this.reservoir[n] = seconds;
      return;
    }
    // Vitter's algorithm R: every sample so far has equal odds of being kept.
    let x = this.rng;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.rng = x >>> 0;
    const slot = this.rng % (n + 1);
    if (slot < RESERVOIR_SIZE) this.reservoir[slot] = seconds;
  }

  /** Median of the samples (estimated beyond the reservoir size); NaN without samples. */
  median(): number {
    if (this.count === 0 || this.reservoir === null) return NaN;
    const k = Math.min(this.count, RESERVOIR_SIZE);
    // A live view asks for every open stream's median a few times a second: sorted in a shared
    // scratch array by insertion (at most 31 numbers), it allocates nothing.
    const sorted = SCRATCH;
    for (let i = 0; i < k; i++) {
      const v = this.reservoir[i]!;
      let j = i;
      for (; j > 0 && sorted[j - 1]! > v; j--) sorted[j] = sorted[j - 1]!;
      sorted[j] = v;
    }
    return k % 2 === 1 ? sorted[(k - 1) / 2]! : (sorted[k / 2 - 1]! + sorted[k / 2]!) / 2;
  }

  /** Whether the median is exact (every sample is in the reservoir). */
  get exact(): boolean { return this.count <= RESERVOIR_SIZE; }

  toJSON(): RttSummary | null {
    if (this.count === 0) return null;
    return { samples: this.count, min: this.min, median: this.median(), max: this.max, mean: this.sum / this.count };
  }
}

export interface RttSummary {
  samples: number;
  min: number;
  median: number;
  max: number;
  mean: number;
}
