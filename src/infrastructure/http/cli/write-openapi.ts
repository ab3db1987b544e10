import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from '../swagger';

/**
 * Writes the OpenAPI document without PostgreSQL or Redis: `preview` builds the module graph and
 * its route metadata but instantiates no provider, so nothing connects. The document is the same
 * one the running app serves at /docs-json (one builder) with SANDBOX=true: the sandbox's own routes are
 * in it, each saying it exists only in development (the provider fakes' APIs are not).
 */
export async function writeOpenApi(file: string): Promise<void> {
  // Dev defaults for the two required secrets: preview never uses them, config validation needs them.
  process.env.ENCRYPTION_KEY ||= 'ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=';
  process.env.JWT_SECRET ||= 'openapi-generation-only';
  process.env.SANDBOX = 'true';
  const { AppModule } = await import('../../../app.module');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
}

if (require.main === module) {
  const file = resolve(process.argv[2] ?? 'openapi.json');
  writeOpenApi(file)
    .then(() => process.stdout.write(`wrote ${file}\n`))
    .catch((e) => {
      process.stderr.write(`openapi failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    });
}
