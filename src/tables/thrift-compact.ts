/**
 * Thrift's compact protocol, the few types Parquet's page headers and footer need: a value is
 * built as a tree (`struct`, `list`, `i32`, …) and `thriftBytes` encodes it.
 */
export interface ThriftValue {
  /** The compact protocol's type code, as a field header or a list header names it. */
  readonly type: number;
  put(out: number[]): void;
}

/** A field id and its value; undefined leaves an optional field out. */
export type ThriftField = readonly [id: number, value: ThriftValue] | undefined;

/** The compact protocol's type codes a list names its elements by. */
export const I32 = 5;
export const I64 = 6;
export const BINARY = 8;
export const LIST = 9;
export const STRUCT = 12;

const encoder = new TextEncoder();

/** An unsigned varint of a non-negative integer below 2^53 (division, not bit operators, past 2^31). */
function varint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

/** Zigzag: 0, -1, 1, -2 … as 0, 1, 2, 3 …, so small negatives stay short. */
function zigzagVarint(out: number[], n: number): void {
  varint(out, n >= 0 ? n * 2 : -n * 2 - 1);
}

const I16 = 4;
export const i16 = (n: number): ThriftValue => ({ type: I16, put: (out) => zigzagVarint(out, n) });
export const i32 = (n: number): ThriftValue => ({ type: I32, put: (out) => zigzagVarint(out, n) });
export const i64 = (n: number): ThriftValue => ({ type: I64, put: (out) => zigzagVarint(out, n) });

export function binary(value: string | Uint8Array): ThriftValue {
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  return {
    type: BINARY,
    put(out) {
      varint(out, bytes.length);
      for (const b of bytes) out.push(b);
    },
  };
}

/** A list of values of one type, `elementType` (given, so an empty list still says it). */
export function list(elementType: number, items: readonly ThriftValue[]): ThriftValue {
  return {
    type: LIST,
    put(out) {
      if (items.length < 15) out.push((items.length << 4) | elementType);
      else {
        out.push(0xf0 | elementType);
        varint(out, items.length);
      }
      for (const item of items) item.put(out);
    },
  };
}

/** A struct of fields in increasing id order. */
export function struct(fields: readonly ThriftField[]): ThriftValue {
  return {
    type: STRUCT,
    put(out) {
      let last = 0;
      for (const field of fields) {
        if (field === undefined) continue;
        const [id, value] = field;
        if (id > last && id - last <= 15) out.push(((id - last) << 4) | value.type);
        else {
          out.push(value.type);
          zigzagVarint(out, id);
        }
        value.put(out);
        last = id;
      }
      out.push(0);
    },
  };
}


export function thriftBytes(value: ThriftValue): Uint8Array {
  const out: number[] = [];
  value.put(out);
  return Uint8Array.from(out);
}
