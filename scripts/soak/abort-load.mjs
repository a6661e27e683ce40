// One round of aborted calls and progress reports on one backend: signals aborted before a call,
// right after it started (one signal per call, and one shared by a burst), and from inside a long
// call's first progress report; and progress followed to the end of calls that complete. An
// aborted call rejects with AbortError (code ABORT_ERR, the signal's reason as its cause); one
// aborted once it had already settled may resolve, and its result is then checked like any other.
import { HighPerformanceAreaAggregator } from "../../dist/index.js";
import { batchItem, columnInput, columnsReference, LARGE, MONTE_CARLO, MONTE_CARLO_EVALUATIONS, PLANS, SHARED_WEIGHTS, VARIANTS } from "./data.mjs";
import { aggregatorsFor, newOutputs } from "./api-load.mjs";

/** More calls than EventTarget's default listener limit (10) share one signal. */
const SHARED_SIGNAL_CALLS = 12;
/** Samples per area of the long calls (SPEC §6's default), which a first progress report aborts. */
const LONG_SAMPLES = 1000;
/**
 * Evaluations of a long call: at 1000 samples, many progress intervals (100 ms) on any machine
 * today (the native engine draws ~20× faster than the TypeScript kernel).
 */
const LONG_EVALUATIONS = { native: 4000, js: 96 };
const ITEMS = PLANS.map(batchItem);

export class AbortLoad {
  #backend;
  #aggregators;
  #long;
  #verify;
  #round = 0;

  constructor(backend, verify) {
    this.#backend = backend;
    this.#aggregators = aggregatorsFor(backend);
    this.#long = new HighPerformanceAreaAggregator({ backend, uncertainty: { ...MONTE_CARLO, samples: LONG_SAMPLES } });
    this.#verify = verify;
  }

  async round() {
    const r = this.#round++;
    await this.#before();
    await this.#during(r);
    await this.#sharedSignal(r);
    await this.#fromProgress();
    await this.#progressToTheEnd(r);
  }

