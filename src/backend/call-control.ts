import { AREA_COUNT } from "../core/constants.js";
import { onAbort, signalAborted, signalReason } from "../core/abort-signal.js";
import { AbortError } from "../core/errors.js";

/**
 * A call's control words: an Int32Array over a SharedArrayBuffer that the caller's thread and
 * the thread running the call (a JS worker, js-worker.ts, or native's, native/call_control.h)
 * both see. The caller sets CONTROL_CANCEL to stop the call between chunks; the runner counts
 * the area rows (evaluation × area) its last pass has finished in CONTROL_DONE.
 */
export const CONTROL_CANCEL = 0;
export const CONTROL_DONE = 1;
const CONTROL_WORDS = 2;

function newCallControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT));
}

/** What runs at once when a call is cancelled, besides its cancel word being set (see `whenCancelled`). */
const cancelListeners = new WeakMap<Int32Array, Set<() => void>>();

/** Whether the call of `control` has been cancelled. */
export function isCancelled(control: Int32Array): boolean {
  return Atomics.load(control, CONTROL_CANCEL) !== 0;
}

/**
 * Calls `listener` once if the call of `control` is cancelled while it listens (work not yet
 * started, such as a job waiting for a worker, is dropped this way rather than at its first
 * chunk). Returns the function that stops listening.
 */
export function whenCancelled(control: Int32Array, listener: () => void): () => void {
  let listeners = cancelListeners.get(control);
  if (listeners === undefined) cancelListeners.set(control, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function cancel(control: Int32Array): void {
  Atomics.store(control, CONTROL_CANCEL, 1);
  const listeners = cancelListeners.get(control);
  cancelListeners.delete(control);
  listeners?.forEach((listener) => listener());
}

/** Rejects (throws) with AbortError when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal !== undefined && signalAborted(signal)) throw new AbortError(undefined, { cause: signalReason(signal) });
}

/** What a caller may attach to one async call (CallOptions). */
export interface CallHooks {
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
}

/** onProgress is called at most this often while a call runs, and once at its end. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Runs `work` (on `total` evaluations) with fresh control words under `hooks`. When the signal
 * aborts, the promise rejects at once with AbortError and the cancel word is set, so the work
 * stops at its next chunk (its own late rejection, E_CANCELLED, is then nobody's); a signal
 * already aborted rejects before `work` starts. `onProgress(done, total)` is called with the
 * evaluations done at most every PROGRESS_INTERVAL_MS while they grow, and with (total, total)
 * when the work succeeds; an error it throws stops the work and rejects the call with it.
 */
export async function controlledCall<T>(hooks: CallHooks, total: number, work: (control: Int32Array) => Promise<T>): Promise<T> {
  const { signal, onProgress } = hooks;
  throwIfAborted(signal);
  const control = newCallControl();
  if (signal === undefined && onProgress === undefined) return work(control);
  let stop!: (error: unknown) => void;
  const stopped = new Promise<never>((_, reject) => {
    stop = (error) => {
      reject(error);
      cancel(control);
    };
  });
  const aborted = () => stop(new AbortError(undefined, { cause: signalReason(signal!) }));
  let reported = 0;
  const report = (done: number) => {
    if (done <= reported) return;
    reported = done;
    try {
      onProgress!(done, total);
    } catch (error) {
      stop(error);
    }
  };
  const unlisten = signal && onAbort(signal, aborted);
  const timer = onProgress && setInterval(() => report(Math.floor(Atomics.load(control, CONTROL_DONE) / AREA_COUNT)), PROGRESS_INTERVAL_MS);
  try {
    const running = work(control);
    running.catch(() => {});
    const result = await Promise.race([running, stopped]);
    if (onProgress !== undefined && reported < total) onProgress(total, total);
    return result;
  } finally {
    clearInterval(timer);
    unlisten?.();
  }
}
