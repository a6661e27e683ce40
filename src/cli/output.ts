/** A closed pipe: the reader went away, as under `| head`. */
export function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "EPIPE";
}

/**
 * A writable (stdout) written with backpressure: `write` resolves once the stream can take
 * more, so a slow reader holds the whole run back instead of the output piling up in memory.
 * Once the reader has gone away (EPIPE) every write resolves false and the run stops quietly.
 */
export class Output {
  readonly #stream: NodeJS.WritableStream;
  #gone = false;

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    // A closed pipe is also emitted as an 'error' event, which would crash the process unheard.
    stream.on("error", (error: unknown) => {
      if (!isBrokenPipe(error)) throw error;
      this.#gone = true;
    });
  }

  /** False once nobody reads the output any more. */
  get open(): boolean {
    return !this.#gone;
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
