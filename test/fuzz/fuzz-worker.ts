// Runs a range of fuzz cases off the main thread, so a case that hangs can be stopped. Before
// each case it publishes the case's index in shared memory; after it, a message with the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { CaseRunner } from './run-cases.js';
import type { CaseMessage, WorkerInput } from './fuzz-protocol.js';
import { outcomeOf } from './fuzz-protocol.js';

const input = workerData as WorkerInput;
const progress = new Int32Array(input.progress);
const runner = new CaseRunner();
for (let index = input.from; index < input.to; index++) {
  Atomics.store(progress, 0, index);
  const report = runner.runIndex(input.seed, index);
  const message: CaseMessage = {
    index,
    caseSeed: report.fuzz.seed,
    source: report.fuzz.source,
    outcome: outcomeOf(report.verdict),
    ...(report.verdict.kind === 'failure' ? { failure: { text: report.fuzz.text, reason: report.verdict.reason } } : {}),
  };
  parentPort?.postMessage(message);
}
