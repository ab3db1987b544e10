import { createApp } from './bootstrap';
import { appEnv } from './config';

async function main() {
  const env = appEnv();
  const app = await createApp();
  // Workers listen too, but only serve /health and /metrics (their controllers are not mounted).
  await app.listen({ port: env.PORT, host: env.HOST });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
