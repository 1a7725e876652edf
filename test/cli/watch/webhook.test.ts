// The webhook's bounds, on a loopback listener that never answers: one request out at a time,
// a full queue drops new alerts, a request past the timeout loses its batch; all counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, webhookUrl } from '../../../src/cli/watch/webhook.js';

test('a silent receiver: 1 request in flight, 3 queued, 6 dropped; every batch times out, counted as failed', async () => {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/warm') {
      res.end();
      return;
    }
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => bodies.push(body));
    // Never answers: the client's timeout ends each request.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = webhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    assert.ok(url instanceof URL);
    // Node loads its HTTP client on the first fetch, which on a busy machine can take most of a
    // short timeout before the first body is sent: load it first.
    await (await fetch(new URL('/warm', url))).text();
    const hook = new Webhook(url, { maxQueue: 3, maxBatch: 2, timeoutMs: 400 });
    for (let i = 1; i <= 10; i++) hook.send(`{"n":${i}}`);
    // Three requests, each cut at 400 ms, before closing (which would drop what is left late).
    for (let i = 0; i < 100 && hook.summary()['failed'] !== 4; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await hook.close();
    assert.deepEqual(hook.summary(), { output: 'webhook', sent: 0, dropped: 6, failed: 4, error: 'The operation was aborted due to timeout' });
    assert.deepEqual(bodies, ['[{"n":1}]', '[{"n":2},{"n":3}]', '[{"n":4}]']);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('--webhook takes http and https URLs only', () => {
  assert.ok(webhookUrl('https://example.invalid/x') instanceof URL);
  assert.equal(webhookUrl('file:///etc/passwd'), "--webhook takes an http or https URL, not 'file:'");
  assert.equal(webhookUrl('not a url'), "--webhook needs a URL such as http://127.0.0.1:9000/alerts, not 'not a url'");
});
