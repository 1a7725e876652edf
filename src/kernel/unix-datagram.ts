// Unix datagram sockets, which Node's net module lacks: syslog's /dev/log takes one message per
// datagram. Made through the syscall door (sys.ts) like every other kernel object.
import { KernelError } from './errors.js';
import { libcSockets } from './sys.js';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
/** sockaddr_un's sun_path holds 108 bytes with the closing NUL. */
const SUN_PATH_MAX = 107;

function sockaddr(path: string): Buffer {
  const p = Buffer.from(path);
  if (p.length > SUN_PATH_MAX || p.includes(0)) throw new KernelError('socket', 36 /* ENAMETOOLONG */, { subject: path });
  const addr = Buffer.alloc(2 + p.length + 1);
  addr.writeUInt16LE(AF_UNIX, 0);
  p.copy(addr, 2);
  return addr;
}

export class UnixDatagram {
  private constructor(private fd: number) {}

  private static open(): UnixDatagram {
    const fd = libcSockets().socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw new KernelError('socket', -fd);
    return new UnixDatagram(fd);
  }

  /** A socket whose datagrams go to `path` (e.g. /dev/log); throws KernelError (ENOENT: nobody listens there). */
  static connect(path: string): UnixDatagram {
    const s = UnixDatagram.open();
    const addr = sockaddr(path);
    const r = libcSockets().connect(s.fd, addr, addr.length);
    if (r < 0) {
      s.close();
      throw new KernelError('connect', -r, { subject: path });
    }
    return s;
  }

  /** A socket that receives datagrams sent to `path` (which must not exist yet). */
  static bind(path: string): UnixDatagram {
    const s = UnixDatagram.open();
    const addr = sockaddr(path);
    const r = libcSockets().bind(s.fd, addr, addr.length);
    if (r < 0) {
      s.close();
      throw new KernelError('bind', -r, { subject: path });
    }
    return s;
  }

  /** Sends one datagram without waiting: the bytes sent, or -errno (EAGAIN: the reader is behind). */
  send(data: Buffer): number {
    return libcSockets().send(this.fd, data, data.length, 0);
  }

  /** The next datagram received, or undefined when none is waiting. */
  receive(max = 65536): Buffer | undefined {
    const buf = Buffer.alloc(max);
    const n = libcSockets().recv(this.fd, buf, max, 0);
    return n < 0 ? undefined : buf.subarray(0, n);
  }

  close(): void {
    if (this.fd < 0) return;
    libcSockets().close(this.fd);
    this.fd = -1;
  }
}
