import type { ResultBlock } from "./results.js";

/** Where a writer's bytes go (stdout through the CLI's Output, or a file): resolves false once nobody reads. */
export interface ByteSink {
  /**
   * Resolves once the sink can take more. `written`, if given, is called once the sink is done
   * with `data`, which may then be filled again; never if writing it fails.
   */
  write(data: Uint8Array, written?: () => void): Promise<boolean>;
}

/** Writes result blocks as one table; `end` closes it (a footer, an end marker). */
export interface TableWriter {
  /** Resolves once the block's bytes are handed to the sink: the block may then be reused. */
  write(block: ResultBlock): Promise<void>;
  end(): Promise<void>;
}
