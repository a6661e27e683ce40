// Processes that exit while calls run: a child starts long native calls and a JS-backend call,
// and calls process.exit(0) at the first progress report. It must exit with status 0, promptly
// (the engine cancels what is in flight), never by a signal.
import { fileURLToPath } from "node:url";
import { runNode } from "./child.mjs";

const CHILD = fileURLToPath(new URL("./exit-child.mjs", import.meta.url));

export class ExitLoad {
  #verify;

  constructor(verify) {
    this.#verify = verify;
  }

  async round() {
    const run = await runNode([CHILD]);
    this.#verify.count("processes exiting mid-call");
    this.#verify.exited("process exiting mid-call", run.signal);
    const problem = run.status !== 0 ? `status ${run.status}` : run.stdout !== "exiting mid-call\n" ? `printed ${JSON.stringify(run.stdout)}` : undefined;
    this.#verify.holds("process exiting mid-call", problem && `${problem}; stderr: ${run.stderr.slice(0, 300)}`);
  }
}
