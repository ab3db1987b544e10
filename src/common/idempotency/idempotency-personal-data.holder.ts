import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSubject, likePatterns, needlesOf, PersonalDataRegistry } from '../privacy';

/**
 * Stored answers of Idempotency-Key requests (kept 24 h) can carry a person's addresses, e.g. a
 * created contact. An erasure forgets those of the workspace that mention the person; a retry
 * with such a key then runs again instead of replaying erased data.
 */
@Injectable()
export class IdempotencyPersonalDataHolder implements OnModuleInit {
  readonly name = 'idempotency';
  readonly erasureOrder = 50;

  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register(this);
  }

  collect(): Promise<unknown> {
    return Promise.resolve(null);
  }

  async erase(em: EntityManager, s: DataSubject): Promise<number> {
    const needles = needlesOf(s.identifiers ?? []);
    if (!needles.length) return 0;
    const rows = await em.execute<{ n: number }[]>(
      `with d as (delete from idempotency_keys where scope like ? and response::text ilike any (array(select jsonb_array_elements_text(?::jsonb))) returning 1)
       select count(*)::int as n from d`,
      [`%"wid":"${s.workspaceId}"%`, likePatterns(needles)],
    );
    return rows[0].n;
  }
}
