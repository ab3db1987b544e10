import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

/**
 * Boots the real app (real PostgreSQL, real Redis) on an ephemeral port.
 * `env` overrides are applied before the config is loaded; each call gets a fresh module registry.
 */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  let app!: NestFastifyApplication;
  const saved = { ...process.env };
  Object.assign(process.env, env);
  await jest.isolateModulesAsync(async () => {
    const { createApp } = await import('../../src/bootstrap');
    app = await createApp();
  });
  process.env = saved;
  await app.listen({ port: 0, host: '127.0.0.1' });
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
