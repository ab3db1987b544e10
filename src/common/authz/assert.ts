import { subject as asSubject } from '@casl/ability';
import { ForbiddenError } from '../errors';
import { buildAbility } from './ability.factory';
import { Action, ACTIONS, PermissionRule, Subject, SUBJECTS } from './permissions';
import type { RequestCtx } from './request-ctx';

/** Record-level check after loading: the route said "may read Conversation", this says "this one". */
export function assertCan(ctx: RequestCtx, action: Action, subject: Subject, record?: object): void {
  const target = record ? asSubject(subject, { ...record }) : subject;
  if (!ctx.ability.can(action, target as never)) {
    throw new ForbiddenError(`Your role does not allow ${action} on ${subject}.`);
  }
}

export const can = (ctx: RequestCtx, action: Action, subject: Subject): boolean => ctx.ability.can(action, subject);

const CONCRETE_ACTIONS = ACTIONS.filter((a) => a !== 'manage');

/**
 * No privilege escalation: a caller may only hand out (in a role, a membership or an API key)
 * what its own role allows, so an admin cannot mint a role that closes the workspace.
 */
export function assertMayGrant(ctx: RequestCtx, permissions: PermissionRule[]): void {
  const granted = buildAbility(permissions);
  const missing = SUBJECTS.flatMap((s) => CONCRETE_ACTIONS.filter((a) => granted.can(a, s) && !ctx.ability.can(a, s)).map((a) => `${a} ${s}`));
  if (missing.length) throw new ForbiddenError(`Your role cannot grant permissions it does not have: ${missing.join(', ')}.`);
}
