// An OTLP/HTTP receiver on loopback for tests: records every request to /v1/metrics and answers
// each as `respond` says (a status, optional headers, or never, to play a hung collector), at
// once or when the promise it returns settles.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
}

export type Answer = { readonly status: number; readonly headers?: Readonly<Record<string, string>> } | 'hang';

export interface Receiver {
  readonly url: string;
  readonly requests: Received[];
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(respond: (n: number, req: Received) => Answer | Promise<Answer>): Promise<Receiver> {
  const requests: Received[] = [];
  const waiters: (() => void)[] = [];
  const hung: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer());
    const answer = async (): Promise<void> => {
      const r: Received = { path: req.url ?? '', contentType: req.headers['content-type'], body: new Uint8Array(Buffer.concat(chunks)) };
      requests.push(r);
      for (const w of waiters.splice(0)) w();
      const a = await respond(requests.length, r);
      if (a === 'hang') {
        hung.push(res);
        return;
      }
      res.writeHead(a.status, { 'content-type': 'application/x-protobuf', ...a.headers });
      res.end();
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > deadline) throw new Error(`${requests.length} of ${n} requests arrived in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => new Promise<void>((resolve) => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
