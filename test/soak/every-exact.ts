// By hand (root; a few minutes): EVERY windows in the kernel under a getppid storm must add up
// exactly to the calls made. For each period, RUNS times: a storm of CALLS calls from two
// processes, the query ending when the storm has exited; prints each run's sum of windows.
//
//   node dist/test/soak/every-exact.js [CALLS=3000000] [RUNS=10] [PERIODS=10ms,100ms,1s]
//
// Exits 1 when any sum differs from CALLS or any run is not complete.
import { Engine } from '../../src/engine/engine.js';
import { describeCompleteness, isComplete } from '../../src/runtime/completeness.js';
import { GetppidStorm } from '../helpers/getppid-storm.js';
import { uniqueComm } from '../helpers/workload.js';

const [callsText = '3000000', runsText = '10', periodsText = '10ms,100ms,1s'] = process.argv.slice(2);
const calls = Number(callsText);
const runs = Number(runsText);
if (process.getuid?.() !== 0) {
  process.stderr.write('every-exact loads BPF programs and needs root\n');
  process.exit(1);
}
const storm = new GetppidStorm(uniqueComm('evx'));
let failed = false;
try {
  for (const period of periodsText.split(',')) {
    const sums: number[] = [];
    let windows = 0;
    for (let i = 0; i < runs; i++) {
      const engine = await Engine.open();
      try {
        let attached!: () => void;
        const ready = new Promise<void>((r) => (attached = r));
        const ran = ready.then(() => storm.run(calls));
        const o = await engine.execute(`SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${storm.comm}' EVERY ${period}`, {
          onAttached: attached,
          until: ran,
        });
        if (o.kind !== 'rows' || o.kernel === undefined) throw new Error('no kernel result');
        const sum = o.result.rows.reduce((n, r) => n + Number(r[2]), 0);
        sums.push(sum);
        windows += o.result.rows.length;
        if (sum !== calls || !isComplete(o.kernel.completeness)) {
          failed = true;
          process.stdout.write(`  run ${i + 1}: ${sum} of ${calls}, ${describeCompleteness(o.kernel.completeness)}\n`);
        }
      } finally {
        await engine.close();
      }
    }
    const exact = sums.filter((s) => s === calls).length;
    process.stdout.write(`EVERY ${period}: ${exact} of ${runs} runs exact; sums ${sums.join(' ')}; ${Math.round(windows / runs)} windows a run\n`);
  }
} finally {
  storm.remove();
}
process.exit(failed ? 1 : 0);
