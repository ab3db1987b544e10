import { createApp } from './bootstrap';
import { appEnv } from './config';

/**
 * A stop signal gives the app this long to close (jobs in flight finish, queues and pools close);
 * then the process exits anyway. One hanging close step (Bull's queues wedge on a proxy that accepts
 * and drops Redis connections) must not keep a stopped worker alive: its unfinished jobs' locks
 * expire and another worker runs them. Below the 30 s most orchestrators wait before SIGKILL.
 */
const SHUTDOWN_DEADLINE_MS = 25_000;

function exitAfterDeadline(signal: NodeJS.Signals) {
  setTimeout(() => {
    process.stderr.write(`shutdown after ${signal} did not finish in ${SHUTDOWN_DEADLINE_MS} ms; exiting\n`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
}

async function main() {
  const env = appEnv();
  const app = await createApp();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => exitAfterDeadline(signal));
  // Workers listen too, but only serve /health and /metrics (their controllers are not mounted).
  await app.listen({ port: env.PORT, host: env.HOST });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
