/**
 * Runs recipes in a child process (child.ts), one at a time, so a crash or a hang in the addon
 * is reported against the case that caused it and the next case gets a fresh child.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CaseReport } from "./report.js";
import type { Recipe } from "./recipe.js";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
/** tsx (a devDependency) runs child.ts and the src/ it imports: Node 20 cannot strip types itself. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** Enough stderr to hold an ASan report. */
const STDERR_TAIL = 16_384;

/** The environment of the child: ours without the variables that pick a backend (each case runs all of them). */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ["FARFAN_AGGREGATOR_FORCE_JS", "FARFAN_AGGREGATOR_BACKEND", "FARFAN_AGGREGATOR_ISA"]) delete env[key];
  return env;
}

export class CaseHost {
  readonly #timeoutMs: number;
  #child: ChildProcess | undefined;
  #stderr = "";
  #settle: ((report: CaseReport) => void) | undefined;

  /** @param timeoutMs a case running longer than this is a hang: far above any case's normal time. */
  constructor(timeoutMs = 120_000) {
    this.#timeoutMs = timeoutMs;
  }

  run(recipe: Recipe): Promise<CaseReport> {
    const child = this.#spawned();
    return new Promise<CaseReport>((resolve) => {
      const timer = setTimeout(() => {
        this.close();
        this.#finish({ failures: [{ kind: "hang", backend: "?", detail: `no answer after ${this.#timeoutMs} ms` }] });
      }, this.#timeoutMs);
      this.#settle = (report) => {
        clearTimeout(timer);
        resolve(report);
      };
      child.send(recipe);
    });
  }

  close(): void {
    this.#child?.kill("SIGKILL");
    this.#child = undefined;
  }

  #finish(report: CaseReport): void {
    const settle = this.#settle;
    this.#settle = undefined;
    settle?.(report);
  }

  #spawned(): ChildProcess {
    if (this.#child !== undefined) return this.#child;
    this.#stderr = "";
    const child = fork(CHILD, [], {
      execArgv: ["--expose-gc", "--import", TSX],
      env: childEnv(),
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on("message", (report: CaseReport) => this.#finish(report));
    child.on("exit", (code, signal) => {
      // A child we killed (hang, close) has nothing more to report.
      if (this.#child !== child) return;
      this.#child = undefined;
      // Let the last stderr chunk arrive before quoting it.
      setImmediate(() =>
        this.#finish({ failures: [{ kind: "crash", backend: "?", detail: `child exited (code ${code}, signal ${signal}); stderr: ${this.#stderr.trim().slice(-4000)}` }] }),
      );
    });
    this.#child = child;
    return child;
  }
}
