import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Principal, RequestCtx } from '../../common/authz';
import { ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { decodeIdCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { AuditService } from '../audit';
import { UpdateWorkspaceDto } from './dto/workspace.dto';
import { Membership } from './entities/membership.entity';
import { User } from './entities/user.entity';
import { Workspace, WorkspaceSettings } from './entities/workspace.entity';
import { RolesService } from './roles.service';
import { MyWorkspaceView, toWorkspaceView, WorkspaceView } from './workspace.view';
import { WORKSPACE_CLOSED_EVENT } from './workspaces.events';

const CLOSE_GRACE_MS = 30 * 24 * 3600 * 1000;

@Injectable()
export class WorkspacesService {
  constructor(
    private readonly em: EntityManager,
    private readonly roles: RolesService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  /** The workspaces a person is an active member of, with their role there; keyset on the workspace id. */
  async listMine(principal: Principal, q: PageQuery): Promise<Page<MyWorkspaceView>> {
    if (principal.type !== 'user') throw new ForbiddenError('API keys act for one workspace; only people list theirs.');
    const after = decodeIdCursor(q.cursor);
    const rows = await this.em.execute<{ id: string; name: string; status: string; role: string; role_id: string }[]>(
      `select w.id, w.name, w.status, r.name as role, r.id as role_id from memberships m
       join workspaces w on w.id = m.workspace_id
       join roles r on r.workspace_id = m.workspace_id and r.id = m.role_id
       where m.user_id = ? and m.status = 'active' ${after ? 'and w.id > ?' : ''}
       order by w.id limit ?`,
      [principal.id, ...(after ? [after] : []), q.limit + 1],
    );
    return toPage(rows, q.limit, (r) => ({ id: r.id }), (r) => ({ id: r.id, name: r.name, status: r.status, role: r.role, roleId: r.role_id }));
  }

  /** A workspace with its built-in roles and the creator as owner, audited in it; call inside the caller's transaction. */
  async createWithOwner(userId: string, email: string, name: string): Promise<Workspace> {
    const workspace = this.em.create(Workspace, { name });
    const roles = this.roles.seedBuiltIns(workspace.id);
    const owner = roles.find((r) => r.name === 'owner')!;
    this.em.create(Membership, { workspaceId: workspace.id, userId, email, roleId: owner.id, status: 'active' });
    await this.em.flush();
    await this.audit.record({ workspaceId: workspace.id, actor: { type: 'user', id: userId }, action: 'workspace.created', subjectType: 'Workspace', subjectId: workspace.id, changes: { name } });
    return workspace;
  }

  async create(userId: string, name: string): Promise<WorkspaceView> {
    const workspace = await this.em.transactional(async () => {
      const user = await this.em.findOneOrFail(User, { id: userId });
      return this.createWithOwner(userId, user.email, name);
    });
    return toWorkspaceView(workspace);
  }

  async get(ctx: RequestCtx): Promise<WorkspaceView> {
    return toWorkspaceView(await this.load(ctx));
  }

  async update(ctx: RequestCtx, dto: UpdateWorkspaceDto): Promise<WorkspaceView> {
    const ws = await this.load(ctx);
    const { settings, ...fields } = dto;
    // Only the fields the caller sent: an absent optional field must not null a column.
    Object.assign(ws, definedOnly(fields));
    if (settings) ws.settings = { ...ws.settings, ...definedOnly(settings) };
    await this.em.flush();
    return toWorkspaceView(ws);
  }

  async close(ctx: RequestCtx): Promise<{ status: string; deletionDueAt: Date }> {
    const ws = await this.load(ctx);
    ws.status = 'closing';
    ws.deletionDueAt = new Date(Date.now() + CLOSE_GRACE_MS);
    await this.em.flush();
    await this.events.emitAsync(WORKSPACE_CLOSED_EVENT, { workspaceId: ws.id });
    return { status: ws.status, deletionDueAt: ws.deletionDueAt };
  }

  async restore(ctx: RequestCtx): Promise<WorkspaceView> {
    const ws = await this.load(ctx);
    if (ws.status !== 'closing') throw new ConflictError('The workspace is not closing.');
    if (ws.deletionDueAt && ws.deletionDueAt <= new Date()) throw new ConflictError('The restore period has ended.');
    ws.status = 'active';
    ws.deletionDueAt = null;
    await this.em.flush();
    return toWorkspaceView(ws);
  }

  /** The country national phone numbers are read in; a fork, so jobs outside a request can ask too. */
  async defaultCountry(workspaceId: string): Promise<string | undefined> {
    return (await this.settings(workspaceId))?.defaultCountry;
  }

  /** Settings read outside requests (inbound processing, jobs). */
  async settings(workspaceId: string): Promise<WorkspaceSettings | undefined> {
    const ws = await this.em.fork().findOne(Workspace, { id: workspaceId }, { fields: ['settings'] });
    return ws?.settings;
  }

  private async load(ctx: RequestCtx): Promise<Workspace> {
    const ws = await this.em.findOne(Workspace, { id: ctx.workspaceId });
    if (!ws) throw new NotFoundError('Workspace');
    return ws;
  }
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
