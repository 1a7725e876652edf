// TCP traffic of known sizes for the network table tests, run as a child process so that a test
// can put it in a cgroup or network namespace of its own. It prints "ready", waits for "go" on
// stdin, does its job and prints one JSON line per connection (see Transfer), then "done".
//   loopback <host> <sizes…>  a server and a client on <host>; per size one connection on which
//                             the client writes the size and the server answers with reply(size)
//   serve <host> <port>       a server as above, until killed
//   send <host> <port> <size> one such client connection
//   udp <host> <port> <n>     n datagrams of 1 byte, a millisecond apart (to a port nobody listens on)
import { createSocket } from 'node:dgram';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Transfer } from './net-child.js';
import { reply } from './net-child.js';

function serve(host: string, port: number): Promise<{ port: number }> {
  const server = createServer((socket) => {
    let got = 0;
    socket.on('data', (d: Buffer) => (got += d.length));
    socket.on('end', () => socket.end(Buffer.alloc(reply(got), 1)));
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve({ port: (server.address() as AddressInfo).port })));
}

function send(host: string, port: number, size: number): Promise<Transfer> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    let received = 0;
    let clientPort = 0;
    const c: Socket = createConnection(port, host, () => {
      clientPort = c.localPort ?? 0;
      c.end(Buffer.alloc(size, 2));
    });
    c.on('data', (d: Buffer) => (received += d.length));
    c.on('error', reject);
    c.on('close', () => resolve({ clientPort, serverPort: port, sent: size, received, ms: performance.now() - start }));
  });
}

async function datagrams(host: string, port: number, n: number): Promise<void> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  // An ICMP port unreachable coming back is an error event on some systems: not this test's concern.
  socket.on('error', () => {});
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve, reject) => socket.send(Buffer.from([i & 255]), port, host, (e) => (e ? reject(e) : resolve())));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  socket.close();
}

async function job(args: readonly string[]): Promise<Transfer[]> {
  const [mode = '', host = '', ...rest] = args;
  const numbers = rest.map(Number);
  switch (mode) {
    case 'loopback': {
      const { port } = await serve(host, 0);
      const out: Transfer[] = [];
      for (const size of numbers) out.push(await send(host, port, size));
      return out;
    }
    case 'serve':
      await serve(host, numbers[0]!);
      return new Promise(() => {});
    case 'send':
      return [await send(host, numbers[0]!, numbers[1]!)];
    case 'udp':
      await datagrams(host, numbers[0]!, numbers[1]!);
      return [];
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.on('line', (l) => l === 'go' && resolve()));
  process.stdout.write('ready\n');
  await go;
  for (const t of await job(process.argv.slice(2))) process.stdout.write(`${JSON.stringify(t)}\n`);
  process.stdout.write('done\n');
  lines.close();
}

void main();
