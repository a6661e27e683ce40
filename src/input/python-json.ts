import { setField } from "../core/fields.js";
import { escapeInvisible } from "../core/text.js";

/** Where and why a JSON text does not parse; `line` and `column` count from 1. */
export interface JsonSyntaxProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export type JsonParseResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonSyntaxProblem };

/**
 * JSON as Python's `json.dump` writes it: standard JSON plus the bare tokens `NaN`, `Infinity`
 * and `-Infinity` (read as those numbers, so validation reports them as E_NON_FINITE at their
 * path). Standard text takes `JSON.parse`'s fast path; only text it rejects is read again here,
 * to accept Python's tokens or to say where the first mistake is. Never throws.
 */
export function parsePythonJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return new Reader(text).document();
  }
}

/**
 * A container being filled: an array, or an object and the key its next value goes under. A
 * class, so that telling the two apart reads own fields only (a polluted Object.prototype.array
 * must not turn an object into an array).
 */
class Frame {
  constructor(
    readonly container: unknown[] | Record<string, unknown>,
    readonly isArray: boolean,
    public key = "",
  ) {}

  /** Puts `value` in the container: an own field (or element) whatever a prototype defines. */
  add(value: unknown): void {
    const container = this.container as Record<string, unknown>;
    setField(container, this.isArray ? String((this.container as unknown[]).length) : this.key, value);
  }
}

/** Thrown inside the reader only, at the first mistake; `document()` turns it into a result. */
class Mistake {
  constructor(
    readonly message: string,
    readonly at: number,
  ) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS: readonly (readonly [string, unknown])[] = [
  ["true", true],
  ["false", false],
  ["null", null],
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
];

/**
 * A JSON reader with an explicit stack instead of recursion, so nesting as deep as `JSON.parse`
 * takes (100,000 levels and more) never overflows the JS stack.
 */
class Reader {
  readonly #text: string;
  #at = 0;
  /** True between a ',' and the next value: a ']' or '}' there is a trailing comma. */
  #afterComma = false;

  constructor(text: string) {
    this.#text = text;
  }

  document(): JsonParseResult {
    try {
      const value = this.#value();
      this.#space();
      if (this.#at < this.#text.length) throw this.#mistake("unexpected text after the JSON value");
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof Mistake)) throw error;
      return { ok: false, problem: this.#locate(error) };
    }
  }

  #value(): unknown {
    const stack: Frame[] = [];
    for (;;) {
      this.#space();
      let value: unknown;
      const c = this.#text[this.#at];
      if (c === "[") {
        this.#at++;
        this.#space();
        if (this.#text[this.#at] !== "]") {
          stack.push(new Frame([], true));
          continue;
        }
        this.#at++;
        value = [];
      } else if (c === "{") {
        this.#at++;
        this.#space();
        if (this.#text[this.#at] !== "}") {
          stack.push(new Frame({}, false, this.#key()));
          continue;
        }
        this.#at++;
        value = {};
      } else {
        value = this.#scalar();
      }
      this.#afterComma = false;
      // Put the value in its container; close every container that ends here.
      for (;;) {
        const top = stack.at(-1);
        if (top === undefined) return value;
        top.add(value);
        this.#space();
        const next = this.#text[this.#at];
        const close = top.isArray ? "]" : "}";
        if (next === ",") {
          this.#at++;
          this.#afterComma = true;
          if (!top.isArray) top.key = this.#key();
          break;
        }
        if (next !== close) throw this.#mistake(`expected ',' or '${close}', found ${this.#found()}`);
        this.#at++;
        stack.pop();
        value = top.container;
      }
    }
  }

  #scalar(): unknown {
    const text = this.#text;
    const c = text[this.#at];
    if ((c === "]" || c === "}") && this.#afterComma) throw this.#mistake(`expected a value, found '${c}' (a trailing comma before it?)`);
    if (c === '"') return this.#string();
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.#at;
    const number = NUMBER.exec(text);
    if (number === null) throw this.#mistake(`expected a value, found ${this.#found()}`);
    this.#at += number[0].length;
    return Number(number[0]);
  }

  /** A property name and its colon. */
  #key(): string {
    this.#space();
    if (this.#text[this.#at] !== '"') {
      // The first key of an object is read only when it is not '}', so a '}' here follows a comma.
      const hint = this.#text[this.#at] === "}" ? " (a trailing comma before it?)" : "";
      throw this.#mistake(`expected a property name in double quotes, found ${this.#found()}${hint}`);
    }
    const key = this.#string();
    this.#space();
    if (this.#text[this.#at] !== ":") throw this.#mistake(`expected ':' after a property name, found ${this.#found()}`);
    this.#at++;
    return key;
  }

  #string(): string {
    const text = this.#text;
    const start = this.#at;
    let end = start + 1;
    for (;;) {
      if (end >= text.length) throw this.#mistake("a string is not closed", start);
      const code = text.charCodeAt(end);
      if (code === 0x22) break;
      if (code < 0x20) throw this.#mistake("a control character inside a string (write it escaped)", end);
      end += code === 0x5c ? 2 : 1;
    }
    this.#at = end + 1;
    try {
      return JSON.parse(text.slice(start, end + 1)) as string;
    } catch {
      throw this.#mistake("a string has an invalid escape sequence", start);
    }
  }

  #space(): void {
    const text = this.#text;
    for (;;) {
      const c = text[this.#at];
      if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") return;
      this.#at++;
    }
  }

  #found(): string {
    const c = this.#text.codePointAt(this.#at);
    return c === undefined ? "the end of the text" : `'${escapeInvisible(String.fromCodePoint(c))}'`;
  }

  #mistake(message: string, at = this.#at): Mistake {
    return new Mistake(message, at);
  }

  #locate({ message, at }: Mistake): JsonSyntaxProblem {
    const before = this.#text.lastIndexOf("\n", at - 1);
    let line = 1;
    for (let i = this.#text.indexOf("\n"); i !== -1 && i < at; i = this.#text.indexOf("\n", i + 1)) line++;
    return { message, line, column: at - before };
  }
}

/**
 * A syntax problem in words: "not valid JSON at line 4, column 1: …", or, for text that is one
 * line of a larger input (an NDJSON line, which has its own number), at its column only.
 */
export function describeJsonProblem({ message, line, column }: JsonSyntaxProblem, oneLine = false): string {
  return `not valid JSON at ${oneLine ? "" : `line ${line}, `}column ${column}: ${message}`;
}
