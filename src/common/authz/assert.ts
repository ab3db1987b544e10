import { subject as asSubject } from '@casl/ability';
import { rulesToQuery } from '@casl/ability/extra';
import { ForbiddenError } from '../errors';
import { buildAbility } from './ability.factory';
import { Action, ACTIONS, PermissionRule, Subject, SUBJECTS } from './permissions';
import type { RequestCtx } from './request-ctx';

/** Whether the caller may `action` on `subject`, or on this one loaded record of it. */
export function can(ctx: RequestCtx, action: Action, subject: Subject, record?: object): boolean {
  const target = record ? asSubject(subject, { ...record }) : subject;
  return ctx.ability.can(action, target as never);
}

/** Record-level check after loading: the route said "may read Conversation", this says "this one". */
export function assertCan(ctx: RequestCtx, action: Action, subject: Subject, record?: object): void {
  if (!can(ctx, action, subject, record)) throw new ForbiddenError(`Your role does not allow ${action} on ${subject}.`);
}

/**
 * The role's conditions for `action` on `subject` as a MikroORM where-clause to merge into a list
 * query (`{}` when unconditional). Filtering in the database rather than the loaded page keeps
 * keyset pages full and the cursor on a row the caller may see. Condition fields are the records'
 * property names and their operators ($eq, $ne, $in, $nin; see role-conditions) are MikroORM's too.
 */
export function permittedWhere(ctx: RequestCtx, action: Action, subject: Subject): Record<string, unknown> {
  const query = rulesToQuery(ctx.ability, action, subject, (rule) => (rule.inverted ? { $not: rule.conditions } : rule.conditions!));
  if (!query) throw new ForbiddenError(`Your role does not allow ${action} on ${subject}.`);
  return { ...query };
}

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
