import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, StreamableFile } from '@nestjs/common';
import { assertCan, isUuid, RequestCtx, systemCtx } from '../../common/authz';
import { ConflictError, NotFoundError } from '../../common/errors';
import { DomainEventsSubscriber } from '../../common/events';
import { DataSubject, PersonalDataRegistry } from '../../common/privacy';
import { TENANT_FILTER } from '../../infrastructure/database';
import { FileStorage, InjectFileStorage } from '../../infrastructure/storage';
import { AuditService } from '../audit';
import { IdentityService, KINDS_OF_CHANNEL } from '../identity';
import type { CreatePrivacyRequestDto, PrivacyRequestView } from './dto/privacy-request.dto';
import { PrivacyRequest, PrivacyRequestType } from './entities/privacy-request.entity';
import { PrivacyJobsService } from './privacy-jobs.service';
import { accessDocumentKey, DOWNLOAD_TTL_MS, toPrivacyRequestView } from './privacy.views';

/** What each request type needs beyond `create PrivacyRequest` (API.md: only roles with erase / export may ask). */
const PERMISSION_OF: Record<PrivacyRequestType, 'erase' | 'export' | 'update'> = { erasure: 'erase', access: 'export', restriction: 'update', unrestriction: 'update' };

const privacyRequestNotFound = () => new NotFoundError('Privacy request');

/**
 * Data subjects' rights: access, erasure (whole or one channel type), restriction. Each is a row
 * and a job; the job walks the PersonalDataRegistry, so a module that keeps personal data later is
 * covered by registering its holder, not by editing this service.
 */
@Injectable()
export class PrivacyRequestsService {
  private readonly logger = new Logger(PrivacyRequestsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly registry: PersonalDataRegistry,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly domainEvents: DomainEventsSubscriber,
    private readonly jobs: PrivacyJobsService,
    @InjectFileStorage() private readonly storage: FileStorage,
  ) {}

  /** A second erasure of the same contact (and scope) answers the first request instead of a new one. */
  async create(ctx: RequestCtx, dto: CreatePrivacyRequestDto): Promise<PrivacyRequestView> {
    assertCan(ctx, PERMISSION_OF[dto.type], 'Contact');
    const channelType = dto.type === 'erasure' ? (dto.scope?.channelType ?? null) : null;
    if (dto.type === 'erasure') {
      const earlier = await this.em.findOne(
        PrivacyRequest,
        { workspaceId: ctx.workspaceId, contactId: dto.contactId, type: 'erasure', channelType, status: { $ne: 'failed' } },
        { orderBy: { id: 'asc' } },
      );
      if (earlier) return toPrivacyRequestView(earlier);
    }
    const contact = await this.identity.getContact(ctx.workspaceId, dto.contactId);
    if (!contact) throw new NotFoundError('Contact');
    if (contact.mergedIntoId) throw new NotFoundError('Contact', { mergedInto: contact.mergedIntoId });
    const request = await this.em.transactional(async (em) => {
      const row = em.create(PrivacyRequest, {
        workspaceId: ctx.workspaceId,
        type: dto.type,
        contactId: contact.id,
        channelType,
        requestedByType: ctx.actor.type,
        requestedById: ctx.actor.id,
      });
      await em.flush();
      return row;
    });
    this.jobs.request(ctx.workspaceId, request.id);
    return toPrivacyRequestView(request);
  }

  async get(ctx: RequestCtx, id: string): Promise<PrivacyRequestView> {
    return toPrivacyRequestView(await this.load(ctx, id));
  }

  /** The access document; 409 until the job completed, 404 once it expired (7 days). */
  async download(ctx: RequestCtx, id: string): Promise<StreamableFile> {
    const request = await this.load(ctx, id);
    if (request.type !== 'access') throw new ConflictError('Only access requests have a document to download.');
    if (request.status !== 'completed') throw new ConflictError(`The request is ${request.status}; the document is ready once it is completed.`);
    if (!request.documentKey || (request.expiresAt && request.expiresAt <= new Date())) throw new NotFoundError('Access document (it expired 7 days after completion)');
    const file = await this.storage.getStream(request.documentKey);
    return new StreamableFile(file.stream, { type: 'application/json', length: file.size, disposition: `attachment; filename="privacy-request-${request.id}.json"` });
  }

