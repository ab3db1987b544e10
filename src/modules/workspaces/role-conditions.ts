import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import type { Subject } from '../../common/authz';

/**
 * The record fields a custom role's CASL conditions may test, per subject (as the services pass
 * records to the record-level check). A condition on any other field would silently never match,
 * and free-form Mongo queries ($where, $regex, nested operators) are a denial-of-service and
 * injection surface, so both are refused up front.
 */
const CONDITION_FIELDS: Record<Subject, readonly string[]> = {
  Workspace: ['id', 'name', 'status'],
  Member: ['id', 'userId', 'email', 'roleId', 'status'],
  Role: ['id', 'name', 'builtIn'],
  ApiKey: ['id', 'name', 'roleId', 'createdBy'],
  Channel: ['id', 'type', 'name', 'status'],
  Template: ['id', 'channelId', 'name', 'language', 'category', 'status'],
  WebhookEvent: ['id', 'channelId', 'status'],
  Contact: ['id', 'name', 'processingRestricted'],
  ContactPii: ['id'],
  Consent: ['id', 'contactId', 'channelType', 'status', 'source'],
  Conversation: ['id', 'contactId', 'status', 'assigneeId', 'labels'],
  Message: ['id', 'conversationId', 'channelId', 'contactId', 'direction', 'type', 'status', 'authorType', 'authorId', 'aiAssisted'],
  AiArtifact: ['id', 'conversationId', 'kind', 'status', 'messageId'],
  PrivacyRequest: ['id', 'contactId', 'type', 'status'],
  Export: ['id', 'status'],
  AuditEvent: ['id', 'action', 'actorType', 'actorId', 'subjectType'],
  Usage: ['date'],
  WebhookSubscription: ['id', 'url'],
};

const SCALAR_OPERATORS = ['$eq', '$ne'];
const LIST_OPERATORS = ['$in', '$nin'];
const OPERATORS = [...SCALAR_OPERATORS, ...LIST_OPERATORS];
const MAX_FIELDS = 20;
const MAX_LIST = 100;
const MAX_STRING = 500;

const isScalar = (v: unknown) => v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= MAX_STRING);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first problem with `conditions` on `subject`, or undefined when they are safe. */
export function conditionsProblem(subject: Subject, conditions: unknown): string | undefined {
  if (!isPlainObject(conditions)) return 'conditions must be an object';
  const fields = CONDITION_FIELDS[subject] ?? [];
  const entries = Object.entries(conditions);
  if (entries.length > MAX_FIELDS) return `conditions may test at most ${MAX_FIELDS} fields`;
  for (const [field, test] of entries) {
    if (!fields.includes(field)) return `unknown field "${field}" for ${subject}; allowed: ${fields.join(', ')}`;
    if (isScalar(test)) continue;
    if (!isPlainObject(test)) return `"${field}" must be a string, number, boolean, null or an operator object`;
    for (const [op, value] of Object.entries(test)) {
      if (!OPERATORS.includes(op)) return `unknown operator "${op}" on "${field}"; allowed: ${OPERATORS.join(', ')}`;
      const ok = SCALAR_OPERATORS.includes(op) ? isScalar(value) : Array.isArray(value) && value.length <= MAX_LIST && value.every(isScalar);
      if (!ok) return `"${field}.${op}" needs ${SCALAR_OPERATORS.includes(op) ? 'a scalar' : `a list of at most ${MAX_LIST} scalars`}`;
    }
  }
  return undefined;
}

/** Validates a permission's `conditions` against the `subject` of the same permission. */
export function IsSafeConditions(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSafeConditions',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => !conditionsProblem((args.object as { subject: Subject }).subject, value),
        defaultMessage: (args?: ValidationArguments) => conditionsProblem((args!.object as { subject: Subject }).subject, args!.value) ?? 'invalid conditions',
      },
    });
}
