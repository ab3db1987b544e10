import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { RequestCtx } from '../../common/authz';
import { ValidationFailedError } from '../../common/errors';
import { PageQuery, decodeIdCursor, toPage } from '../../common/pagination';
import { ConsentHistoryView, ConsentView, toConsentView } from './consent.view';
import { findLiveContact } from './contact-lookup';
import { RecordConsentDto } from './dto/consent.dto';
import { Consent } from './entities/consent.entity';

const MAX_EVIDENCE_BYTES = 16 * 1024;

/** The append-only consent ledger: entries are only ever added; per channel the newest wins. */
@Injectable()
export class ConsentsService {
  constructor(private readonly em: EntityManager) {}

  async history(ctx: RequestCtx, contactId: string, q: PageQuery): Promise<ConsentHistoryView> {
    await findLiveContact(this.em, ctx.workspaceId, contactId);
    const after = decodeIdCursor(q.cursor);
    const where = { workspaceId: ctx.workspaceId, contactId };
    const [rows, current] = await Promise.all([
      this.em.find(Consent, { ...where, ...(after ? { id: { $lt: after } } : {}) }, { orderBy: { id: 'desc' }, limit: q.limit + 1 }),
      this.current(ctx.workspaceId, contactId),
    ]);
    return { ...toPage(rows, q.limit, (r) => ({ id: r.id }), toConsentView), current };
  }

  async record(ctx: RequestCtx, contactId: string, dto: RecordConsentDto): Promise<ConsentView> {
    if (dto.evidence && Buffer.byteLength(JSON.stringify(dto.evidence)) > MAX_EVIDENCE_BYTES) {
      throw new ValidationFailedError([{ field: 'evidence', message: `must be at most ${MAX_EVIDENCE_BYTES} bytes of JSON` }]);
    }
    return this.em.transactional(async (em) => {
      const contact = await findLiveContact(em, ctx.workspaceId, contactId, LockMode.PESSIMISTIC_READ);
      const consent = em.create(Consent, {
        workspaceId: ctx.workspaceId,
        contactId: contact.id,
        channelType: dto.channelType,
        status: dto.status,
        source: dto.source,
        evidence: dto.evidence ?? null,
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
      });
      await em.flush();
      return toConsentView(consent);
    });
  }

  private async current(workspaceId: string, contactId: string): Promise<ConsentHistoryView['current']> {
    const newest = await this.em.execute<{ id: string }[]>(
      'select distinct on (channel_type) id from contact_consents where workspace_id = ? and contact_id = ? order by channel_type, id desc',
      [workspaceId, contactId],
    );
    if (!newest.length) return {};
    const rows = await this.em.find(Consent, { workspaceId, id: { $in: newest.map((r) => r.id) } });
    return Object.fromEntries(rows.map((r) => [r.channelType, toConsentView(r)]));
  }
}
