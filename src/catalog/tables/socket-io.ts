// `socket_io`, as bcc's tcptop: the bytes each send and receive on a socket moved
// (sock:sock_send_length, sock:sock_recv_length), with the connection's ends read from the
// socket the record points to (struct sock, member offsets from BTF).
import type { Column, MemberPath } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { intColumn, MissingFieldError, requireField } from '../curated.js';
import { DIRECTION } from '../decoders.js';
import { AF_INET, AF_INET6 } from '../addresses.js';
import type { TracepointFormat } from '../format.js';
import { STRING, U16, U64 } from '../types.js';
import { constantColumn, decodedColumn } from './columns.js';

/** A member of the socket's struct sock_common (the first member of every struct sock). */
function common(member: string): MemberPath {
  return [['sock', '__sk_common'], ['sock_common', member]];
}

function socketAddress(format: TracepointFormat, name: string, v4: string, v6: string, description: string): Column {
  const sk = requireField(format, 'sk');
  const family = requireField(format, 'family');
  if (family.layout.kind !== 'int' || family.layout.size !== 2) throw new MissingFieldError('family (as a u16)', format.name);
  return { name, type: STRING, source: { kind: 'address', offset: sk.offset, family: family.offset, socket: { v4: common(v4), v6: common(v6) } }, description };
}

/** A port in network byte order at `path` of the socket. */
function socketPort(format: TracepointFormat, name: string, path: MemberPath, description: string): Column {
  const sk = requireField(format, 'sk');
  return { name, type: U16, source: { kind: 'pointee', pointer: sk.offset, path, size: 2, signed: false, bigEndian: true }, description };
}

function ioColumns(format: TracepointFormat, direction: bigint): Column[] {
  return [
    constantColumn('direction', direction, 'direction', "'send' or 'receive'"),
    intColumn(format, 'ret', 'bytes', 'bytes the call moved (rows are calls that moved some)'),
    decodedColumn(format, 'family', 'family', 'address-family', 'AF_INET or AF_INET6'),
    intColumn(format, 'protocol', 'protocol', 'IP protocol: 6 TCP, 17 UDP, 132 SCTP, 262 MPTCP'),
    socketAddress(format, 'saddr', 'skc_rcv_saddr', 'skc_v6_rcv_saddr', 'local address: dotted IPv4 for AF_INET, IPv6 text for AF_INET6'),
    // inet_sport, not skc_num: closing a socket zeroes skc_num, and the last reads come after that.
    socketPort(format, 'sport', [['inet_sock', 'inet_sport']], 'local port'),
    socketAddress(format, 'daddr', 'skc_daddr', 'skc_v6_daddr', 'remote address: dotted IPv4 for AF_INET, IPv6 text for AF_INET6'),
    socketPort(format, 'dport', common('skc_dport'), 'remote port'),
    intColumn(format, 'sk', 'skaddr', 'kernel address of the socket: the same for every call on one connection', U64),
  ];
}

export const socketIoTable: CuratedTable = {
  name: 'socket_io',
  description: 'bytes sent and received on IPv4 and IPv6 sockets, per call, with both ends (sock:sock_send_length, sock:sock_recv_length)',
  event: { category: 'sock', event: 'sock_send_length' },
  build(format) {
    const columns = ioColumns(format, DIRECTION.send);
    // Failed calls (-EAGAIN on a non-blocking socket, …) and reads at end of stream move nothing;
    // other families' sockets (AF_UNIX, AF_NETLINK) have no such ends.
    return { columns, where: [{ column: columns[1]!, above: 0n }, { column: columns[2]!, oneOf: [BigInt(AF_INET), BigInt(AF_INET6)] }] };
  },
  also: [{ event: { category: 'sock', event: 'sock_recv_length' }, columns: (format) => ioColumns(format, DIRECTION.receive) }],
};
