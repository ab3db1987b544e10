import { buildAbility, AppAbility } from './ability.factory';
import { BUILT_IN_PERMISSIONS } from './permissions';

export type ActorType = 'user' | 'api_key' | 'system' | 'provider';

export interface Actor {
  type: ActorType;
  id: string;
}

/** Who is acting, in which workspace, with which abilities. Services take it first. */
export interface RequestCtx {
  actor: Actor;
  workspaceId: string;
  /** The person behind the call (also set for their API keys' creator? no: only for users). */
  userId?: string;
  roleName: string;
  ability: AppAbility;
  requestId?: string;
  ip?: string;
}

/** Context for jobs and provider-triggered work: full rights inside one workspace. */
export function systemCtx(workspaceId: string, actor: Actor = { type: 'system', id: 'system' }): RequestCtx {
  return { actor, workspaceId, roleName: 'system', ability: buildAbility(BUILT_IN_PERMISSIONS.owner) };
}

/** The authenticated caller before a workspace is resolved. */
export interface Principal {
  type: 'user' | 'api_key';
  id: string;
  userId?: string;
  /** API keys belong to one workspace. */
  workspaceId?: string;
  roleId?: string;
}
