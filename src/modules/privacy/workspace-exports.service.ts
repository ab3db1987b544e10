import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, StreamableFile } from '@nestjs/common';
import { canSeePii, isUuid, RequestCtx } from '../../common/authz';
import { ConflictError, NotFoundError } from '../../common/errors';
import { TENANT_FILTER } from '../../infrastructure/database';
import { FileStorage, InjectFileStorage } from '../../infrastructure/storage';
import type { WorkspaceExportView } from './dto/workspace-export.dto';
import { WorkspaceExport } from './entities/workspace-export.entity';
import { writeWorkspaceExport } from './export/workspace-export.writer';
import { PrivacyJobsService } from './privacy-jobs.service';
import { DOWNLOAD_TTL_MS, exportKey, toExportView } from './privacy.views';

const exportNotFound = () => new NotFoundError('Export');

/** Whole-workspace exports (data portability): a job writes the archive, owners and admins download it for 7 days. */
@Injectable()
export class WorkspaceExportsService {
  private readonly logger = new Logger(WorkspaceExportsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly jobs: PrivacyJobsService,
    @InjectFileStorage() private readonly storage: FileStorage,
  ) {}

  async create(ctx: RequestCtx): Promise<WorkspaceExportView> {
    const row = await this.em.transactional(async (em) => {
      const created = em.create(WorkspaceExport, { workspaceId: ctx.workspaceId, requestedByType: ctx.actor.type, requestedById: ctx.actor.id, piiMasked: !canSeePii(ctx) });
      await em.flush();
      return created;
    });
    this.jobs.export(ctx.workspaceId, row.id);
    return toExportView(row);
  }

  async get(ctx: RequestCtx, id: string): Promise<WorkspaceExportView> {
    return toExportView(await this.load(ctx, id));
  }

  /** 409 until the archive is complete; 404 once it expired. */
  async download(ctx: RequestCtx, id: string): Promise<StreamableFile> {
    const row = await this.load(ctx, id);
    if (row.status === 'expired' || (row.expiresAt && row.expiresAt <= new Date())) throw new NotFoundError('Export (it expired 7 days after completion)');
    if (row.status !== 'completed' || !row.storageKey) throw new ConflictError(`The export is ${row.status}; it can be downloaded once it is completed.`);
    const file = await this.storage.getStream(row.storageKey);
    return new StreamableFile(file.stream, { type: 'application/gzip', length: file.size, disposition: `attachment; filename="nanozons-export-${row.id}.tar.gz"` });
  }

  /** The job: builds the archive once; a failure is retried by Bull, the last one marks it failed. */
  async run(workspaceId: string, exportId: string): Promise<void> {
    const em = this.jobEm(workspaceId);
    const row = await em.findOne(WorkspaceExport, { id: exportId, workspaceId });
    if (!row || row.status === 'completed' || row.status === 'expired') return;
    await em.nativeUpdate(WorkspaceExport, { id: exportId, workspaceId }, { status: 'running' });
    const key = exportKey(workspaceId, exportId);
    const { stored, rows } = await writeWorkspaceExport(this.em.fork(), this.storage, workspaceId, key, { maskPii: row.piiMasked });
    const completedAt = new Date();
    await em.nativeUpdate(WorkspaceExport, { id: exportId, workspaceId }, { status: 'completed', storageKey: key, size: stored.size, completedAt, expiresAt: new Date(completedAt.getTime() + DOWNLOAD_TTL_MS), error: null });
    this.logger.log(`export ${exportId}: ${Object.values(rows).reduce((a, b) => a + b, 0)} rows, ${stored.size} bytes`);
  }

  async markFailed(workspaceId: string, exportId: string, error: string): Promise<void> {
    await this.jobEm(workspaceId).nativeUpdate(WorkspaceExport, { id: exportId, workspaceId }, { status: 'failed', error: error.slice(0, 1000) });
  }

  async markRetrying(workspaceId: string, exportId: string): Promise<void> {
    await this.jobEm(workspaceId).nativeUpdate(WorkspaceExport, { id: exportId, workspaceId, status: 'running' }, { status: 'pending' });
  }

  private jobEm(workspaceId: string): EntityManager {
    const em = this.em.fork();
    em.setFilterParams(TENANT_FILTER, { workspaceId });
    return em;
  }

  private async load(ctx: RequestCtx, id: string): Promise<WorkspaceExport> {
    if (!isUuid(id)) throw exportNotFound();
    const row = await this.em.findOne(WorkspaceExport, { id, workspaceId: ctx.workspaceId });
    if (!row) throw exportNotFound();
    return row;
  }
}
