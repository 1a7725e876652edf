// `socket_io`, as bcc's tcptop: the bytes each send and receive on a socket moved
// (sock:sock_send_length, sock:sock_recv_length), with the connection's ends read from the
// socket the record points to (struct sock, member offsets from BTF).
import type { Column, MemberPath } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { intColumn, MissingFieldError, requireField } from '../curated.js';
import { DIRECTION } from '../decoders.js';
import { AF_INET, AF_INET6 } from '../addresses.js';
import type { TracepointFormat } from '../format.js';
import type { TableCondition } from '../table.js';
import { STRING, U16, U64 } from '../types.js';
import { constantColumn, decodedColumn, INET_SPORT, sockCommon } from './columns.js';

function socketAddress(format: TracepointFormat, name: string, v4: string, v6: string, description: string): Column {
  const sk = requireField(format, 'sk');
  const family = requireField(format, 'family');
  if (family.layout.kind !== 'int' || family.layout.size !== 2) throw new MissingFieldError('family (as a u16)', format.name);
  return { name, type: STRING, source: { kind: 'address', offset: sk.offset, family: family.offset, socket: { v4: sockCommon(v4), v6: sockCommon(v6) } }, description };
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
    socketPort(format, 'sport', INET_SPORT, 'local port'),
    socketAddress(format, 'daddr', 'skc_daddr', 'skc_v6_daddr', 'remote address: dotted IPv4 for AF_INET, IPv6 text for AF_INET6'),
    socketPort(format, 'dport', sockCommon('skc_dport'), 'remote port'),
    intColumn(format, 'sk', 'skaddr', 'kernel address of the socket: the same for every call on one connection', U64),
  ];
}

/** Failed calls (-EAGAIN on a non-blocking socket, …) and reads at end of stream move nothing; other families' sockets (AF_UNIX, AF_NETLINK) have no such ends. */
function ioWhere(columns: readonly Column[]): TableCondition[] {
  return [{ column: columns[1]!, above: 0n }, { column: columns[2]!, oneOf: [BigInt(AF_INET), BigInt(AF_INET6)] }];
}

export const socketIoTable: CuratedTable = {
  name: 'socket_io',
  description: 'bytes sent and received on IPv4 and IPv6 sockets, per call, with both ends (sock:sock_send_length, sock:sock_recv_length)',
  event: { category: 'sock', event: 'sock_send_length' },
  build(format) {
    const columns = ioColumns(format, DIRECTION.send);
    return { columns, where: ioWhere(columns) };
  },
  // Kept on the classic hook: its record has the family and protocol the table filters on, where
  // the raw hook must read them from the socket for every call (bench part 9 lost 14 % of a
  // loopback transfer's throughput on the raw hook, under 3 % on this one).
  also: [{ event: { category: 'sock', event: 'sock_recv_length' }, columns: (format) => ioColumns(format, DIRECTION.receive) }],
};
