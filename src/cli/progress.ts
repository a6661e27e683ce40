import { performance } from "node:perf_hooks";
import cliProgress from "cli-progress";

/** Where the run stands, for a person watching a terminal; never part of the output. */
export interface Progress {
  /** `count` more evaluations (good or bad) have been handled. */
  advance(count: number): void;
  /** Writes `text` (whole lines) to stderr above the bar, so the two never garble each other. */
  log(text: string): void;
  /** Draws the final state and gives the terminal back; `log` then writes straight to stderr. */
  stop(): void;
}

/** How far through the input the reader is: bytes read out of the file's size, when known. */
export interface InputPosition {
  readonly totalBytes: number | undefined;
  bytesRead(): number;
}

/** Redraws at most this often: cli-progress throttles drawing, this throttles our own updates too. */
const UPDATE_INTERVAL_MS = 100;

/**
 * A progress bar with plans/s (cli-progress) on stderr when stderr is a terminal and stdout is
 * not — results on the same terminal would tear the bar, and show progress themselves — and
 * nothing otherwise: logs and pipes get only the reports they asked for.
 */
export function createProgress(stderr: NodeJS.WriteStream, stdout: NodeJS.WriteStream, position: InputPosition): Progress {
  if (!stderr.isTTY || stdout.isTTY) return { advance() {}, log: (text) => void stderr.write(text), stop() {} };
  const sized = position.totalBytes !== undefined && position.totalBytes > 0;
  const bars = new cliProgress.MultiBar({
    stream: stderr,
    hideCursor: true,
    // The percentage is of bytes read (the only total known before the end); the counts are plans.
    format: sized
      ? "{bar} {percentage}% | {plans} plans | {rate} plans/s | ETA {eta_formatted}"
      : "{plans} plans | {rate} plans/s | {duration_formatted}",
  });
  const start = performance.now();
  let plans = 0;
  let lastUpdate = -Infinity;
  const payload = () => ({ plans, rate: Math.round(plans / Math.max((performance.now() - start) / 1000, 1e-3)) });
  const bar = bars.create(sized ? position.totalBytes! : 0, 0, payload());
  let active = true;
  const update = () => {
    lastUpdate = performance.now();
    bar.update(sized ? Math.min(position.bytesRead(), position.totalBytes!) : 0, payload());
  };
  return {
    advance(count) {
      plans += count;
      if (performance.now() - lastUpdate >= UPDATE_INTERVAL_MS) update();
    },
    log(text) {
      if (active) bars.log(text);
      else stderr.write(text);
    },
    stop() {
      if (!active) return;
      active = false;
      update();
      // stop() draws the bars but not the log buffer, which only the timer flushes.
      bars.update();
      bars.stop();
    },
  };
}
