/** Helpers to capture the errors the public API throws or rejects with. */
import { expect } from "vitest";
import {
  aggregate,
  HighPerformanceAreaAggregator,
  ValidationError,
  type DimensionScore,
  type Weights,
} from "../../src/index.js";

/** Runs `fn`, which must throw synchronously, and returns what it threw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a synchronous throw, but the call returned normally");
}

/** Awaits `promise`, which must reject, and returns the reason. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** Narrows to ValidationError, failing the test otherwise. */
export function asValidationError(error: unknown): ValidationError {
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

export interface IssueShape {
  readonly code: string;
  readonly path: string;
}

/** The `{ code, path }` of every issue, in order. */
export function shapes(error: ValidationError): IssueShape[] {
  return error.issues.map(({ code, path }) => ({ code, path }));
}

const sharedAggregator = new HighPerformanceAreaAggregator();

/**
 * The ValidationError for one bad call, captured both ways: `aggregateSync` must throw it
 * synchronously and `aggregate` (the function) must reject with an equivalent one.
 */
export async function validationErrorOf(plan: unknown, weights?: unknown): Promise<ValidationError> {
  const thrown = asValidationError(
    thrownBy(() => sharedAggregator.aggregateSync(plan as readonly DimensionScore[], weights as Weights | undefined)),
  );
  const rejected = asValidationError(await rejectionOf(aggregate(plan as readonly DimensionScore[], weights as Weights | undefined)));
  expect(shapes(rejected)).toEqual(shapes(thrown));
  expect(rejected.code).toBe(thrown.code);
  return thrown;
}
