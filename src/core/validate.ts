import { MAX_ISSUES } from "./constants.js";

/** Stable codes of docs/contract.md §3. */
export type IssueCode =
  | "E_COUNT"
  | "E_TYPE"
  | "E_UNKNOWN_ID"
  | "E_HERMETICITY"
  | "E_NON_FINITE"
  | "E_RANGE"
  | "E_WEIGHTS"
  /** JSON text given to `dimensionScoresFromJson` that does not parse (the message says where). */
  | "E_JSON"
  /** Tables: a file that is not the format it claims, or is cut short (the path names the column or row where it is known). */
  | "E_TABLE"
  /** Tables: a column missing, or of a type that cannot hold it (`score` stored as text); the path names the column. */
  | "E_SCHEMA"
  /** Tables read as sorted by plan: a plan key whose rows come in two runs apart. */
  | "E_PLAN_SPLIT"
  /** Tables: a plan still incomplete when the cap of plans open at once was reached. */
  | "E_OPEN_PLANS";

/** One problem of a rejected input: its docs/contract.md §3 code, where it is, and what is wrong in plain words. */
export interface Issue {
  readonly code: IssueCode;
  /** Where: `[17].score`, `weights.PA03.DIM02`, `PA03.DIM04` for a missing pair, `""` for the whole input. */
  readonly path: string;
  readonly message: string;
}

/** How many issues the error message spells out; the rest are in `issues`. */
const ISSUES_IN_MESSAGE = 3;

/**
 * A bad evaluation or bad weights. `code` is the first issue's code; `issues` lists every
 * problem found, up to `MAX_ISSUES` (then `truncated` is true).
 */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly code: IssueCode;
  readonly issues: readonly Issue[];
  readonly truncated: boolean;

  constructor(issues: readonly Issue[], truncated = false) {
    const first = issues[0];
    if (first === undefined) throw new TypeError("ValidationError needs at least one issue");
    super(describe(issues, truncated));
    this.code = first.code;
    this.issues = Object.freeze(issues.map((i) => Object.freeze({ ...i })));
    this.truncated = truncated;
  }
}

function describe(issues: readonly Issue[], truncated: boolean): string {
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `${escapeInvisible(i.path) || "input"}: ${escapeInvisible(i.message)} (${i.code})`);
  const rest = issues.length - shown.length;
  const more = rest > 0 ? `; and ${rest} more${truncated ? ` (list capped at ${MAX_ISSUES})` : ""}` : "";
  const count = issues.length === 1 ? "1 issue" : `${issues.length}${truncated ? "+" : ""} issues`;
  return `Invalid input, ${count}: ${shown.join("; ")}${more}`;
}

/** Collects issues up to the cap; `truncated` tells a scanning loop it may stop. */
export class IssueCollector {
  readonly issues: Issue[] = [];
  /**
   * Set by the first issue past MAX_ISSUES. Scanning loops stop once it is set, so it means
   * exactly "there were more issues than the list holds". A plain field: loops test it per entry.
   */
  truncated = false;

  add(code: IssueCode, path: string, message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ code, path, message });
    else this.truncated = true;
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  /** Throws the collected issues, if any. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ValidationError(this.issues, this.truncated);
  }
}

/** How a bad value reads in a message: `NaN`, `"3"`, `null`, `an object`. */
export function show(value: unknown): string {
  switch (typeof value) {
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "string":
      return escapeInvisible(JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value));
    case "undefined":
      return "missing";
    case "object":
      return value === null ? "null" : isArrayUnlessRevoked(value) ? "an array" : "an object";
    case "bigint":
      return `${value}n (a bigint)`;
    default:
      return `a ${typeof value}`;
  }
}

/** `Array.isArray`, but false for a revoked Proxy (which throws there): what reads it next reports it. */
export function isArrayUnlessRevoked(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Characters a message shows escaped, as `\u0000`: controls (C0, DEL, C1), lone surrogates, and
 * characters that are invisible or reorder the text around them (no-break and zero-width spaces,
 * soft hyphen, bidirectional controls, line and paragraph separators, byte-order mark). Input
 * copied raw into a message could otherwise hide itself, or garble a terminal.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/gu;

/** `text` with every character of INVISIBLE written as a `\uXXXX` escape. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
