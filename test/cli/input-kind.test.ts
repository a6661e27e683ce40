/**
 * How the CLI tells one JSON document from NDJSON without reading everything: NDJSON when the
 * first non-blank line is a complete JSON value and another follows; otherwise the input is
 * held and parsed as one document, and read as NDJSON after all when it does not parse.
 */
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, libraryDicts, ndjsonResults, plan, PLAN_FILE, planText, runCli } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const compact = JSON.stringify(plan);

describe("one JSON document or NDJSON", () => {
  it("a pretty-printed document spanning many lines is one evaluation", async () => {
    expect(planText.split("\n").length).toBeGreaterThan(100);
    const { status, stdout } = runCli(["-", "--format", "json"], planText);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toStrictEqual(await libraryDicts(plan));
  });

  it("a single line with blank lines around it is one document, reported without a line number", () => {
    const { status, stdout } = runCli(["-", "--format", "json"], `\n\n${compact}\n\n`);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(10);
    expect(runCli([], `\n${JSON.stringify(compact.slice(0, 100))}\n`).stderr).toMatch(/^input: expected a list of dimension scores/m);
  });

  it("two complete lines are NDJSON, numbered as physical lines (CRLF too)", () => {
    const { status, stdout } = runCli([], `\r\n${compact}\r\n\r\n${compact}\r\n`);
    expect(status).toBe(0);
    expect(ndjsonResults(stdout).map((r) => r.line)).toEqual([2, 4]);
  });

  it("NDJSON whose first line is broken is still NDJSON: that line is reported, the rest written", () => {
    const { status, stdout, stderr } = runCli([], ['{"dimension_scores": [', compact, compact].join("\n"));
    expect(status).toBe(1);
    expect(stderr).toMatch(/^line 1: not valid JSON/m);
    expect(ndjsonResults(stdout).map((r) => r.line)).toEqual([2, 3]);
  });

  it("a byte-order mark before a document or NDJSON is ignored", () => {
    expect(runCli([], `\uFEFF${planText}`).stdout).toBe(runCli([PLAN_FILE]).stdout);
    expect(ndjsonResults(runCli([], `\uFEFF${compact}\n${compact}`).stdout).map((r) => r.line)).toEqual([1, 2]);
  });

  it("empty input is one bad document", () => {
    const { status, stderr } = runCli([], "\n  \n");
    expect(status).toBe(1);
    expect(stderr).toBe("input: empty; expected JSON or NDJSON (E_EMPTY)\n");
  });
});
