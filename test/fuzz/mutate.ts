// Mutations of a valid statement: tokens deleted, inserted, swapped, duplicated or replaced;
// truncation; clauses repeated; literals replaced by edge values; expressions nested very deep,
// chained very long, or lists made very wide. Each mutant is one or a few such steps.
import type { Rng } from './rng.js';
import type { TableShape } from './tables.js';
import { intLiteral, stringLiteral } from './literals.js';
import { randomChar, randomToken } from './soup.js';

/** A rough split into tokens, good enough to mutate on token boundaries. */
const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\d+[A-Za-z_]\w*|\w+|<<|>>|<=|>=|<>|!=|==|\|\||::|\S/gu;

function roughTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const CLAUSE = /\b(WHERE|GROUP BY|HAVING|ORDER BY|LIMIT|EVERY|FOR)\b/g;

/** An expression that stresses depth, length or width, for insertion into a query. */
function extreme(rng: Rng, column: string): string {
  const n = rng.pick([10, 50, 100, 300, 1000, 3000]);
  switch (rng.int(9)) {
    case 0: return `${'('.repeat(n)}${column}${')'.repeat(n)}`;
    case 1: return `${'- '.repeat(n)}${column}`;
    case 2: return `${'NOT '.repeat(n)}${column} = 1`;
    case 3: return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? column : String(i))).join(rng.pick([' + ', ' * ', ' | ', ' AND ', ' OR ', ' - ', ' << ']));
    case 4: {
      // Right-nested: a + (b + (c + ...)) needs a register per level.
      let e = column;
      for (let i = 0; i < n; i++) e = `${column} ${rng.pick(['+', '-', '&', '*'])} (${e})`;
      return e;
    }
    case 5: return `${column} IN (${Array.from({ length: n }, (_, i) => String(i)).join(', ')})`;
    case 6: return `${column} = ${'~'.repeat(n)}1`;
    case 7: {
      let e = column;
      for (let i = 0; i < Math.min(n, 200); i++) e = `CASE WHEN ${column} > ${i} THEN ${e} ELSE ${i} END`;
      return e;
    }
    default: {
      let e = `${column} = 1`;
      for (let i = 0; i < n; i++) e = `(${e} ${rng.pick(['AND', 'OR'])} ${column} ${rng.pick(['<', '!=', '>='])} ${i})`;
      return e;
    }
  }
}

function mutateOnce(rng: Rng, text: string, tables: readonly TableShape[]): string {
  const tokens = roughTokens(text);
  const at = (): number => rng.int(Math.max(1, tokens.length));
  const column = rng.pick(rng.pick(tables).columns).name;
  switch (rng.int(12)) {
    case 0: tokens.splice(at(), 1); break;
    case 1: tokens.splice(at(), 0, randomToken(rng, tables)); break;
    case 2: {
      const i = at();
      const j = at();
      const t = tokens[i]!;
      tokens[i] = tokens[j]!;
      tokens[j] = t;
      break;
    }
    case 3: {
      const i = at();
      tokens.splice(i, 0, ...tokens.slice(i, i + rng.range(1, 6)));
      break;
    }
    case 4: tokens[at()] = randomToken(rng, tables); break;
    case 5: return text.slice(0, rng.int(text.length + 1));
    case 6: {
      // Repeat one clause, keyword and all.
      const starts = [...text.matchAll(CLAUSE)].map((m) => m.index);
      if (starts.length === 0) return `${text} ${text}`;
      const k = rng.int(starts.length);
      const clause = text.slice(starts[k], starts[k + 1] ?? text.length);
      return `${text.slice(0, starts[k + 1] ?? text.length)} ${clause} ${text.slice(starts[k + 1] ?? text.length)}`;
    }
    case 7: {
      // Replace a literal by an edge value.
      const literals = tokens.flatMap((t, i) => (/^(\d|')/.test(t) ? [i] : []));
      if (literals.length === 0) return text;
      tokens[rng.pick(literals)] = rng.chance(0.5) ? intLiteral(rng) : stringLiteral(rng);
      break;
    }
    case 8: {
      // Put an extreme expression where a column was, or in WHERE.
      const names = tokens.flatMap((t, i) => (t === column ? [i] : []));
      if (names.length > 0) tokens[rng.pick(names)] = `(${extreme(rng, column)})`;
      else return text.replace(/\bWHERE\b/, `WHERE (${extreme(rng, column)}) AND`);
      break;
    }
    case 9: {
      // Many select items or group keys.
      const many = Array.from({ length: rng.pick([20, 100, 1000]) }, () => column).join(', ');
      return rng.chance(0.5) ? text.replace(/^(\s*\w+\s+)?SELECT /i, (m) => `${m}${many}, `) : text.replace(/GROUP BY /, `GROUP BY ${many}, `);
    }
    case 10: {
      const i = rng.int(text.length + 1);
      return text.slice(0, i) + randomChar(rng) + text.slice(i);
    }
    default: tokens.splice(at(), rng.range(1, 4)); break;
  }
  return tokens.join(rng.chance(0.9) ? ' ' : '');
}

export function mutate(rng: Rng, text: string, tables: readonly TableShape[]): string {
  let out = text;
  const steps = rng.pick([1, 1, 1, 2, 3]);
  for (let i = 0; i < steps; i++) out = mutateOnce(rng, out, tables);
  return out;
}
