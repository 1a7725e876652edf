// TCP trouble: segments sent again (tcp:tcp_retransmit_skb, as bcc's tcpretrans) and resets, sent
// (tcp:tcp_send_reset) and received (tcp:tcp_receive_reset), one table with a `direction`.
import type { Column } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { intColumn } from '../curated.js';
import { DIRECTION } from '../decoders.js';
import type { TracepointFormat } from '../format.js';
import { U64 } from '../types.js';
import { argMemberColumn, constantColumn, decodedColumn, sockaddrAddressColumn, sockaddrFamilyColumn, sockaddrPortColumn, sockCommon } from './columns.js';
import { rawPortColumns, rawSocketColumns, socketColumns } from './tcp.js';

export const tcpRetransmitTable: CuratedTable = {
  name: 'tcp_retransmit',
  description: 'TCP segments sent again, with the connection and its state (tcp:tcp_retransmit_skb)',
  event: { category: 'tcp', event: 'tcp_retransmit_skb' },
  build(format) {
    return {
      columns: [
        ...socketColumns(format),
        intColumn(format, 'sport', 'sport', 'local port'),
        intColumn(format, 'dport', 'dport', 'remote port'),
        decodedColumn(format, 'state', 'state', 'tcp-state', 'state of the connection (ESTABLISHED, …)'),
      ],
    };
  },
  // TP_PROTO(const struct sock *sk, const struct sk_buff *skb, int err): the record's state is
  // sk->sk_state, an unsigned char it widens to an int.
  raw(format) {
    const state = decodedColumn(format, 'state', 'state', 'tcp-state', 'state of the connection (ESTABLISHED, …)');
    const [sport, dport] = rawPortColumns(format);
    return {
      columns: [
        ...rawSocketColumns(format),
        { ...sport!, description: 'local port' },
        dport!,
        argMemberColumn(state, 0, sockCommon('skc_state'), { size: 1, signed: false }),
      ],
    };
  },
};

const DIRECTION_TEXT = "'send' for resets this host sent, 'receive' for resets it got";
const SKADDR_TEXT = 'kernel address of the socket (0 for a reset sent where no socket is, as to a closed port)';

/** tcp_receive_reset: the socket that got the reset, addresses as every socket tracepoint has them. */
function receivedColumns(format: TracepointFormat): Column[] {
  const [skaddr, ...rest] = socketColumns(format);
  return [
    constantColumn('direction', DIRECTION.receive, 'direction', DIRECTION_TEXT),
    { ...skaddr!, description: SKADDR_TEXT },
    ...rest,
    intColumn(format, 'sport', 'sport', 'local port'),
    intColumn(format, 'dport', 'dport', 'remote port'),
  ];
}

/**
 * tcp_send_reset: the ends as two sockaddrs, local first, taken from the socket or, where there is
 * none, from the segment answered (the kernel turns its addresses round).
 */
function sentColumns(format: TracepointFormat): Column[] {
  return [
    constantColumn('direction', DIRECTION.send, 'direction', DIRECTION_TEXT),
    intColumn(format, 'skaddr', 'skaddr', SKADDR_TEXT, U64),
    sockaddrFamilyColumn(format, 'saddr', 'family', 'AF_INET or AF_INET6'),
    sockaddrAddressColumn(format, 'saddr', 'saddr', 'local address: dotted IPv4 for AF_INET, IPv6 text for AF_INET6'),
    sockaddrAddressColumn(format, 'daddr', 'daddr', 'remote address: dotted IPv4 for AF_INET, IPv6 text for AF_INET6'),
    sockaddrPortColumn(format, 'saddr', 'sport', 'local port'),
    sockaddrPortColumn(format, 'daddr', 'dport', 'remote port'),
  ];
}

export const tcpResetTable: CuratedTable = {
  name: 'tcp_reset',
  description: 'TCP resets sent (tcp:tcp_send_reset) and received (tcp:tcp_receive_reset), with the connection\'s ends',
  event: { category: 'tcp', event: 'tcp_send_reset' },
  build(format) {
    return { columns: sentColumns(format) };
  },
  also: [{ event: { category: 'tcp', event: 'tcp_receive_reset' }, columns: receivedColumns }],
};
