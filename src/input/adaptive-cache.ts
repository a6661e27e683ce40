import { LRUCache } from "lru-cache";
import type { CacheStats } from "../core/metrics.js";

/** The seed's adaptation policy (docs/contract.md §7). */
export const ADAPTIVE_POLICY = Object.freeze({
  initialMaxSize: 1000,
  window: 100,
  growAbove: 0.8,
  growFactor: 1.5,
  ceiling: 10_000,
  shrinkBelow: 0.3,
  shrinkFactor: 0.7,
  floor: 100,
});

/**
 * An LRU cache whose bound adapts to its hit rate: every `window` lookups, a window hit rate
 * above `growAbove` grows the bound, below `shrinkBelow` shrinks it. lru-cache fixes `max` at
 * construction, so a new bound means a new LRUCache refilled oldest-first, which keeps the
 * most recently used entries when shrinking.
 */
export class AdaptiveCache<K extends {}, V extends {}> {
  #lru: LRUCache<K, V>;
  #hits = 0;
  #misses = 0;
  #windowHits = 0;
  #windowLookups = 0;

  constructor(maxSize: number = ADAPTIVE_POLICY.initialMaxSize) {
    this.#lru = new LRUCache({ max: maxSize });
  }

  /** The value under `key`, if `accept` takes it (a key may be a hash that needs checking). */
  get(key: K, accept: (value: V) => boolean = () => true): V | undefined {
    const found = this.#lru.get(key);
    const value = found !== undefined && accept(found) ? found : undefined;
    if (value === undefined) this.#misses++;
    else {
      this.#hits++;
      this.#windowHits++;
    }
    if (++this.#windowLookups === ADAPTIVE_POLICY.window) this.#adapt();
    return value;
  }

  set(key: K, value: V): void {
    this.#lru.set(key, value);
  }

  stats(): CacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      size: this.#lru.size,
      maxSize: this.#lru.max,
    };
  }

  #adapt(): void {
    const rate = this.#windowHits / this.#windowLookups;
    this.#windowHits = 0;
    this.#windowLookups = 0;
    const p = ADAPTIVE_POLICY;
    const max = this.#lru.max;
    let next = max;
    if (rate > p.growAbove) next = Math.min(p.ceiling, Math.floor(max * p.growFactor));
    else if (rate < p.shrinkBelow) next = Math.max(p.floor, Math.floor(max * p.shrinkFactor));
    if (next === max) return;
    const resized = new LRUCache<K, V>({ max: next });
    for (const key of this.#lru.rkeys()) resized.set(key, this.#lru.peek(key)!);
    this.#lru = resized;
  }
}
