import { MAX_ISSUES } from "./constants.js";
import { ValidationError, type Issue, type IssueCode } from "./errors.js";
import { escapeInvisible } from "./text.js";

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
