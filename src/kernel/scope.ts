// Owns every kernel resource of one query (maps, programs, attachments, ring buffers), so a
// query that fails half-way or is cancelled still releases everything it opened.

export interface Closeable {
  close(): void;
}

export class KernelScope {
  private readonly resources: Closeable[] = [];
  private closed = false;

  /** Takes ownership of `r` and returns it. After closeAll, closes `r` at once and throws. */
  add<T extends Closeable>(r: T): T {
    if (this.closed) {
      closeQuietly(r);
      throw new Error('kernel scope already closed');
    }
    this.resources.push(r);
    return r;
  }

  /** Closes everything, newest first (attachments before the programs and maps they use). Idempotent; never throws. */
  closeAll(): void {
    this.closed = true;
    while (this.resources.length > 0) closeQuietly(this.resources.pop()!);
  }
}

function closeQuietly(r: Closeable): void {
  try {
    r.close();
  } catch {
    // Teardown goes on: one resource that fails to close must not keep the others open.
  }
}
