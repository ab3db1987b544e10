import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { assertCan, isUuid, permittedWhere, type RequestCtx } from '../../common/authz';
import { decodeCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { ConflictError, DomainError, NotFoundError } from '../../common/errors';
import { isUniqueViolation } from '../../infrastructure/database';
import { adapterFor, ProviderError } from './adapters';
import { ChannelsService } from './channels.service';
import { CreateTemplateDto, UpdateTemplateDto } from './dto/template.dto';
import { Template, TemplateStatus } from './entities/template.entity';

const toView = (t: Template) => ({
  id: t.id,
  channelId: t.channelId,
  name: t.name,
  language: t.language,
  category: t.category,
  components: t.components,
  status: t.status,
  updatedAt: t.updatedAt,
});
export type TemplateView = ReturnType<typeof toView>;

const normalizeStatus = (status: string): TemplateStatus => {
  const s = status.toLowerCase();
  return (['approved', 'pending', 'rejected', 'paused', 'disabled'] as const).find((x) => x === s) ?? 'pending';
};

@Injectable()
export class TemplatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly channels: ChannelsService,
  ) {}

  async list(ctx: RequestCtx, channelId: string, q: PageQuery): Promise<Page<TemplateView>> {
    await this.whatsappChannel(ctx, channelId);
    // By name and language, which are unique per channel, so they are the keyset too.
    const after = decodeCursor<{ name: string; language: string }>(q.cursor, ['name', 'language']);
    const rows = await this.em.find(
      Template,
      {
        workspaceId: ctx.workspaceId,
        channelId,
        ...permittedWhere(ctx, 'read', 'Template'),
        ...(after ? { $or: [{ name: { $gt: after.name } }, { name: after.name, language: { $gt: after.language } }] } : {}),
      },
      { orderBy: { name: 'asc', language: 'asc' }, limit: q.limit + 1 },
    );
    return toPage(rows, q.limit, (t) => ({ name: t.name, language: t.language }), toView);
  }

  async create(ctx: RequestCtx, channelId: string, dto: CreateTemplateDto): Promise<TemplateView> {
    await this.whatsappChannel(ctx, channelId);
    const template = this.em.create(Template, { workspaceId: ctx.workspaceId, channelId, ...dto });
    try {
      await this.em.persistAndFlush(template);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`Template ${dto.name} (${dto.language}) already exists on this channel.`);
      throw e;
    }
    return toView(template);
  }

  async get(ctx: RequestCtx, channelId: string, templateId: string): Promise<TemplateView> {
    return toView(await this.load(ctx, channelId, templateId, 'read'));
  }

  async update(ctx: RequestCtx, channelId: string, templateId: string, dto: UpdateTemplateDto): Promise<TemplateView> {
    const template = await this.load(ctx, channelId, templateId, 'update');
    this.em.assign(template, dto);
    // Checked again on the result, so a field condition of a custom role cannot be edited away.
    assertCan(ctx, 'update', 'Template', template);
    await this.em.flush();
    return toView(template);
  }

  async remove(ctx: RequestCtx, channelId: string, templateId: string): Promise<void> {
    await this.em.removeAndFlush(await this.load(ctx, channelId, templateId, 'delete'));
  }

  /**
   * Pulls every template of the WhatsApp Business Account with Meta's status: new ones are added,
   * known ones updated. Sends accept only `approved` ones, so a template Meta pauses stops being
   * usable at the next sync instead of lingering as a stale approved copy.
   */
  async sync(ctx: RequestCtx, channelId: string): Promise<{ data: TemplateView[]; synced: number }> {
    const channel = await this.whatsappChannel(ctx, channelId);
    let remote;
    try {
      remote = await adapterFor('whatsapp').listTemplates(this.channels.credentialsOf(channel));
    } catch (e) {
      if (e instanceof ProviderError) throw new DomainError('service_unavailable', `The Graph API could not list templates: ${e.message}`, {}, 502);
      throw e;
    }
    const existing = await this.em.find(Template, { workspaceId: ctx.workspaceId, channelId });
    const byKey = new Map(existing.map((t) => [`${t.name}|${t.language}`, t]));
    for (const r of remote) {
      const found = byKey.get(`${r.name}|${r.language}`);
      const fields = { category: r.category, components: r.components, status: normalizeStatus(r.status) };
      if (found) Object.assign(found, fields);
      else this.em.create(Template, { workspaceId: ctx.workspaceId, channelId, name: r.name, language: r.language, ...fields });
    }
    await this.em.flush();
    const all = await this.em.find(Template, { workspaceId: ctx.workspaceId, channelId, ...permittedWhere(ctx, 'read', 'Template') }, { orderBy: { name: 'asc', language: 'asc' } });
    return { data: all.map(toView), synced: remote.length };
  }

  /** The components of an approved template of the channel (for the send policy), or null. */
  async findApproved(workspaceId: string, channelId: string, name: string, language: string): Promise<{ components: unknown[] } | null> {
    const template = await this.em.findOne(Template, { workspaceId, channelId, name, language, status: 'approved' });
    return template ? { components: template.components } : null;
  }

  private async load(ctx: RequestCtx, channelId: string, templateId: string, action: 'read' | 'update' | 'delete'): Promise<Template> {
    await this.whatsappChannel(ctx, channelId);
    const template = isUuid(templateId) ? await this.em.findOne(Template, { id: templateId, workspaceId: ctx.workspaceId, channelId }) : null;
    if (!template) throw new NotFoundError('Template');
    assertCan(ctx, action, 'Template', template);
    return template;
  }

  private async whatsappChannel(ctx: RequestCtx, channelId: string) {
    const channel = await this.channels.load(ctx, channelId);
    if (channel.type !== 'whatsapp') throw new ConflictError('Templates exist only on WhatsApp channels.');
    return channel;
  }
}
