import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer } from 'node:net';
import request from 'supertest';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Boots the real app (real PostgreSQL, real Redis) on a free port, with the provider sandbox
 * mounted and every provider API URL pointing at it (the same fakes integrators use).
 * `env` overrides are applied before the config is loaded; each call gets a fresh module registry.
 */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  let app!: NestFastifyApplication;
  const saved = { ...process.env };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    SANDBOX: 'true',
    PUBLIC_URL: base,
    POSTMARK_API_URL: `${base}/sandbox/postmark`,
    WHATSAPP_API_URL: `${base}/sandbox/graph`,
    TELEGRAM_API_URL: `${base}/sandbox/telegram`,
    ...env,
  });
  await jest.isolateModulesAsync(async () => {
    const { createApp } = await import('../../src/bootstrap');
    app = await createApp();
  });
  process.env = saved;
  await app.listen({ port, host: '127.0.0.1' });
  return new TestApp(app);
}

export class TestApp {
  constructor(readonly app: NestFastifyApplication) {}

  get server() {
    return this.app.getHttpServer();
  }

  get url(): string {
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : String(addr);
  }

  http() {
    return request(this.server);
  }

  close() {
    return this.app.close();
  }
}
