// A minimal protobuf reader for tests: a message's fields by number, so that what bpfql's own
// writer encoded can be read back independently of it (no shared code with src/).

export type Field =
  | { readonly wire: 0; readonly value: bigint }
  | { readonly wire: 1; readonly bytes: Uint8Array }
  | { readonly wire: 2; readonly bytes: Uint8Array }
  | { readonly wire: 5; readonly bytes: Uint8Array };

/** Every field of one message, by field number, in the order they came. */
export function readMessage(data: Uint8Array): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= data.length) throw new Error('truncated varint');
      const b = data[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
      if (shift > 63n) throw new Error('varint too long');
    }
  };
  const take = (n: number): Uint8Array => {
    if (at + n > data.length) throw new Error('truncated field');
    const out = data.subarray(at, at + n);
    at += n;
    return out;
  };
  while (at < data.length) {
    const tag = varint();
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let field: Field;
    if (wire === 0) field = { wire, value: varint() };
    else if (wire === 1) field = { wire, bytes: take(8) };
    else if (wire === 2) field = { wire, bytes: take(Number(varint())) };
    else if (wire === 5) field = { wire, bytes: take(4) };
    else throw new Error(`wire type ${wire} is not read here`);
    const list = fields.get(number) ?? [];
    list.push(field);
    fields.set(number, list);
  }
  return fields;
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Accessors over one decoded message, each checking the wire type the field must have. */
export class Msg {
  readonly fields: Map<number, Field[]>;

  constructor(data: Uint8Array) {
    this.fields = readMessage(data);
  }

  private all(n: number): Field[] {
    return this.fields.get(n) ?? [];
  }

  has(n: number): boolean {
    return this.fields.has(n);
  }

  messages(n: number): Msg[] {
    return this.all(n).map((f) => {
      if (f.wire !== 2) throw new Error(`field ${n} is not length-delimited`);
      return new Msg(f.bytes);
    });
  }

  message(n: number): Msg {
    const [m, ...rest] = this.messages(n);
    if (m === undefined || rest.length > 0) throw new Error(`field ${n}: expected one message`);
    return m;
  }

  string(n: number): string {
    const f = this.all(n).at(-1);
    if (f === undefined) return '';
    if (f.wire !== 2) throw new Error(`field ${n} is not a string`);
    return new TextDecoder('utf-8', { fatal: true }).decode(f.bytes);
  }

  uint(n: number): bigint {
    const f = this.all(n).at(-1);
    if (f === undefined) return 0n;
    if (f.wire !== 0) throw new Error(`field ${n} is not a varint`);
    return f.value;
  }

  fixed64(n: number): bigint {
    const f = this.all(n).at(-1);
    if (f === undefined) return 0n;
    if (f.wire !== 1) throw new Error(`field ${n} is not fixed64`);
    return view(f.bytes).getBigUint64(0, true);
  }

  double(n: number): number {
    const f = this.all(n).at(-1);
    if (f === undefined) return 0;
    if (f.wire !== 1) throw new Error(`field ${n} is not a double`);
    return view(f.bytes).getFloat64(0, true);
  }

  /** A repeated 8-byte field, packed or not. */
  repeated8(n: number): DataView[] {
    const out: DataView[] = [];
    for (const f of this.all(n)) {
      if (f.wire === 1) out.push(view(f.bytes));
      else if (f.wire === 2) {
        if (f.bytes.length % 8 !== 0) throw new Error(`packed field ${n} is not a multiple of 8 bytes`);
        for (let i = 0; i < f.bytes.length; i += 8) out.push(view(f.bytes.subarray(i, i + 8)));
      } else throw new Error(`field ${n} is not 8-byte`);
    }
    return out;
  }
}
