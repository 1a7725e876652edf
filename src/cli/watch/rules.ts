// The rules of a rules file, each parsed and planned before anything is attached: a rule that
// would not run, or whose rows need later rows, fails the whole file, pointed at in the file.
import { diagnostic, QueryError } from '../../diag/diagnostic.js';
import type { Engine } from '../../engine/engine.js';
import type { RuleDefinition } from '../../query/ast.js';
import { parseRule } from '../../query/parse.js';
import { splitStatements } from '../../query/split.js';
import { isStreamable } from '../../planner/streamable.js';

export interface Rule {
  readonly name: string;
  /** The rule's query as written, which the engine runs. */
  readonly query: string;
}

/** A rule that cannot run: `rule` names it (its name, or its place in the file when it has none yet). */
export class BadRule extends Error {
  constructor(readonly rule: string, readonly error: unknown) {
    super(`rule ${rule} cannot run`);
    this.name = 'BadRule';
  }
}

function shifted(e: unknown, by: number): unknown {
  if (!(e instanceof QueryError)) return e;
  return new QueryError(e.diagnostics.map((d) => ({ ...d, span: { start: d.span.start + by, end: d.span.end + by } })));
}

/** Checks one rule; `text` is its statement, the diagnostics' positions are in it. */
async function checkRule(engine: Engine, text: string, seen: ReadonlySet<string>): Promise<{ def: RuleDefinition; query: string }> {
  const def = parseRule(text);
  if (seen.has(def.name.toLowerCase())) throw new QueryError([diagnostic('unsupported', { feature: `a second rule named ${def.name}` }, def.nameSpan)]);
  const query = text.slice(def.query.span.start, def.query.span.end);
  // The query was parsed in the rule's text: the engine's diagnostics point into that text.
  const plan = await engine.check(def.query, text);
  if (!isStreamable(def.query, plan)) {
    throw new QueryError([diagnostic('unsupported', {
      feature: 'a rule whose rows need later rows (ORDER BY, GROUP BY, aggregates, EVERY)',
    }, def.query.span)]);
  }
  return { def, query };
}

/** The rules of `script`, in order; throws a BadRule (its error positioned in the script), or a QueryError for a file without rules. */
export async function readRules(engine: Engine, script: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  const seen = new Set<string>();
  for (const [i, piece] of splitStatements(script).entries()) {
    try {
      const { def, query } = await checkRule(engine, piece.text, seen);
      seen.add(def.name.toLowerCase());
      rules.push({ name: def.name, query });
    } catch (e) {
      const name = /^\s*CREATE\s+RULE\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(piece.text)?.[1] ?? `#${i + 1}`;
      throw new BadRule(name, shifted(e, piece.start));
    }
  }
  if (rules.length === 0) throw new QueryError([diagnostic('unsupported', { feature: 'a rules file without a rule' }, { start: 0, end: script.length })]);
  return rules;
}
