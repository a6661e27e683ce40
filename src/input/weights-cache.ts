import type { CacheStats } from "../core/metrics.js";
import type { IssueCollector } from "../core/validate.js";
import { AdaptiveCache } from "./adaptive-cache.js";
import { hashWeights, WeightsContent, type WeightsHash } from "./weights-content.js";
import { EQUAL_WEIGHTS, preparedFrom, readWeights, type PreparedWeights } from "./weights.js";

interface CachedWeights {
  readonly content: WeightsContent;
  readonly prepared: PreparedWeights;
}

// One reusable reader. A lookup made re-entrantly (from a getter on a weights object, say)
// finds it taken and uses its own, so no lookup can change another's content mid-read.
let spareContent: WeightsContent | undefined;

/**
 * Prepared weights from the adaptive cache, keyed by the weights' exact content (docs/contract.md §7).
 * The weights are read once into a content; only a valid content is looked up or stored, and a
 * hit is confirmed by comparing the whole content, so a hit returns what preparing them again
 * would return and the cache can never change a result — only skip allocation.
 */
export class WeightsCache {
  readonly #cache = new AdaptiveCache<number, CachedWeights>();
  readonly #hash: WeightsHash;

  /** `hash` is for tests that need colliding keys; the default mixes every bit of the content. */
  constructor(hash: WeightsHash = hashWeights) {
    this.#hash = hash;
  }

  /** Like `prepareWeights`: undefined, with the problems in `issues`, when the weights are bad. */
  prepare(weights: unknown, issues: IssueCollector, path: string): PreparedWeights | undefined {
    if (weights === undefined || weights === null) return EQUAL_WEIGHTS;
    const content = spareContent ?? new WeightsContent();
    spareContent = undefined;
    try {
      if (!readWeights(weights, content, issues, path)) return undefined;
      const key = this.#hash(content);
      const hit = this.#cache.get(key, (cached) => cached.content.equals(content));
      if (hit !== undefined) return hit.prepared;
      const prepared = preparedFrom(content);
      this.#cache.set(key, { content: content.snapshot(), prepared });
      return prepared;
    } finally {
      spareContent = content;
    }
  }

  stats(): CacheStats {
    return this.#cache.stats();
  }
}
