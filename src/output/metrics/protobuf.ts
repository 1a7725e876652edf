// The protobuf wire format, writing side: the few field kinds OTLP's metrics messages use. bpfql
// writes one message type, so a small writer of its own beats a code generator and a dependency.
// Wire types: 0 varint, 1 eight bytes little-endian, 2 length-delimited.

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/** Appends one message's fields, in the order called; `bytes()` is the encoded message. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  /** An unsigned integer as a varint (uint32, uint64, bool, enum). */
  uint(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.varint(BigInt(value));
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  /** fixed64: an unsigned 64-bit integer, eight bytes little-endian. */
  fixed64(field: number, value: bigint): this {
    this.tag(field, FIXED64);
    this.push(fixed64Bytes(value));
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, FIXED64);
    this.push(doubleBytes(value));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  /** An embedded message, written by `build` into a writer of its own. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.bytes());
  }

  /** A repeated fixed64 field, packed (proto3's default encoding of repeated scalars). */
  packedFixed64(field: number, values: readonly bigint[]): this {
    return this.bytesField(field, concat(values.map(fixed64Bytes)));
  }

  /** A repeated double field, packed. */
  packedDouble(field: number, values: readonly number[]): this {
    return this.bytesField(field, concat(values.map(doubleBytes)));
  }

  bytes(): Uint8Array {
    return concat(this.chunks, this.length);
  }

  private bytesField(field: number, data: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(BigInt(data.length));
    this.push(data);
    return this;
  }

  private tag(field: number, wireType: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`protobuf field number ${field} is out of range`);
    this.varint((BigInt(field) << 3n) | BigInt(wireType));
  }

  private varint(value: bigint): void {
    if (value < 0n || value >= 1n << 64n) throw new RangeError(`${value} does not fit an unsigned 64-bit varint`);
    const out: number[] = [];
    let v = value;
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      out.push(v === 0n ? low : low | 0x80);
    } while (v !== 0n);
    this.push(Uint8Array.from(out));
  }

  private push(data: Uint8Array): void {
    this.chunks.push(data);
    this.length += data.length;
  }
}

function fixed64Bytes(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`${value} does not fit fixed64`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

function doubleBytes(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value, true);
  return out;
}

function concat(parts: readonly Uint8Array[], length = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
