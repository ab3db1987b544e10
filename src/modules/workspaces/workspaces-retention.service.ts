import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { countAffected } from '../../infrastructure/database';

/** What the workspaces module keeps only for a while; the privacy module's retention job calls these. */
@Injectable()
export class WorkspacesRetentionService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Invitations past their 7 days that nobody accepted, with the pending membership holding the
   * invitee's email (an accepted one is a member now and stays). Returns invitations removed.
   */
  async purgeExpiredInvitations(now: Date): Promise<number> {
    return this.em.transactional(async (em) => {
      const memberships = await em.execute<{ membership_id: string }[]>(
        'delete from invitations where accepted_at is null and expires_at < ? returning membership_id',
        [now],
      );
      if (memberships.length) {
        await em.execute("delete from memberships where status = 'invited' and id in (select jsonb_array_elements_text(?::jsonb)::uuid)", [
          JSON.stringify(memberships.map((m) => m.membership_id)),
        ]);
      }
      return memberships.length;
    });
  }

  /** Refresh tokens past their expiry: they can never be used again, not even to detect reuse. */
  purgeExpiredRefreshTokens(now: Date): Promise<number> {
    return countAffected(this.em, 'delete from refresh_tokens where expires_at < ?', [now]);
  }

  /** Closing workspaces whose 30-day restore period ended by `now`. */
  async dueForDeletion(now: Date): Promise<string[]> {
    const rows = await this.em.execute<{ id: string }[]>("select id from workspaces where status = 'closing' and deletion_due_at <= ? order by deletion_due_at", [now]);
    return rows.map((r) => r.id);
  }
}
