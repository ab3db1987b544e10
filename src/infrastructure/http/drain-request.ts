import type { IncomingMessage } from 'node:http';

/** How much of a refused body is read and discarded before answering, and for how long at most. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;

/**
 * Reads and discards the rest of a request body. A server that answers and closes while the client
 * is still sending makes the client's socket reset (EPIPE/ECONNRESET), so it never sees the answer;
 * draining first lets it read the 413. Bounded, so a client streaming forever cannot hold the socket.
 */
export function drainRequest(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      clearTimeout(timer);
      req.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_MAX_BYTES) finish();
    };
    const timer = setTimeout(finish, DRAIN_MAX_MS);
    req.on('data', onData).once('end', finish).once('error', finish).once('close', finish);
    req.resume();
  });
}
