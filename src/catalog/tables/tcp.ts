// TCP tables over sock:inet_sock_set_state, which fires on every state change of a socket.
// `tcp_state` is every change of a TCP socket; `tcp_connect` is the changes into SYN_SENT, made
// by connect(2) in the connecting process (so pid and comm are the caller's, as in bcc's
// tcpconnect). The source port is not chosen yet at that point: tcp_state has it.
import type { Column } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { intColumn } from '../curated.js';
import { DECODERS } from '../decoders.js';
import type { TracepointFormat } from '../format.js';
import type { TableCondition } from '../table.js';
import { U64 } from '../types.js';
import { argColumn, argMemberColumn, argSocketAddressColumn, decodedColumn, INET_SPORT, sockCommon, SOCK_FAMILY, SOCK_PROTOCOL, socketAddressColumn } from './columns.js';

export const IPPROTO_TCP = 6n;

/** A TCP state's number, by the name the tcp-state decoder shows. */
export function tcpState(text: string): bigint {
  const v = DECODERS['tcp-state'].encode(text);
  if (v === undefined) throw new Error(`no TCP state ${text}`);
  return v;
}

function tcpOnly(format: TracepointFormat): TableCondition {
  return { column: intColumn(format, 'protocol', 'protocol', 'IP protocol'), oneOf: [IPPROTO_TCP] };
}

/** The socket's kernel address, family and both addresses, from the fields TCP tracepoints share. */
export function socketColumns(format: TracepointFormat): Column[] {
  return [
    intColumn(format, 'skaddr', 'skaddr', 'kernel address of the socket: the same for every change of one connection', U64),
    decodedColumn(format, 'family', 'family', 'address-family', 'AF_INET or AF_INET6'),
    socketAddressColumn(format, 'saddr_v6', 'family', 'saddr', 'local address: dotted IPv4 for AF_INET, IPv6 text for AF_INET6'),
    socketAddressColumn(format, 'daddr_v6', 'family', 'daddr', 'remote address: dotted IPv4 for AF_INET, IPv6 text for AF_INET6'),
  ];
}

/**
 * socketColumns on a raw tracepoint whose first argument is the struct sock: the record's fields
 * are the socket's members (TP_STORE_ADDRS: the IPv4 source is inet_saddr, the IPv6 ends
 * sk_v6_rcv_saddr and sk_v6_daddr; the ports ntohs'd from inet_sport and inet_dport).
 */
export function rawSocketColumns(format: TracepointFormat): Column[] {
  const [skaddr, family, saddr, daddr] = socketColumns(format);
  return [
    argColumn(skaddr!, 0),
    argMemberColumn(family!, 0, SOCK_FAMILY),
    argSocketAddressColumn(saddr!, 0, { v4: [['inet_sock', 'inet_saddr']], v6: sockCommon('skc_v6_rcv_saddr') }),
    argSocketAddressColumn(daddr!, 0, { v4: sockCommon('skc_daddr'), v6: sockCommon('skc_v6_daddr') }),
  ];
}

/** The record's ports (host order) from the socket (network order). */
export function rawPortColumns(format: TracepointFormat): Column[] {
  return [
    argMemberColumn(intColumn(format, 'sport', 'sport', 'local port (0 until connect(2) has chosen one)'), 0, INET_SPORT, { bigEndian: true }),
    argMemberColumn(intColumn(format, 'dport', 'dport', 'remote port'), 0, sockCommon('skc_dport'), { bigEndian: true }),
  ];
}

function rawTcpOnly(format: TracepointFormat): TableCondition {
  const protocol = tcpOnly(format);
  return { ...protocol, column: argMemberColumn(protocol.column, 0, SOCK_PROTOCOL) };
}

// TP_PROTO(const struct sock *sk, const int oldstate, const int newstate).
const OLDSTATE_ARG = 1;
const NEWSTATE_ARG = 2;
const OLDSTATE_TEXT = 'state before the change (ESTABLISHED, SYN_SENT, …)';
const NEWSTATE_TEXT = 'state after the change';

export const tcpStateTable: CuratedTable = {
  name: 'tcp_state',
  description: 'TCP socket state changes, with addresses and ports (sock:inet_sock_set_state)',
  event: { category: 'sock', event: 'inet_sock_set_state' },
  build(format) {
    return {
      columns: [
        ...socketColumns(format),
        intColumn(format, 'sport', 'sport', 'local port (0 until connect(2) has chosen one)'),
        intColumn(format, 'dport', 'dport', 'remote port'),
        decodedColumn(format, 'oldstate', 'oldstate', 'tcp-state', OLDSTATE_TEXT),
        decodedColumn(format, 'newstate', 'newstate', 'tcp-state', NEWSTATE_TEXT),
      ],
      where: [tcpOnly(format)],
    };
  },
  raw(format) {
    return {
      columns: [
        ...rawSocketColumns(format),
        ...rawPortColumns(format),
        argColumn(decodedColumn(format, 'oldstate', 'oldstate', 'tcp-state', OLDSTATE_TEXT), OLDSTATE_ARG),
        argColumn(decodedColumn(format, 'newstate', 'newstate', 'tcp-state', NEWSTATE_TEXT), NEWSTATE_ARG),
      ],
      where: [rawTcpOnly(format)],
    };
  },
};

export const tcpConnectTable: CuratedTable = {
  name: 'tcp_connect',
  description: 'active TCP connection attempts, in the connecting process (inet_sock_set_state into SYN_SENT)',
  event: { category: 'sock', event: 'inet_sock_set_state' },
  build(format) {
    return {
      columns: [...socketColumns(format), intColumn(format, 'dport', 'dport', 'remote port')],
      where: [tcpOnly(format), { column: intColumn(format, 'newstate', 'newstate', 'state after the change'), oneOf: [tcpState('SYN_SENT')] }],
    };
  },
  raw(format) {
    const newstate = argColumn(intColumn(format, 'newstate', 'newstate', 'state after the change'), NEWSTATE_ARG);
    return {
      columns: [...rawSocketColumns(format), rawPortColumns(format)[1]!],
      where: [rawTcpOnly(format), { column: newstate, oneOf: [tcpState('SYN_SENT')] }],
    };
  },
};
