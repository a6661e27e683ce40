/** A closed pipe: the reader went away, as under `| head`. */
export function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "EPIPE";
}

/** Why the output could not be written, in our words: "no space left on device". */
export function outputProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EFBIG":
      return "the file is too large";
    case "EIO":
      return "input/output error";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return typeof code === "string" ? `it failed (${code})` : "it failed";
  }
}

/**
 * A writable (stdout) written with backpressure: `write` resolves once the stream can take
 * more, so a slow reader holds the whole run back instead of the output piling up in memory.
 * Once the reader has gone away (EPIPE) every write resolves false and the run stops quietly;
 * once writing fails otherwise (a full disk, say), the same, and `failure` keeps the first error.
 */
export class Output {
  readonly #stream: NodeJS.WritableStream;
  #gone = false;
  #failure: Error | undefined;

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    // A failed write is emitted as an 'error' event, which would crash the process unheard.
    stream.on("error", (error: Error) => {
      if (!this.#gone && !isBrokenPipe(error)) this.#failure = error;
      this.#gone = true;
    });
  }

  /** False once nobody reads the output any more, or it cannot be written. */
  get open(): boolean {
    return !this.#gone;
  }

  /** The error that stopped the output, other than the reader going away; undefined while none did. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /**
   * Resolves once the stream can take more. `written`, if given, is called once the stream is
   * done with `data` (a stream may hold it after taking it), never if writing it fails.
   */
  async write(data: string | Uint8Array, written?: () => void): Promise<boolean> {
    if (this.#gone) return false;
    if (data.length === 0) {
      written?.();
      return true;
    }
    const done = (error?: Error | null) => {
      if (!error) written?.();
    };
    if (!this.#stream.write(data, written && done)) await this.#drained();
    return !this.#gone;
  }

  #drained(): Promise<void> {
    const stream = this.#stream;
    return new Promise((resolve) => {
      const done = () => {
        stream.off("drain", done);
        stream.off("close", done);
        stream.off("error", done);
        resolve();
      };
      stream.on("drain", done);
      // A stream that fails or closes never drains: the 'error' handler above records why.
      stream.on("close", done);
      stream.on("error", done);
    });
  }
}
