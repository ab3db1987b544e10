import { createMongoAbility, MongoAbility, RawRuleOf } from '@casl/ability';
import { Action, PermissionRule, SubjectOrAll } from './permissions';

export type AppAbility = MongoAbility<[Action, SubjectOrAll | Record<string, unknown>]>;

/** One ability per request, built from the member's current role rules (deny by default). */
export function buildAbility(permissions: PermissionRule[]): AppAbility {
  const raw = permissions.map(
    (p): RawRuleOf<AppAbility> => ({
      action: p.action,
      subject: p.subject,
      ...(p.conditions ? { conditions: p.conditions } : {}),
      ...(p.inverted ? { inverted: true } : {}),
    }),
  );
  return createMongoAbility<AppAbility>(raw);
}
