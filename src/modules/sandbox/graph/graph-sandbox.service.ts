import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { bearerToken, isRejectedToken, tokenFingerprint } from '../core/sandbox-auth';
import { graphError } from '../core/sandbox-error-bodies';
import { SandboxMediaStore } from '../core/sandbox-media.store';
import { bodyPlaceholderCount, SandboxTemplate, SandboxTemplateStore } from '../core/sandbox-template.store';
import type { SandboxInput, SandboxJsonResult, SandboxResult } from '../core/sandbox.types';

/** Graph media URLs expire after 5 minutes (PROVIDERS.md B6). */
export const MEDIA_URL_TTL_MS = 5 * 60 * 1000;
const DOWNLOAD_PATH = '/sandbox/graph/download';
const VERSION = /^v\d+\.\d+$/;
const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker']);
const DEFAULT_PAGE_SIZE = 25;

type Authorized = { token: string } | { denied: SandboxJsonResult };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const param = (name: string) => graphError(400, 100, `The parameter ${name} is required.`);

/**
 * The WhatsApp Cloud API slice of Graph the product uses (PROVIDERS.md B4, B6): send, media
 * upload / lookup / download, and message templates. Every route may carry a `vXX.X` version.
 */
@Injectable()
export class GraphSandboxService {
  constructor(
    private readonly media: SandboxMediaStore,
    private readonly templates: SandboxTemplateStore,
  ) {}

