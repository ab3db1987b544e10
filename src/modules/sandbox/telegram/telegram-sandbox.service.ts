import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { isRejectedToken } from '../core/sandbox-auth';
import { telegramError } from '../core/sandbox-error-bodies';
import { SandboxMedia, SandboxMediaStore } from '../core/sandbox-media.store';
import { SandboxTelegramBots } from '../core/sandbox-telegram-bots.store';
import type { SandboxInput, SandboxResult, SandboxUpload } from '../core/sandbox.types';
import { parseTelegramPath } from './telegram-path';

const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

type Params = Record<string, unknown>;
type MethodHandler = (token: string, params: Params, files: Record<string, SandboxUpload>) => SandboxResult;

const ok = (result: unknown, description?: string): SandboxResult => ({
  status: 200,
  json: { ok: true, result, ...(description ? { description } : {}) },
});
const badRequest = (what: string) => telegramError(400, `Bad Request: ${what}`);
const notFound = () => telegramError(404, 'Not Found');
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Bot ids are the digits before the colon of a real token; other sandbox tokens get a stable one. */
function botIdOf(token: string): number {
  const digits = /^(\d{1,15}):/.exec(token)?.[1];
  return digits ? Number(digits) : parseInt(createHash('sha256').update(token).digest('hex').slice(0, 10), 16);
}

/** Form fields arrive as strings; JSON-serialized parameters (allowed_updates, reply_parameters) are decoded. */
function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * The Bot API methods the product uses (PROVIDERS.md C2, C3). Method names are
 * case-insensitive; parameters come from the query string, JSON, a urlencoded form or multipart.
 */
@Injectable()
export class TelegramSandboxService {
  private readonly methods: Record<string, MethodHandler> = {
    getme: (token) => ok(this.botUser(token)),
    setwebhook: (token, p) => this.setWebhook(token, p),
    deletewebhook: (token) =>
      ok(true, this.bots.deleteWebhook(token) ? 'Webhook was deleted' : 'Webhook is already deleted'),
    getwebhookinfo: (token) => this.webhookInfo(token),
    sendmessage: (token, p) => this.sendMessage(token, p),
    sendphoto: (token, p, files) => this.sendFile(token, p, files, 'photo'),
    senddocument: (token, p, files) => this.sendFile(token, p, files, 'document'),
    getfile: (token, p) => this.getFile(token, p),
  };

  constructor(
    private readonly bots: SandboxTelegramBots,
    private readonly media: SandboxMediaStore,
  ) {}

  handle(input: SandboxInput): SandboxResult {
    const target = parseTelegramPath(input.path);
    if (target.kind === 'unknown' || !target.token) return notFound();
    if (isRejectedToken(target.token)) return telegramError(401, 'Unauthorized');
    if (target.kind === 'file') return this.download(target.filePath);
    const handler = this.methods[target.method.toLowerCase()];
    if (!handler) return notFound();
    return handler(target.token, { ...input.query, ...input.fields }, input.files);
  }

  private botUser(token: string) {
    return { id: botIdOf(token), is_bot: true, first_name: 'Sandbox Bot', username: 'sandbox_bot' };
  }

  private setWebhook(token: string, p: Params): SandboxResult {
    const url = text(p.url) ?? '';
    if (url === '') {
      this.bots.deleteWebhook(token);
      return ok(true, 'Webhook was deleted');
    }
    // Real Telegram insists on HTTPS; the sandbox also takes http:// so local setups work.
    if (!/^https?:\/\/[^\s/]+/i.test(url)) return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = text(p.secret_token);
    if (secretToken !== undefined && !SECRET_TOKEN.test(secretToken)) return badRequest('secret token contains unallowed characters');
    const maxConnections = p.max_connections === undefined ? undefined : Number(p.max_connections);
    if (maxConnections !== undefined && !(Number.isInteger(maxConnections) && maxConnections >= 1 && maxConnections <= 100)) {
      return badRequest('bad max_connections');
    }
    const allowed = jsonParam(p.allowed_updates);
    this.bots.setWebhook(token, {
      url,
      ...(secretToken ? { secretToken } : {}),
      ...(maxConnections ? { maxConnections } : {}),
      ...(Array.isArray(allowed) ? { allowedUpdates: allowed.map(String) } : {}),
      ...(text(p.ip_address) ? { ipAddress: text(p.ip_address) } : {}),
    });
    return ok(true, 'Webhook was set');
  }

