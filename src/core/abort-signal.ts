/**
 * A caller's AbortSignal as the engine knows it: its state through the intrinsic getters and
 * methods captured when this module loads, so an own property that shadows them changes
 * nothing, and an object that only inherits from AbortSignal is told apart (its getters throw
 * ERR_INVALID_THIS on it) instead of failing later as a raw error.
 */

const call = Reflect.apply;
const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")!.get!;
const reasonGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason")!.get!;
const addListener = EventTarget.prototype.addEventListener;
const removeListener = EventTarget.prototype.removeEventListener;

/** Whether `value` is an AbortSignal: one the engine made, not merely one inheriting from its prototype. */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== "object" || value === null) return false;
  try {
    call(abortedGetter, value, []);
    return true;
  } catch {
    return false;
  }
}

export function signalAborted(signal: AbortSignal): boolean {
  return call(abortedGetter, signal, []) as boolean;
}

export function signalReason(signal: AbortSignal): unknown {
  return call(reasonGetter, signal, []);
}

/** The calls listening to each signal, behind one listener of ours on it. */
interface Listening {
  readonly listeners: Set<() => void>;
  readonly dispatch: () => void;
}

const listening = new WeakMap<AbortSignal, Listening>();

/**
 * Calls `listener` once when `signal` aborts; returns the function that stops listening. Every
 * call on one signal shares one listener on it, so a thousand concurrent calls sharing a signal
 * add one (Node warns, MaxListenersExceededWarning, past ten; events.addAbortListener adds one
 * each on Node 20).
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let entry = listening.get(signal);
  if (entry === undefined) {
    const listeners = new Set<() => void>();
    const dispatch = () => {
      listening.delete(signal);
      for (const each of listeners) each();
    };
    entry = { listeners, dispatch };
    listening.set(signal, entry);
    call(addListener, signal, ["abort", dispatch, { once: true }]);
  }
  const { listeners, dispatch } = entry;
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && listening.get(signal) === entry) {
      listening.delete(signal);
      call(removeListener, signal, ["abort", dispatch]);
    }
  };
}
