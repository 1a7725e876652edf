// Every curated table, by name.
import type { CuratedTable } from '../curated.js';
import { blockIoTable } from './block-io.js';
import { execTable } from './exec.js';
import { exitTable } from './exit.js';
import { forkTable } from './fork.js';
import { offCpuTable } from './off-cpu.js';
import { oomKillTable, pageFaultsTable, signalsTable } from './misc.js';
import { netDevTable, packetDropsTable } from './net.js';
import { openTable } from './open.js';
import { socketIoTable } from './socket-io.js';
import { readTable, writeTable } from './read-write.js';
import { runqLatencyTable, schedSwitchTable } from './sched.js';
import { syscallsTable } from './syscalls.js';
import { tcpConnectTable, tcpStateTable } from './tcp.js';
import { tcpLifeTable } from './tcp-life.js';
import { tcpResetTable, tcpRetransmitTable } from './tcp-errors.js';

export const CURATED_TABLES: readonly CuratedTable[] = [
  execTable, exitTable, forkTable, openTable, syscallsTable, readTable, writeTable, tcpConnectTable, tcpStateTable,
  tcpRetransmitTable, tcpResetTable, packetDropsTable, netDevTable, socketIoTable, tcpLifeTable,
  blockIoTable, schedSwitchTable, runqLatencyTable, offCpuTable, pageFaultsTable, signalsTable, oomKillTable,
];
