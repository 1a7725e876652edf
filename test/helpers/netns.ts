// Two network namespaces joined by a veth pair, made for one test and removed by it: traffic
// that crosses a real device, and a place for nftables rules that drop some of it.
import { execFileSync } from 'node:child_process';

let made = 0;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function mac(ns: string, dev: string): string {
  const [link] = JSON.parse(execFileSync('ip', ['-j', '-n', ns, 'link', 'show', dev], { encoding: 'utf8' })) as { address: string }[];
  if (!link) throw new Error(`no device ${dev} in ${ns}`);
  return link.address;
}

export class VethPair {
  private constructor(
    /** Namespace and device names (devices: 15 characters at most). */
    readonly nsA: string,
    readonly nsB: string,
    readonly devA: string,
    readonly devB: string,
    readonly addrA: string,
    readonly addrB: string,
  ) {}

  /** The one CPU the processes talking over the link run on (see clean()), or undefined for any. */
  cpu: number | undefined;

  /** Namespaces <tag>a/<tag>b with devices up, IPv4 only (no IPv6 chatter on the link), neighbours fixed. */
  static create(): VethPair {
    const n = ++made;
    const tag = `bq${process.pid % 100000}n${n}`;
    const subnet = `10.${200 + (n % 50)}.${process.pid % 250}`;
    const p = new VethPair(`${tag}a`, `${tag}b`, `${tag}va`, `${tag}vb`, `${subnet}.1`, `${subnet}.2`);
    try {
      ip('netns', 'add', p.nsA);
      ip('netns', 'add', p.nsB);
      ip('link', 'add', p.devA, 'netns', p.nsA, 'type', 'veth', 'peer', 'name', p.devB, 'netns', p.nsB);
      for (const [ns, dev, addr] of [[p.nsA, p.devA, p.addrA], [p.nsB, p.devB, p.addrB]] as const) {
        // No tail loss probes either: they send a segment again where nothing was lost, when ACKs
        // are late on a busy machine, and a clean link must show no retransmits.
        execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1', 'net.ipv4.tcp_early_retrans=0']);
        ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev);
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('-n', ns, 'link', 'set', dev, 'up');
      }
      // Each end knows the other's MAC from the start: no ARP on the link while a test counts packets.
      ip('-n', p.nsA, 'neigh', 'add', p.addrB, 'lladdr', mac(p.nsB, p.devB), 'dev', p.devA, 'nud', 'permanent');
      ip('-n', p.nsB, 'neigh', 'add', p.addrA, 'lladdr', mac(p.nsA, p.devA), 'dev', p.devB, 'nud', 'permanent');
    } catch (e) {
      p.remove();
      throw e;
    }
    return p;
  }

  /**
   * Makes it a link on which TCP sends nothing again that was not lost, however busy the machine:
   * - a retransmission timeout of at least 5 s (both ends' route): an ACK can come later than the
   *   200 ms minimum;
   * - one CPU for everything on it (`cpu`, which the processes talking over it must be started
   *   on, see NetChild): a veth hands each packet to the backlog of the CPU that sends it, and a
   *   connection sends both from its process and from the softirq its ACKs arrive in, so two
   *   CPUs deliver its packets out of order now and then. RACK then takes a packet that is
   *   merely late for lost and sends it again at once (seen here: TCPSACKReorder and
   *   TCPSpuriousRtxHostQueues in the namespace's counters); this kernel no longer lets RACK be
   *   turned off (tcp_recovery=0 and tcp_reordering=300 changed nothing).
   * A link meant to show no retransmits needs this; a lossy one recovers sooner without it.
   */
  clean(): void {
    const subnet = `${this.addrA.slice(0, this.addrA.lastIndexOf('.'))}.0/24`;
    for (const [ns, dev] of [[this.nsA, this.devA], [this.nsB, this.devB]] as const) ip('-n', ns, 'route', 'replace', subnet, 'dev', dev, 'rto_min', '5s');
    this.cpu = 0;
  }

  /**
   * The TCP and IP counters of both namespaces that are not zero, `ns:Name=value` (from their
   * /proc/net/snmp and /proc/net/netstat), for a failure message: they say why TCP sent again.
   */
  counters(): string {
    const out: string[] = [];
    for (const ns of [this.nsA, this.nsB]) {
      for (const file of ['/proc/net/snmp', '/proc/net/netstat']) {
        const lines = execFileSync('ip', ['netns', 'exec', ns, 'cat', file], { encoding: 'utf8' }).trim().split('\n');
        for (let i = 0; i + 1 < lines.length; i += 2) {
          const names = lines[i]!.split(/\s+/);
          const values = lines[i + 1]!.split(/\s+/);
          if (!/^(Tcp|TcpExt|Ip|IpExt):$/.test(names[0]!)) continue;
          names.slice(1).forEach((n, j) => values[j + 1] !== '0' && out.push(`${ns.slice(-1)}:${n}=${values[j + 1]}`));
        }
      }
    }
    return out.join(' ');
  }

  /** Runs nft with `args` in namespace B. */
  nftB(...args: string[]): void {
    execFileSync('ip', ['netns', 'exec', this.nsB, 'nft', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** Removes both namespaces (the veth pair goes with them). */
  remove(): void {
    for (const ns of [this.nsA, this.nsB]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Never made, or already gone.
      }
    }
  }
}
