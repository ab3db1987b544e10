import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defaultErrorFor } from './sandbox-error-bodies';
import { SandboxFaults } from './sandbox-faults.service';
import { SandboxRecorder } from './sandbox-recorder.service';
import type { SandboxInput, SandboxProvider, SandboxResult, SandboxUpload } from './sandbox.types';

export type SandboxHandler = (input: SandboxInput) => SandboxResult | Promise<SandboxResult>;

/** Graph accepts the token as a query parameter too; it must never show up in recordings. */
const redactAccessToken = (path: string) => path.replace(/([?&]access_token=)[^&]*/g, '$1***');

/**
 * The pipeline every fake request goes through: parse the body (JSON, form or multipart),
 * record it, wait if a matching fault has a delay, answer with the fault's status if it has one,
 * otherwise run the provider handler, and write the answer in the provider's own shape (never
 * problem+json).
 */
@Injectable()
export class SandboxExchange {
  private readonly logger = new Logger('Sandbox');

  constructor(
    private readonly recorder: SandboxRecorder,
    private readonly faults: SandboxFaults,
  ) {}

  async handle(
    provider: SandboxProvider,
    req: FastifyRequest,
    reply: FastifyReply,
    handler: SandboxHandler,
    redactPath: (path: string) => string = (p) => p,
  ): Promise<void> {
    const headers = lowerCaseHeaders(req.headers);
    const path = redactAccessToken(redactPath(req.url));
    const { input, recordedBody } = await readInput(req, headers);
    const entry = this.recorder.record({ provider, method: req.method, path, headers, body: recordedBody });

    const fault = this.faults.take(provider, path);
    // A slow provider: the answer (fault or normal) comes after the delay, even if the caller is gone by then.
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    let result: SandboxResult;
    if (fault?.status !== undefined) {
      const json = fault.body === undefined ? defaultErrorFor(provider, fault.status).json : fault.body;
      result = { status: fault.status, json, headers: fault.headers };
    } else if (!input) {
      result = defaultErrorFor(provider, 400, 'Malformed request body');
    } else {
      try {
        result = await handler(input);
      } catch (e) {
        this.logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        result = defaultErrorFor(provider, 500);
      }
    }
    this.recorder.complete(entry.seq, result.status);
    send(reply, result);
  }
}

function lowerCaseHeaders(raw: FastifyRequest['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

async function readInput(
  req: FastifyRequest,
  headers: Record<string, string>,
): Promise<{ input?: SandboxInput; recordedBody: unknown }> {
  const url = new URL(req.url, 'http://sandbox.invalid');
  const base = {
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    origin: `${req.protocol}://${req.host}`,
  };
  const contentType = headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  const body: unknown = req.body;

  if (mediaType === 'multipart/form-data' && Buffer.isBuffer(body)) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
    } catch (e) {
      // Answered with a provider-shaped 400; the recording says why.
      return { recordedBody: { error: `malformed multipart body: ${(e as Error).message}` } };
    }
    const fields: Record<string, unknown> = {};
    const files: Record<string, SandboxUpload> = {};
    const recorded: Record<string, unknown> = {};
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') {
        fields[name] = value;
        recorded[name] = value;
      } else {
        const upload: SandboxUpload = {
          field: name,
          filename: value.name,
          contentType: value.type || 'application/octet-stream',
          data: Buffer.from(await value.arrayBuffer()),
        };
        files[name] = upload;
        // The digest lets a test assert the exact bytes without the recording holding whole files.
        recorded[name] = {
          filename: upload.filename,
          contentType: upload.contentType,
          size: upload.data.length,
          sha256: createHash('sha256').update(upload.data).digest('hex'),
        };
      }
    }
    return { input: { ...base, bodyKind: 'multipart', fields, files }, recordedBody: recorded };
  }
  if (body === undefined || body === null || (typeof body === 'string' && body === '')) {
    return { input: { ...base, bodyKind: 'none', fields: {}, files: {} }, recordedBody: null };
  }
  if (typeof body === 'object' && !Buffer.isBuffer(body)) {
    const kind = mediaType === 'application/x-www-form-urlencoded' ? 'form' : 'json';
    const fields = Array.isArray(body) ? {} : { ...(body as Record<string, unknown>) };
    return { input: { ...base, bodyKind: kind, fields, files: {} }, recordedBody: kind === 'form' ? fields : body };
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
  return { input: { ...base, bodyKind: 'other', fields: {}, files: {} }, recordedBody: text };
}

function send(reply: FastifyReply, result: SandboxResult): void {
  reply.status(result.status);
  if (result.headers) reply.headers(result.headers);
  if ('bytes' in result) {
    reply.type(result.contentType).send(result.bytes);
  } else if (typeof result.json === 'string') {
    // A string fault body stands for a non-JSON answer (e.g. an HTML error page from a proxy).
    if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8');
    reply.send(result.json);
  } else {
    reply.type('application/json; charset=utf-8').send(JSON.stringify(result.json ?? null));
  }
}
