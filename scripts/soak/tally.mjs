// What the soak counts: calls done by kind and backend, results checked, the checks that failed
// (the first few described, so a failing run says what went wrong) and child processes that died
// by a signal.
const DESCRIBED = 20;

export class Tally {
  /** kind → backend → calls. */
  calls = new Map();
  checked = 0;
  mismatches = 0;
  /** Child processes that exited by a signal. */
  crashes = 0;
  /** Descriptions of the first failed checks and crashes. */
  failures = [];

  /** Counts `count` calls of `kind` on `backend` ("native", "js", or "-" for the process-level kinds). */
  count(kind, backend = "-", count = 1) {
    const row = this.calls.get(kind) ?? new Map();
    row.set(backend, (row.get(backend) ?? 0) + count);
    this.calls.set(kind, row);
  }

  /** Counts one checked result; a falsy `difference` passes, anything else is a mismatch described by `what` and it. */
  check(what, difference) {
    this.checked++;
    if (!difference) return true;
    this.mismatches++;
    this.#describe(`${what}: ${difference}`);
    return false;
  }

  /** Counts a child process that exited by `signal` (null: it exited by itself, not a crash). */
  exited(what, signal) {
    if (signal === null) return;
    this.crashes++;
    this.#describe(`${what}: killed by ${signal}`);
  }

  #describe(failure) {
    if (this.failures.length < DESCRIBED) this.failures.push(failure);
  }

  /** All calls counted, every kind and backend. */
  get totalCalls() {
    let total = 0;
    for (const row of this.calls.values()) for (const count of row.values()) total += count;
    return total;
  }

  /** The counts as plain data: { kind: { backend: calls } }. */
  callsByKind() {
    return Object.fromEntries([...this.calls].map(([kind, row]) => [kind, Object.fromEntries(row)]));
  }
}