  sendMessage(input: SandboxInput, version?: string): SandboxResult {
    const auth = this.authorize(input, version);
    if ('denied' in auth) return auth.denied;
    const body = input.fields;
    if (body.messaging_product !== 'whatsapp') return param('messaging_product');
    // Marking an inbound message as read shares the endpoint but answers differently.
    if (body.status === 'read') return nonEmpty(body.message_id) ? { status: 200, json: { success: true } } : param('message_id');
    if (!nonEmpty(body.to)) return param('to');
    const type = nonEmpty(body.type) ? body.type : 'text';
    const content = body[type];
    if (type === 'text' && !(isRecord(content) && nonEmpty(content.body))) return param("text['body']");
    if (MEDIA_TYPES.has(type) && !(isRecord(content) && (nonEmpty(content.id) || nonEmpty(content.link)))) {
      return param(`${type}['id'] or ${type}['link']`);
    }
    if (type === 'template') {
      const problem = this.checkTemplate(content);
      if (problem) return problem;
    }
    return {
      status: 200,
      json: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to.replace(/\D/g, '') }],
        messages: [{ id: `wamid.${randomBytes(24).toString('base64url')}`, ...(type === 'template' ? { message_status: 'accepted' } : {}) }],
      },
    };
  }

  uploadMedia(input: SandboxInput, version?: string): SandboxResult {
    const auth = this.authorize(input, version);
    if ('denied' in auth) return auth.denied;
    if (input.bodyKind !== 'multipart') return graphError(400, 100, 'Media upload must be multipart/form-data.');
    if (input.fields.messaging_product !== 'whatsapp') return param('messaging_product');
    const file = input.files.file;
    if (!file) return param('file');
    const contentType = nonEmpty(input.fields.type) ? input.fields.type : file.contentType;
    const stored = this.media.put('whatsapp', { data: file.data, contentType, filename: file.filename });
    return { status: 200, json: { id: stored.id } };
  }

  mediaInfo(input: SandboxInput, mediaId: string, version?: string): SandboxResult {
    const auth = this.authorize(input, version);
    if ('denied' in auth) return auth.denied;
    const media = this.media.get('whatsapp', mediaId);
    if (!media) return this.unknownObject(mediaId);
    const query = new URLSearchParams({ expires: String(Date.now() + MEDIA_URL_TTL_MS), th: tokenFingerprint(auth.token) });
    return {
      status: 200,
      json: {
        messaging_product: 'whatsapp',
        url: `${input.origin}${DOWNLOAD_PATH}/${media.id}?${query}`,
        mime_type: media.contentType,
        sha256: media.sha256,
        file_size: media.size,
        id: media.id,
      },
    };
  }

  /** The media URL: needs the same bearer token that looked it up, and 404s once expired. */
  download(input: SandboxInput, mediaId: string): SandboxResult {
    const auth = this.authorize(input);
    if ('denied' in auth) return auth.denied;
    if (input.query.th !== tokenFingerprint(auth.token)) {
      return graphError(401, 190, 'Invalid OAuth access token for this media URL.');
    }
    const media = this.media.get('whatsapp', mediaId);
    if (!media || !(Number(input.query.expires) > Date.now())) return graphError(404, 100, 'Media URL not found or expired.');
    return { status: 200, bytes: media.data, contentType: media.contentType, headers: { 'content-length': String(media.size) } };
  }

  listTemplates(input: SandboxInput, version?: string): SandboxResult {
    const auth = this.authorize(input, version);
    if ('denied' in auth) return auth.denied;
    const all = this.templates.list();
    const limit = Math.min(Math.max(Number(input.query.limit) || DEFAULT_PAGE_SIZE, 1), 1000);
    const start = input.query.after ? Number(Buffer.from(input.query.after, 'base64url').toString()) || 0 : 0;
    const data = all.slice(start, start + limit);
    const end = start + data.length;
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    if (end >= all.length) return { status: 200, json: { data, paging: {} } };
    const next = new URLSearchParams({ ...input.query, limit: String(limit), after: cursor(end) });
    return {
      status: 200,
      json: { data, paging: { cursors: { before: cursor(start), after: cursor(end) }, next: `${input.origin}${input.path}?${next}` } },
    };
  }

  /** Sandbox templates are approved on creation, so integrators can send them right away. */
  createTemplate(input: SandboxInput, version?: string): SandboxResult {
    const auth = this.authorize(input, version);
    if ('denied' in auth) return auth.denied;
    const { name, language, category, components } = input.fields;
    if (!nonEmpty(name) || !TEMPLATE_NAME.test(name)) return graphError(400, 100, 'Invalid parameter', 'name must be lowercase letters, digits and underscores.');
    if (!nonEmpty(language)) return param('language');
    if (!['UTILITY', 'MARKETING', 'AUTHENTICATION'].includes(String(category))) return param('category');
    if (!Array.isArray(components) || !components.every(isRecord)) return param('components');
    if (this.templates.find(name, language)) {
      return graphError(400, 100, 'Invalid parameter', `Content in this language already exists for template ${name}.`);
    }
    const created = this.templates.add({ name, language, category: category as SandboxTemplate['category'], components });
    return { status: 200, json: { id: created.id, status: created.status, category: created.category } };
  }

  private checkTemplate(content: unknown): SandboxResult | undefined {
    if (!isRecord(content) || !nonEmpty(content.name)) return param("template['name']");
    const language = isRecord(content.language) ? content.language.code : undefined;
    if (!nonEmpty(language)) return param("template['language']['code']");
    const template = this.templates.find(content.name, language);
    if (!template || template.status !== 'APPROVED') {
      return graphError(404, 132001, 'Template name does not exist in the translation', `template name (${content.name}) does not exist in ${language}`);
    }
    const components = Array.isArray(content.components) ? content.components.filter(isRecord) : [];
    const bodyParams = components
      .filter((c) => String(c.type).toLowerCase() === 'body')
      .reduce((n, c) => n + (Array.isArray(c.parameters) ? c.parameters.length : 0), 0);
    const expected = bodyPlaceholderCount(template);
    if (bodyParams !== expected) {
      return graphError(
        400,
        132000,
        'Number of parameters does not match the expected number of params',
        `body: number of localizable_params (${bodyParams}) does not match the expected number of params (${expected})`,
      );
    }
    return undefined;
  }

  private authorize(input: SandboxInput, version?: string): Authorized {
    if (version !== undefined && !VERSION.test(version)) {
      return { denied: graphError(400, 2500, `Unknown path components: /${version}`) };
    }
    const token = bearerToken(input.headers) ?? input.query.access_token;
    if (!token) return { denied: graphError(401, 190, 'An active access token must be used to query information about the current user.') };
    if (isRejectedToken(token)) return { denied: graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token') };
    return { token };
  }

  private unknownObject(id: string): SandboxJsonResult {
    return graphError(
      400,
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    );
  }
}
