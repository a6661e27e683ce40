/**
 * Codes of a mistake in how the tool was called (exit status 2), as opposed to bad data
 * (exit status 1): E_USAGE for the arguments, E_FILE for a FILE or --weights file that cannot
 * be read, E_JSON for a --weights file that is not JSON.
 */
export type UsageCode = "E_USAGE" | "E_FILE" | "E_JSON";

export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code: UsageCode;

  constructor(message: string, code: UsageCode = "E_USAGE") {
    super(message);
    this.code = code;
  }
}

/** Why a file could not be read, in our words rather than the system call's ("ENOENT: no such file…, open '…'"). */
export function fileProblem(file: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const why =
    code === "ENOENT" ? "no such file"
    : code === "EACCES" || code === "EPERM" ? "permission denied"
    : code === "EISDIR" ? "it is a directory"
    : `it cannot be read${typeof code === "string" ? ` (${code})` : ""}`;
  return new UsageError(`cannot read ${file}: ${why}`, "E_FILE");
}