  /** Every async method with a signal aborted before the call: it must reject before any work. */
  async #before() {
    const { plain, monteCarlo } = this.#aggregators;
    const controller = new AbortController();
    const reason = new Error("soak: aborted before the call");
    controller.abort(reason);
    const signal = controller.signal;
    const calls = {
      aggregate: () => plain.aggregate(PLANS[0].entries, undefined, { signal }),
      aggregateBatch: () => plain.aggregateBatch(ITEMS, SHARED_WEIGHTS, { signal }),
      aggregateColumns: () => plain.aggregateColumns(columnInput("own weights", "plain", LARGE), undefined, { signal }),
      "aggregateColumns, Monte-Carlo": () => monteCarlo.aggregateColumns(columnInput("own weights", "shared", MONTE_CARLO_EVALUATIONS), undefined, { signal }),
    };
    for (const [kind, call] of Object.entries(calls)) {
      this.#verify.count("aborted before the call", this.#backend);
      const what = `${kind} aborted before the call (${this.#backend})`;
      try {
        this.#verify.unexpected(what, await call());
      } catch (error) {
        this.#verify.rejection(what, error, { name: "AbortError", code: "ABORT_ERR", cause: reason });
      }
    }
  }

  /** Large calls aborted right after they started (off the JS thread by then), over every memory and output kind. */
  async #during(r) {
    const { plain, monteCarlo } = this.#aggregators;
    for (const [k, memory] of ["plain", "shared"].entries()) {
      for (const outputs of ["none", "plain", "shared"]) {
        const variant = VARIANTS[(r + k) % 3];
        await this.#abortedAtOnce(`aggregateColumns, ${memory} inputs, outputs ${outputs}`, (signal) =>
          plain.aggregateColumns(columnInput(variant, memory, LARGE), newOutputs(outputs, LARGE), { signal }), variant, LARGE);
      }
    }
    await this.#abortedAtOnce("aggregateColumns, Monte-Carlo", (signal) =>
      monteCarlo.aggregateColumns(columnInput("own weights", "plain", MONTE_CARLO_EVALUATIONS), undefined, { signal }), "own weights", MONTE_CARLO_EVALUATIONS, true);
    await this.#abortedAtOnce("aggregateBatch", (signal) => plain.aggregateBatch(ITEMS, SHARED_WEIGHTS, { signal }), "own weights", ITEMS.length, false, true);
  }

  /** One call started by `start(signal)` and aborted at once. */
  async #abortedAtOnce(what, start, variant, n, sampled = false, batch = false) {
    const controller = new AbortController();
    const reason = new Error("soak: aborted during the call");
    const pending = start(controller.signal);
    controller.abort(reason);
    this.#verify.count("aborted during the call", this.#backend);
    await this.#settled(`${what} aborted during the call`, pending, reason, variant, n, sampled, batch);
  }

  /** An aborted call's outcome: AbortError, or (settled before the abort) the right result. */
  async #settled(what, pending, reason, variant, n, sampled, batch) {
    try {
      const result = await pending;
      const options = { n, sampled: sampled ? `${variant} 0` : undefined };
      const reference = columnsReference(variant, sampled ? { firstEvaluation: 0 } : undefined);
      if (batch) this.#verify.areaScores(what, this.#backend, result.areaScores, reference, options);
      else this.#verify.columns(what, this.#backend, result, reference, options);
      return true;
    } catch (error) {
      this.#verify.rejection(`${what} (${this.#backend})`, error, { name: "AbortError", code: "ABORT_ERR", cause: reason });
      return false;
    }
  }

  /** A burst of large calls on one signal, aborted once they have all started. */
  async #sharedSignal(r) {
    const { plain } = this.#aggregators;
    const controller = new AbortController();
    const reason = new Error("soak: one signal for a burst");
    const calls = Array.from({ length: SHARED_SIGNAL_CALLS }, (_, k) => {
      const variant = VARIANTS[(r + k) % 3];
      const memory = k % 2 ? "shared" : "plain";
      return { variant, pending: plain.aggregateColumns(columnInput(variant, memory, LARGE), undefined, { signal: controller.signal }) };
    });
    controller.abort(reason);
    this.#verify.count("aborted during the call", this.#backend, calls.length);
    await Promise.all(calls.map(({ variant, pending }, k) => this.#settled(`burst call ${k} on one aborted signal`, pending, reason, variant, LARGE)));
  }

  /** A long Monte-Carlo call aborted from inside its first progress report. */
  async #fromProgress() {
    const n = LONG_EVALUATIONS[this.#backend];
    const controller = new AbortController();
    const reason = new Error("soak: aborted at the first progress report");
    const reports = [];
    const onProgress = (done, total) => {
      reports.push([done, total]);
      controller.abort(reason);
    };
    const pending = this.#long.aggregateColumns(columnInput("shared weights", "shared", n), undefined, { signal: controller.signal, onProgress });
    this.#verify.count("aborted from a progress report", this.#backend);
    let completed = false;
    try {
      const result = await pending;
      // Done before its first report: a machine far faster than today's.
      completed = true;
      const reference = columnsReference("shared weights", { firstEvaluation: 0, samples: LONG_SAMPLES, evaluations: n });
      this.#verify.columns("long call done before its first progress report", this.#backend, result, reference, { n, sampled: "long call" });
    } catch (error) {
      this.#verify.rejection(`long call aborted from a progress report (${this.#backend})`, error, { name: "AbortError", code: "ABORT_ERR", cause: reason });
    }
    this.#verify.progress(`long call aborted from a progress report (${this.#backend})`, reports, n, completed);
  }

  /** Calls followed to the end: a large columns call and a Monte-Carlo batch. */
  async #progressToTheEnd(r) {
    const { plain, monteCarlo } = this.#aggregators;
    const variant = VARIANTS[r % 3];
    const columns = [];
    const result = await plain.aggregateColumns(columnInput(variant, "plain", LARGE), undefined, { onProgress: (...report) => columns.push(report) });
    this.#verify.count("followed by progress reports", this.#backend);
    this.#verify.columns(`aggregateColumns with progress`, this.#backend, result, columnsReference(variant), { n: LARGE });
    this.#verify.progress(`aggregateColumns (${this.#backend})`, columns, LARGE, true);
    const batch = [];
    const sampled = await monteCarlo.aggregateBatch(ITEMS, SHARED_WEIGHTS, { onProgress: (...report) => batch.push(report) });
    this.#verify.count("followed by progress reports", this.#backend);
    this.#verify.areaScores(`Monte-Carlo aggregateBatch with progress`, this.#backend, sampled.areaScores, columnsReference("own weights", { firstEvaluation: 0 }), { sampled: "own weights 0" });
    this.#verify.progress(`Monte-Carlo aggregateBatch (${this.#backend})`, batch, ITEMS.length, true);
  }
}
