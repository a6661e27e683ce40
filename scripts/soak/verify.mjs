// Every outcome of a soak call checked and counted (in a Tally): results against the reference
// (compare.mjs), rejections against the coded error they must be, progress reports against
// CallOptions.onProgress's promise, child processes against a death by signal.
import { areaScoreColumns, columnsDifference, FirstResults, MONTE_CARLO_TOLERANCE } from "./compare.mjs";

export class Verifier {
  #tally;
  #first = new FirstResults();

  constructor(tally) {
    this.#tally = tally;
  }

  /** Counts `count` calls of `kind` on `backend` (Tally.count). */
  count(kind, backend, count) {
    this.#tally.count(kind, backend, count);
  }

  /** A child process that ended, by itself or by `signal` (Tally.exited). */
  exited(what, signal) {
    this.#tally.exited(what, signal);
  }

  /**
   * Columns outputs `got` of `n` evaluations against evaluations `from` … of `ref`. A Monte-Carlo
   * result (`sampled`: the key naming its input) on native may differ from the TypeScript
   * kernel by MONTE_CARLO_TOLERANCE, and must repeat the first native result for that input.
   */
  columns(what, backend, got, ref, { n, from = 0, sampled }) {
    const native = backend === "native" && sampled !== undefined;
    this.#tally.check(`${what} (${backend})`, columnsDifference(got, ref, n, from, native ? MONTE_CARLO_TOLERANCE : 0));
    if (native) this.#tally.check(`${what} (native, against its first run)`, this.#first.difference(`${sampled} n=${n}`, got));
  }

  /** `aggregate`/`aggregateBatch` results (AreaScore lists, one per evaluation) as `columns` checks them. */
  areaScores(what, backend, results, ref, { from = 0, sampled }) {
    const { out, problem } = areaScoreColumns(results, sampled === undefined ? "weighted_average" : "monte_carlo");
    if (problem !== undefined) this.#tally.check(`${what} (${backend})`, problem);
    else this.columns(what, backend, out, ref, { n: results.length, from, sampled });
  }

  /** A rejection that must be a `name` error with `code` (and, given, `cause`). */
  rejection(what, error, { name, code, cause }) {
    const difference =
      error?.name !== name || error?.code !== code ? `${describe(error)}, expected ${name} ${code}`
      : cause !== undefined && error.cause !== cause ? `${name} without the signal's reason as its cause`
      : undefined;
    return this.#tally.check(what, difference);
  }

  /** A promise that had to reject: its result is a mismatch. */
  unexpected(what, result) {
    this.#tally.check(what, `resolved (${Object.keys(result ?? {}).join(", ")}) where it had to reject`);
  }

  /**
   * The (done, total) reports of one call: total always `n`, done increasing within (0, n], and,
   * when the call `completed`, a last report of (n, n).
   */
  progress(what, reports, n, completed) {
    let difference;
    let last = 0;
    for (const [done, total] of reports) {
      if (total !== n) difference ??= `total ${total}, expected ${n}`;
      if (!(done > last && done <= n)) difference ??= `done ${done} after ${last}`;
      last = done;
    }
    if (completed && last !== n) difference ??= `last report ${last} of ${n} for a completed call`;
    this.#tally.check(`${what}: progress`, difference);
  }

  /** Any other check: `difference` undefined when it holds. */
  holds(what, difference) {
    return this.#tally.check(what, difference);
  }
}

/** An error (or anything thrown) in a few words. */
export function describe(error) {
  return error instanceof Error ? `${error.name} ${error.code ?? ""}: ${error.message}` : `a thrown ${typeof error}`;
}
