import { subject as asSubject } from '@casl/ability';
import { ForbiddenError } from '../errors';
import { Action, Subject } from './permissions';
import type { RequestCtx } from './request-ctx';

/** Record-level check after loading: the route said "may read Conversation", this says "this one". */
export function assertCan(ctx: RequestCtx, action: Action, subject: Subject, record?: object): void {
  const target = record ? asSubject(subject, { ...record }) : subject;
  if (!ctx.ability.can(action, target as never)) {
    throw new ForbiddenError(`Your role does not allow ${action} on ${subject}.`);
  }
}

export const can = (ctx: RequestCtx, action: Action, subject: Subject): boolean => ctx.ability.can(action, subject);
