// The default of every switch over a kind-tagged union calls this with the switch's subject. The
// subject is `never` only while every kind has a case, so a kind added later and not handled is a
// compile error at each switch that misses it; reaching it at run time means a value the types deny.

/** Marks the end of an exhaustive switch: `default: return assertNever(x)`. */
export function assertNever(value: never): never {
  const v: unknown = value;
  const kind = typeof v === 'object' && v !== null && 'kind' in v ? v.kind : v;
  throw new Error(`unhandled case: ${String(kind)}`);
}
