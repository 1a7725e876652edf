// What a reload does, decided from the rules running and the file as it now reads: a rule whose
// statement is unchanged keeps running (its program stays attached, no event is missed), a
// changed one restarts, a removed one stops, a new one starts. A rule that does not compile is
// reported and changes nothing: its old version, if any, keeps running.
import type { Rule } from './rules.js';
import { BadRule } from './rules.js';

export interface ReloadPlan {
  readonly keep: readonly string[];
  /** Rules whose statement changed: the running one stops, this one starts. */
  readonly restart: readonly Rule[];
  readonly start: readonly Rule[];
  readonly stop: readonly string[];
  readonly bad: readonly BadRule[];
}

/** `running` maps each running rule's name to its statement's text. */
export function planReload(running: ReadonlyMap<string, string>, next: readonly (Rule | BadRule)[]): ReloadPlan {
  const keep: string[] = [];
  const restart: Rule[] = [];
  const start: Rule[] = [];
  const bad: BadRule[] = [];
  const named = new Set<string>();
  for (const r of next) {
    named.add(r instanceof BadRule ? r.rule : r.name);
    if (r instanceof BadRule) bad.push(r);
    else if (!running.has(r.name)) start.push(r);
    else if (running.get(r.name) === r.text) keep.push(r.name);
    else restart.push(r);
  }
  const stop = [...running.keys()].filter((name) => !named.has(name));
  return { keep, restart, start, stop, bad };
}
