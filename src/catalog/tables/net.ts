// Packets: the ones the kernel drops, with its reason (skb:kfree_skb, as dropwatch and bcc's
// tcpdrop), and the ones devices send and receive (net:net_dev_xmit, net:netif_receive_skb).
import type { Column, MemberPath } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { intColumn, requireField } from '../curated.js';
import { DIRECTION } from '../decoders.js';
import type { TracepointFormat } from '../format.js';
import { STRING, U64 } from '../types.js';
import { argColumn, argMemberColumn, argStringColumn, constantColumn, decodedColumn, kernelSymbolColumn, stringColumn } from './columns.js';

function dropColumns(format: TracepointFormat): Column[] {
  return [
    decodedColumn(format, 'reason', 'reason', 'drop-reason', 'why: the kernel\'s skb_drop_reason (NO_SOCKET, NETFILTER_DROP, …)'),
    intColumn(format, 'protocol', 'protocol', 'EtherType of the packet: 2048 IPv4, 34525 IPv6, 2054 ARP'),
    kernelSymbolColumn(format, 'location', 'location', 'the kernel code that dropped it, as function+0xoffset (kstack says how it got there)'),
    intColumn(format, 'rx_sk', 'skaddr', 'kernel address of the receiving socket (0 when none)', U64),
    deviceColumn(requireField(format, 'skbaddr').offset),
  ];
}

/** IFNAMSIZ: a device name and its NUL. */
const DEVICE_NAME_BYTES = 16;
/** skb->dev->name from the skb pointer at `pointer` in the context (the record's skbaddr, or the raw hook's first argument). */
const SKB_DEVICE: readonly MemberPath[] = [[['sk_buff', 'dev']], [['net_device', 'name']]];

function deviceColumn(pointer: number): Column {
  return { name: 'device', type: STRING, source: { kind: 'pointee-string', pointer, hops: SKB_DEVICE, size: DEVICE_NAME_BYTES }, description: "network device the packet was on (lo, eth0, …; '' when it had none)" };
}

export const packetDropsTable: CuratedTable = {
  name: 'packet_drops',
  description: 'packets the kernel dropped, with its reason (skb:kfree_skb); kstack says where',
  event: { category: 'skb', event: 'kfree_skb' },
  build(format) {
    return { columns: dropColumns(format) };
  },
  // TP_PROTO(struct sk_buff *skb, void *location, enum skb_drop_reason reason, struct sock *rx_sk)
  // where the format has rx_sk (6.11 on); the record's protocol is ntohs(skb->protocol).
  raw(format) {
    const [reason, protocol, location, skaddr] = dropColumns(format);
    return { columns: [argColumn(reason!, 2), argMemberColumn(protocol!, 0, [['sk_buff', 'protocol']], { bigEndian: true }), argColumn(location!, 1), argColumn(skaddr!, 3), deviceColumn(0)] };
  },
};

const DEVICE_DIRECTION = "'send' for packets a device transmitted, 'receive' for packets it received";

function deviceColumns(format: TracepointFormat, direction: bigint): Column[] {
  return [
    constantColumn('direction', direction, 'direction', DEVICE_DIRECTION),
    stringColumn(format, 'name', 'device', 'network device name (lo, eth0, …)'),
    intColumn(format, 'len', 'len', 'packet length in bytes'),
  ];
}

export const netDevTable: CuratedTable = {
  name: 'net_dev',
  description: 'packets sent (net:net_dev_xmit) and received (net:netif_receive_skb) by network devices',
  event: { category: 'net', event: 'net_dev_xmit' },
  build(format) {
    return { columns: deviceColumns(format, DIRECTION.send) };
  },
  // TP_PROTO(struct sk_buff *skb, int rc, struct net_device *dev, unsigned int skb_len): the record
  // copies dev->name and skb_len.
  raw(format) {
    const [direction, device, len] = deviceColumns(format, DIRECTION.send);
    return { columns: [direction!, argStringColumn(device!, 2, [[['net_device', 'name']]]), argColumn(len!, 3)] };
  },
  also: [{
    event: { category: 'net', event: 'netif_receive_skb' },
    columns: (format) => deviceColumns(format, DIRECTION.receive),
    // TP_PROTO(struct sk_buff *skb): the record copies skb->dev->name and skb->len.
    raw(format) {
      const [direction, device, len] = deviceColumns(format, DIRECTION.receive);
      return [direction!, argStringColumn(device!, 0, [[['sk_buff', 'dev']], [['net_device', 'name']]]), argMemberColumn(len!, 0, [['sk_buff', 'len']])];
    },
  }],
};