  private webhookInfo(token: string): SandboxResult {
    const webhook = this.bots.webhook(token);
    return ok({
      url: webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: 0,
      ...(webhook ? { max_connections: webhook.maxConnections ?? 40 } : {}),
      ...(webhook?.ipAddress ? { ip_address: webhook.ipAddress } : {}),
      ...(webhook?.allowedUpdates ? { allowed_updates: webhook.allowedUpdates } : {}),
    });
  }

  private sendMessage(token: string, p: Params): SandboxResult {
    const chatId = text(p.chat_id);
    if (!chatId) return badRequest('chat_id is empty');
    const body = text(p.text);
    if (!body) return badRequest('message text is empty');
    if (body.length > MAX_TEXT) return badRequest('message is too long');
    return ok({ ...this.message(token, chatId, p), text: body });
  }

  private sendFile(token: string, p: Params, files: Record<string, SandboxUpload>, field: 'photo' | 'document'): SandboxResult {
    const chatId = text(p.chat_id);
    if (!chatId) return badRequest('chat_id is empty');
    const caption = text(p.caption);
    if (caption && caption.length > MAX_CAPTION) return badRequest('message caption is too long');
    const upload = files[field];
    const reference = text(p[field]);
    let file: SandboxMedia | undefined;
    if (upload) {
      file = this.media.put('telegram', { data: upload.data, contentType: upload.contentType, filename: upload.filename });
    } else if (reference && /^https?:\/\//i.test(reference)) {
      // The sandbox never fetches URLs; it stands in an empty file so the answer has the usual shape.
      file = this.media.put('telegram', { data: Buffer.alloc(0), contentType: field === 'photo' ? 'image/jpeg' : 'application/octet-stream' });
    } else if (reference) {
      file = this.media.get('telegram', reference);
      if (!file) return badRequest('wrong file identifier/HTTP URL specified');
    } else {
      return badRequest(`there is no ${field} in the request`);
    }
    const message = { ...this.message(token, chatId, p), ...(caption ? { caption } : {}) };
    if (field === 'photo') {
      const photo = { file_id: file.id, file_unique_id: file.uniqueId, file_size: file.size, width: 320, height: 320 };
      return ok({ ...message, photo: [photo] });
    }
    const document = {
      file_id: file.id,
      file_unique_id: file.uniqueId,
      file_size: file.size,
      mime_type: file.contentType,
      ...(file.filename ? { file_name: file.filename } : {}),
    };
    return ok({ ...message, document });
  }

  private getFile(token: string, p: Params): SandboxResult {
    const fileId = text(p.file_id);
    if (!fileId) return badRequest('file_id is empty');
    const file = this.media.get('telegram', fileId);
    if (!file) return badRequest('invalid file_id');
    return ok({ file_id: file.id, file_unique_id: file.uniqueId, file_size: file.size, file_path: file.filePath });
  }

  private download(filePath: string): SandboxResult {
    const file = this.media.getByPath(filePath);
    if (!file) return notFound();
    return { status: 200, bytes: file.data, contentType: file.contentType, headers: { 'content-length': String(file.size) } };
  }

  private message(token: string, chatId: string, p: Params) {
    const numeric = /^-?\d+$/.test(chatId);
    const chat = numeric
      ? { id: Number(chatId), type: Number(chatId) < 0 ? 'supergroup' : 'private' }
      : { id: chatId, type: 'channel', username: chatId.replace(/^@/, '') };
    const reply = jsonParam(p.reply_parameters);
    const replyTo = typeof reply === 'object' && reply !== null ? (reply as { message_id?: unknown }).message_id : undefined;
    return {
      message_id: this.bots.nextMessageId(token),
      from: this.botUser(token),
      chat,
      date: Math.floor(Date.now() / 1000),
      ...(replyTo !== undefined ? { reply_to_message: { message_id: Number(replyTo), chat, date: Math.floor(Date.now() / 1000) } } : {}),
    };
  }
}
