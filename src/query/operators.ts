// The dialect's binary operators, each once: the parser builds them, the printer writes them the
// way DuckDB reads them, the planner types them, and the kernel computes those that keep integers
// integers (planner/kexpr.ts). Their meanings are DuckDB's.

interface ArithmeticOperator {
  /** How DuckDB ranks it: with + -, with * /, or below both (PostgreSQL's "other" operators). */
  readonly duckdbRank: 'additive' | 'multiplicative' | 'other';
  /** The function DuckDB spells it as, when it has no such operator (`xor(a, b)` for `a ^ b`). */
  readonly duckdbFunction?: string;
  /** Whether integers give an integer: `/` divides as a floating-point number, `//` truncates toward zero. */
  readonly integer: boolean;
}

export const ARITHMETIC_OPERATORS = {
  '+': { duckdbRank: 'additive', integer: true },
  '-': { duckdbRank: 'additive', integer: true },
  '*': { duckdbRank: 'multiplicative', integer: true },
  '/': { duckdbRank: 'multiplicative', integer: false },
  '//': { duckdbRank: 'multiplicative', integer: true },
  '%': { duckdbRank: 'multiplicative', integer: true },
  '&': { duckdbRank: 'other', integer: true },
  '|': { duckdbRank: 'other', integer: true },
  '^': { duckdbRank: 'other', duckdbFunction: 'xor', integer: true },
  '<<': { duckdbRank: 'other', integer: true },
  '>>': { duckdbRank: 'other', integer: true },
} as const satisfies Readonly<Record<string, ArithmeticOperator>>;

export type ArithmeticOp = keyof typeof ARITHMETIC_OPERATORS;

/** The arithmetic operators that give integers of integers: all but `/`. */
export type IntegerArithmeticOp = { [O in ArithmeticOp]: (typeof ARITHMETIC_OPERATORS)[O]['integer'] extends true ? O : never }[ArithmeticOp];

export const COMPARISON_OPERATORS = ['=', '!=', '<', '<=', '>', '>='] as const;

export type ComparisonOp = (typeof COMPARISON_OPERATORS)[number];

/** `||` concatenates text. */
export type BinaryOp = ArithmeticOp | ComparisonOp | 'AND' | 'OR' | '||';

export function isArithmetic(op: string): op is ArithmeticOp {
  return Object.hasOwn(ARITHMETIC_OPERATORS, op);
}

export function isIntegerArithmetic(op: string): op is IntegerArithmeticOp {
  return isArithmetic(op) && ARITHMETIC_OPERATORS[op].integer;
}

export function isComparison(op: string): op is ComparisonOp {
  return (COMPARISON_OPERATORS as readonly string[]).includes(op);
}

/** The function DuckDB spells the operator as, if it spells it as one. */
export function duckdbFunction(op: BinaryOp): string | undefined {
  if (!isArithmetic(op)) return undefined;
  const spec: ArithmeticOperator = ARITHMETIC_OPERATORS[op];
  return spec.duckdbFunction;
}

/** The operator DuckDB spells as a call of `name` with two arguments (`xor`), if any. */
export function operatorCalled(name: string): ArithmeticOp | undefined {
  return (Object.keys(ARITHMETIC_OPERATORS) as ArithmeticOp[]).find((op) => duckdbFunction(op) === name);
}
