// The HTTP side of `bpfql serve`: GET /metrics (Prometheus text, or OpenMetrics when the Accept
// header asks) and GET /healthz, nothing else. A scraper is trusted with nothing: requests that
// are slow, huge or many are cut off by node:http's own limits, set here, so that no client can
// hold the server up or grow its memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MetricFamily } from '../../output/metrics/model.js';
import { CONTENT_TYPE, expositionFor, renderFamilies } from '../../output/metrics/prometheus.js';
import type { ListenAddress } from './args.js';

export interface ClientLimits {
  readonly headersTimeout: number;
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
  readonly maxHeaderSize: number;
  readonly maxConnections: number;
  /** A connection that neither sends nor takes a byte for this long is closed. */
  readonly idleTimeout: number;
}

/**
 * Limits on clients: a request's headers must arrive in 5 s and fit in 16 KiB, the whole request
 * in 10 s, at most 64 connections. Node checks the timeouts every second here (30 s by default).
 * A client that asks for /metrics and then stops reading would hold the rest of the answer (MBs
 * with many series) in the server's memory for good: after 30 s without progress it is closed.
 */
export const LIMITS: ClientLimits = { headersTimeout: 5_000, requestTimeout: 10_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024, maxConnections: 64, idleTimeout: 30_000 };

function reply(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function handler(families: () => readonly MetricFamily[]): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // A body is never read: a client that sends one is not kept for another request.
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) res.setHeader('Connection', 'close');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      reply(req, res, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (path === '/metrics') {
      const format = expositionFor(req.headers.accept);
      reply(req, res, 200, CONTENT_TYPE[format], renderFamilies(families(), format));
    } else if (path === '/healthz') {
      reply(req, res, 200, 'text/plain; charset=utf-8', 'ok');
    } else {
      reply(req, res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
    }
  };
}

/** Listens on `at`; resolves with the server and the address taken (port 0 gets a free one). */
export function listen(at: ListenAddress, families: () => readonly MetricFamily[], limits = LIMITS): Promise<{ server: Server; address: string }> {
  const server = createServer({
    maxHeaderSize: limits.maxHeaderSize,
    requestTimeout: limits.requestTimeout,
    headersTimeout: limits.headersTimeout,
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeout),
  }, handler(families));
  server.keepAliveTimeout = limits.keepAliveTimeout;
  server.maxConnections = limits.maxConnections;
  // With no 'timeout' listener, node destroys a socket idle this long, and its unsent answer with it.
  server.timeout = limits.idleTimeout;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const a = server.address();
      const address = a !== null && typeof a === 'object' ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : String(a);
      resolve({ server, address });
    });
  });
}

/** Stops taking connections and closes the ones open (a scrape in flight is cut). */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
