/** The permission catalog of API.md: actions × subjects. Custom roles are composed from it. */
export const ACTIONS = ['manage', 'create', 'read', 'update', 'delete', 'send', 'approve', 'export', 'erase'] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = [
  'Workspace',
  'Member',
  'Role',
  'ApiKey',
  'Channel',
  'Template',
  'WebhookEvent',
  'Contact',
  'ContactPii',
  'Consent',
  'Conversation',
  'Message',
  'AiArtifact',
  'PrivacyRequest',
  'Export',
  'AuditEvent',
  'Usage',
  'WebhookSubscription',
] as const;
export type Subject = (typeof SUBJECTS)[number];

/** `all` is CASL's wildcard subject; only built-in roles and `manage` rules use it. */
export type SubjectOrAll = Subject | 'all';

export interface PermissionRule {
  action: Action;
  subject: SubjectOrAll;
  /** CASL conditions on the record's fields (e.g. `{assigneeId: "${user.id}"}`). */
  conditions?: Record<string, unknown>;
  /** A `cannot` rule. */
  inverted?: boolean;
}

export const BUILT_IN_ROLES = ['owner', 'admin', 'agent', 'viewer'] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

const rules = (action: Action, ...subjects: Subject[]): PermissionRule[] => subjects.map((subject) => ({ action, subject }));

/** Built-in roles exactly as API.md describes them. */
export const BUILT_IN_PERMISSIONS: Record<BuiltInRole, PermissionRule[]> = {
  owner: [{ action: 'manage', subject: 'all' }],
  // Closing/restoring the workspace is `delete Workspace`; owner grants are checked in the members service.
  admin: [
    { action: 'manage', subject: 'all' },
    { action: 'delete', subject: 'Workspace', inverted: true },
  ],
  agent: [
    // `read Channel` shows id, type, name and status only: config needs `update Channel` (channels service).
    ...rules('read', 'Workspace', 'Contact', 'ContactPii', 'Conversation', 'Message', 'Template', 'Usage', 'Channel'),
    ...rules('send', 'Message'),
    ...rules('create', 'Message'),
    ...rules('update', 'Conversation'),
    { action: 'manage', subject: 'Consent' },
    ...rules('create', 'AiArtifact'),
    ...rules('read', 'AiArtifact'),
    ...rules('update', 'AiArtifact'),
    ...rules('approve', 'AiArtifact'),
  ],
  viewer: rules('read', 'Workspace', 'Contact', 'Conversation', 'Message', 'Usage', 'Channel'),
};
