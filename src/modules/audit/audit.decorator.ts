import { SetMetadata } from '@nestjs/common';

export const AUDIT_KEY = 'audit:action';

export interface AuditSpec {
  action: string;
  subjectType: string;
  /** Path param holding the subject id; otherwise the answer's `id`. */
  idParam?: string;
}

/** Names the audit action of a mutating route; the interceptor writes the entry after success. */
export const Audited = (action: string, subjectType: string, idParam?: string) =>
  SetMetadata(AUDIT_KEY, { action, subjectType, idParam } satisfies AuditSpec);

/** A POST that changes nothing (minting a short-lived credential): no audit entry. */
export const NotAudited = () => SetMetadata(AUDIT_KEY, false);
