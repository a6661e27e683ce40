import { ValidationError, type IssueCode } from "../core/errors.js";

/** A table that cannot be read as one (SPEC §3's ValidationError, one issue): `path` names the column, or the row. */
export function tableError(code: IssueCode, path: string, message: string): ValidationError {
  return new ValidationError([{ code, path, message }]);
}