  /** The job: runs the request once (a completed one is left alone) and records the outcome. */
  async run(workspaceId: string, requestId: string): Promise<void> {
    const em = this.jobEm(workspaceId);
    const request = await em.findOne(PrivacyRequest, { id: requestId, workspaceId });
    if (!request || request.status === 'completed') return;
    await em.nativeUpdate(PrivacyRequest, { id: requestId, workspaceId }, { status: 'running' });
    const subject = await this.subjectOf(request);
    const documentKey = request.type === 'access' ? await this.buildAccessDocument(request, subject) : null;
    if (request.type === 'erasure') await this.erase(subject);
    if (request.type === 'restriction' || request.type === 'unrestriction') {
      await this.identity.setProcessingRestricted(workspaceId, request.contactId, request.type === 'restriction');
    }
    const completedAt = new Date();
    const download = documentKey ? { documentKey, expiresAt: new Date(completedAt.getTime() + DOWNLOAD_TTL_MS) } : {};
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(PrivacyRequest, { id: requestId, workspaceId }, { status: 'completed', completedAt, error: null, ...download });
      const actor = systemCtx(workspaceId).actor;
      await this.audit.record({ workspaceId, actor, action: 'privacy.request_completed', subjectType: 'PrivacyRequest', subjectId: requestId, changes: { type: request.type, contactId: request.contactId } });
      this.domainEvents.emitAfterCommit(tx, 'privacy.request.completed', { workspaceId, requestId });
    });
    this.logger.log(`privacy request ${requestId} (${request.type}) completed`);
  }

  /** After the last attempt: the request is `failed` with the reason (the contact's data may be partly gone; asking again retries). */
  async markFailed(workspaceId: string, requestId: string, error: string): Promise<void> {
    await this.jobEm(workspaceId).nativeUpdate(PrivacyRequest, { id: requestId, workspaceId }, { status: 'failed', error: error.slice(0, 1000) });
  }

  /** Back to pending between attempts, so the sweeper and GET see it waiting again. */
  async markRetrying(workspaceId: string, requestId: string): Promise<void> {
    await this.jobEm(workspaceId).nativeUpdate(PrivacyRequest, { id: requestId, workspaceId, status: 'running' }, { status: 'pending' });
  }

  private async subjectOf(request: PrivacyRequest): Promise<DataSubject> {
    const all = await this.identity.identifiersOf(request.workspaceId, request.contactId);
    const kinds = request.channelType ? KINDS_OF_CHANNEL[request.channelType] : null;
    const identifiers = all.filter((i) => !kinds || kinds.includes(i.kind)).map((i) => ({ kind: i.kind, value: i.value }));
    return { workspaceId: request.workspaceId, contactId: request.contactId, channelType: request.channelType ?? undefined, identifiers };
  }

  /** Every holder erases inside one transaction: a failure leaves the person's data whole for the retry. */
  private async erase(subject: DataSubject): Promise<void> {
    await this.jobEm(subject.workspaceId).transactional(async (tx) => {
      for (const holder of this.registry.list()) {
        const n = await holder.erase(tx, subject);
        this.logger.log(`erasure ${subject.contactId}: ${holder.name} removed or redacted ${n} row(s)`);
      }
    });
  }

  /** One JSON document, a section per holder, read in one snapshot; answers where it is stored. */
  private async buildAccessDocument(request: PrivacyRequest, subject: DataSubject): Promise<string> {
    const sections: Record<string, unknown> = {};
    await this.jobEm(request.workspaceId).transactional(async (tx) => {
      for (const holder of this.registry.list()) {
        const section = await holder.collect(tx, subject);
        if (section !== null && section !== undefined) sections[holder.name] = section;
      }
    });
    const document = { requestId: request.id, workspaceId: request.workspaceId, contactId: request.contactId, generatedAt: new Date().toISOString(), ...sections };
    const documentKey = accessDocumentKey(request.workspaceId, request.id);
    await this.storage.put(documentKey, Buffer.from(JSON.stringify(document, null, 2)), 'application/json', { maxBytes: Number.MAX_SAFE_INTEGER });
    return documentKey;
  }

  /** Jobs run outside a request: a fork scoped to the request's workspace. */
  private jobEm(workspaceId: string): EntityManager {
    const em = this.em.fork();
    em.setFilterParams(TENANT_FILTER, { workspaceId });
    return em;
  }

  private async load(ctx: RequestCtx, id: string): Promise<PrivacyRequest> {
    if (!isUuid(id)) throw privacyRequestNotFound();
    const request = await this.em.findOne(PrivacyRequest, { id, workspaceId: ctx.workspaceId });
    if (!request) throw privacyRequestNotFound();
    return request;
  }
}
