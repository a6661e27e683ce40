import { areaIndexOf, DIMENSION_COUNT, dimensionIndexOf, SLOTS_PER_EVALUATION } from "../core/constants.js";

/**
 * The exact content of a weights object — which (area, dimension) pairs it names, in its own
 * key order, and the bits of each weight — read into typed arrays and hashed. The weights
 * cache keys on the hash and compares the full content on a hit, so a hit always means "the
 * same weights". Turning each weight into a string instead costs more than preparing the
 * weights afresh (measured: 17.7 µs against 10.0 µs per call for ten areas of decimal weights).
 */
export class WeightsContent {
  /** `a*6 + d` of each weight read. */
  readonly pairs: Uint8Array;
  readonly values: Float64Array;
  readonly #bits: Uint32Array;
  count = 0;
  hash = 0;

  constructor(capacity: number = SLOTS_PER_EVALUATION) {
    this.pairs = new Uint8Array(capacity);
    this.values = new Float64Array(capacity);
    this.#bits = new Uint32Array(this.values.buffer);
  }

  /**
   * Reads `weights`; false when they cannot be keyed (not a plain map of known ids to
   * numbers): such weights are validated afresh every time, and are never cached.
   */
  read(weights: object): boolean {
    if (Array.isArray(weights)) return false;
    let count = 0;
    const byArea = weights as Record<string, unknown>;
    for (const areaId of Object.keys(byArea)) {
      const a = areaIndexOf(areaId);
      const area = byArea[areaId];
      if (a < 0 || typeof area !== "object" || area === null || Array.isArray(area)) return false;
      const byDimension = area as Record<string, unknown>;
      for (const dimensionId of Object.keys(byDimension)) {
        const d = dimensionIndexOf(dimensionId);
        const w = byDimension[dimensionId];
        // Known keys are unique per object, so at most 60 pairs fit.
        if (d < 0 || typeof w !== "number") return false;
        this.pairs[count] = a * DIMENSION_COUNT + d;
        this.values[count] = w;
        count++;
      }
    }
    this.count = count;
    this.hash = this.#hashOf(count);
    return true;
  }

  /** FNV-1a over the pairs and the raw bits of the weights (so -0 and 0 differ). */
  #hashOf(count: number): number {
    let h = 0x811c9dc5 ^ count;
    for (let i = 0; i < count; i++) {
      h = Math.imul(h ^ this.pairs[i]!, 0x01000193);
      h = Math.imul(h ^ this.#bits[2 * i]!, 0x01000193);
      h = Math.imul(h ^ this.#bits[2 * i + 1]!, 0x01000193);
    }
    return h >>> 0;
  }

  equals(other: WeightsContent): boolean {
    if (other.count !== this.count) return false;
    const mine = this.#bits;
    const theirs = other.#bits;
    for (let i = 0; i < this.count; i++) {
      if (this.pairs[i] !== other.pairs[i] || mine[2 * i] !== theirs[2 * i] || mine[2 * i + 1] !== theirs[2 * i + 1]) return false;
    }
    return true;
  }

  /** A right-sized copy, to be kept in the cache while this one is reused. */
  snapshot(): WeightsContent {
    const copy = new WeightsContent(this.count);
    copy.pairs.set(this.pairs.subarray(0, this.count));
    copy.values.set(this.values.subarray(0, this.count));
    copy.count = this.count;
    copy.hash = this.hash;
    return copy;
  }
}
