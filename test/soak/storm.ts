// One process of a syscall storm: names itself (comm) so a query can pick out its events, calls
// getppid(2) as fast as it can for a given time, and prints exactly how many calls it made.
// process.ppid makes one getppid syscall per read (checked with strace), and Node makes no other
// getppid call, so the printed count is the number of sys_enter_getppid events of this process.
//
//   node dist/test/soak/storm.js COMM MILLISECONDS   → {"pid":123,"calls":4567890}
const [comm, msText] = process.argv.slice(2);
const ms = Number(msText);
if (comm === undefined || !Number.isFinite(ms) || ms <= 0) {
  process.stderr.write('usage: storm.js COMM MILLISECONDS\n');
  process.exit(2);
}
// Sets the main thread's comm (prctl PR_SET_NAME) before the first call.
process.title = comm;
const end = Date.now() + ms;
let calls = 0;
while (Date.now() < end) {
  // Reading the getter is the getppid(2) call the storm is made of.
  // eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator
  for (let i = 0; i < 1000; i++) void process.ppid;
  calls += 1000;
}
process.stdout.write(`${JSON.stringify({ pid: process.pid, calls })}\n`);
