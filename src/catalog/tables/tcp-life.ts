// `tcp_life`, as bcc's tcplife: one row per TCP connection that ended, paired in the kernel by
// socket address. A pair opens at the socket's change into SYN_SENT (connect(2)) or SYN_RECV (a
// connection a listener accepts), seen by sock:inet_sock_set_state, and the row is emitted when
// the socket is destroyed (tcp:tcp_destroy_sock), which deletes the pair: a socket address used
// again starts a new connection. Not at the change into CLOSE, as bcc does: a socket whose peer
// closed first reaches CLOSE (through TIME_WAIT) while the application still has data to read
// from it, and those reads are the connection's bytes too.
//
// Bytes: what the applications moved, summed from sock:sock_send_length and sock_recv_length for
// the pair's socket while it is open. tcp_sock's bytes_acked and bytes_received (what bcc reads)
// also count the SYN and FIN sequence numbers (bytes_acked of a connect(2)ed socket that closed
// cleanly is 2 more than it sent), and which of those a connection had cannot be told at the end.
//
// Owner: the process that closed the connection (its change into FIN_WAIT1 or LAST_ACK runs in
// close(2) or shutdown(2) of the process holding the socket), else the one that opened it. The
// change into SYN_RECV runs in softirq, in whatever task the CPU was running (on loopback the
// client), and so do the end of a socket its process closed first and the change into CLOSE;
// bcc reports the task current at SYN_SENT or LAST_ACK for the same reason.
import type { Column } from '../column.js';
import type { CuratedTable, FieldValues } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { U64 } from '../types.js';
import { entryTaskColumns, latencyColumn } from './columns.js';
import { IPPROTO_TCP, socketColumns, tcpState } from './tcp.js';

const SET_STATE = { category: 'sock', event: 'inet_sock_set_state' } as const;
const DESTROY = { category: 'tcp', event: 'tcp_destroy_sock' } as const;
const TCP: FieldValues = { field: 'protocol', values: [IPPROTO_TCP] };
const TX = 0;
const RX = 1;

function counter(index: number, name: string, description: string): Column {
  return { name, type: U64, source: { kind: 'entry-field', index, signed: false }, description };
}

export const tcpLifeTable: CuratedTable = {
  name: 'tcp_life',
  description: 'TCP connections that ended: both ends, the owning process, lifetime, bytes sent and received (sock:inet_sock_set_state, sock_send_length, sock_recv_length, tcp:tcp_destroy_sock)',
  event: DESTROY,
  entries: [
    { ...SET_STATE, when: [TCP, { field: 'newstate', values: [tcpState('SYN_SENT'), tcpState('SYN_RECV')] }] },
    { ...SET_STATE, when: [TCP, { field: 'newstate', values: [tcpState('FIN_WAIT1'), tcpState('LAST_ACK')] }], update: { key: ['skaddr'], task: true } },
    { category: 'sock', event: 'sock_send_length', when: [TCP], update: { key: ['sk'], add: { field: 'ret', counter: TX } } },
    { category: 'sock', event: 'sock_recv_length', when: [TCP], update: { key: ['sk'], add: { field: 'ret', counter: RX } } },
  ],
  build(destroy, setStateFormat) {
    const setState = requireEntry(setStateFormat, 'tcp_life');
    return {
      columns: [
        ...socketColumns(destroy),
        intColumn(destroy, 'sport', 'sport', 'local port'),
        intColumn(destroy, 'dport', 'dport', 'remote port'),
        { ...latencyColumn('nanoseconds from the change into SYN_SENT (connect(2) called) or SYN_RECV (the handshake\'s last segment arrived) to the socket\'s end (closed by its process and by TCP both)'), name: 'duration_ns' },
        counter(TX, 'tx_bytes', 'bytes the applications sent on the socket (sock_send_length)'),
        counter(RX, 'rx_bytes', 'bytes they received from it (sock_recv_length)'),
      ],
      common: entryTaskColumns('the process that owned the connection: the one that closed it (close(2), shutdown(2)), else the one that opened it'),
      pairing: {
        key: { kind: 'fields', entry: [fieldRef(setState, 'skaddr')], exit: [fieldRef(destroy, 'skaddr')] },
        saved: [],
        counters: 2,
      },
    };
  },
};
