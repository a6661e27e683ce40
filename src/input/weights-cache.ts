import type { CacheStats } from "../core/metrics.js";
import { AdaptiveCache } from "./adaptive-cache.js";
import type { IssueCollector } from "../core/validate.js";
import { WeightsContent } from "./weights-content.js";
import { prepareWeights, type PreparedWeights } from "./weights.js";

interface CachedWeights {
  readonly content: WeightsContent;
  readonly prepared: PreparedWeights;
}

// One reusable reader. A lookup made re-entrantly (from a getter on a weights object, say)
// finds it taken and uses its own, so no lookup can change another's content mid-read.
let spareContent: WeightsContent | undefined;

/**
 * Prepared weights from the adaptive cache, keyed by the weights' exact content (SPEC §7).
 * Only valid weights are stored, and a hit returns what preparing them again would return,
 * so the cache can never change a result — only skip validation and allocation.
 */
export class WeightsCache {
  readonly #cache = new AdaptiveCache<number, CachedWeights>();

  /** Like `prepareWeights`: undefined, with the problems in `issues`, when the weights are bad. */
  prepare(weights: unknown, issues: IssueCollector, path: string): PreparedWeights | undefined {
    // Absent weights and non-objects need no key: prepareWeights answers them directly.
    if (typeof weights !== "object" || weights === null) return prepareWeights(weights, issues, path);
    const content = spareContent ?? new WeightsContent();
    spareContent = undefined;
    try {
      if (!content.read(weights)) return prepareWeights(weights, issues, path);
      const hit = this.#cache.get(content.hash, (cached) => cached.content.equals(content));
      if (hit !== undefined) return hit.prepared;
      const prepared = prepareWeights(weights, issues, path);
      if (prepared !== undefined) this.#cache.set(content.hash, { content: content.snapshot(), prepared });
      return prepared;
    } finally {
      spareContent = content;
    }
  }

  stats(): CacheStats {
    return this.#cache.stats();
  }
}
