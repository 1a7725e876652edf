// A process that writes --store windows in a loop until it is killed (history-kill.test.ts):
// `node history-writer.js DIR RUN`; prints `w K` once window K is on disk.
import { HistorySink } from '../../src/store/history-sink.js';
import { Session } from '../../src/store/session.js';
import { historyWindow } from './history-windows.js';

const [dir, runText] = process.argv.slice(2);
if (dir === undefined || runText === undefined) throw new Error('usage: history-writer DIR RUN');
const run = Number(runText);
/** A window not written is the test's failure: exit 3 so that it is not taken for the kill. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(3);
}
const session = await Session.open();
const sink = new HistorySink(session, { dir, host: 'writer', maxFileRows: 150, report: fail });
for (let k = 0; ; k++) {
  sink.window(historyWindow(run, k));
  await sink.flushed();
  process.stdout.write(`w ${k}\n`);
}
