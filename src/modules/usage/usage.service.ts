import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { RequestCtx } from '../../common/authz';
import { ValidationFailedError } from '../../common/errors';
import type { UsageDayView, UsageEventAcceptedView, UsageEventDto, UsageQuery, UsageView } from './dto/usage.dto';
import { UsageBuffer } from './usage-buffer.service';

const DAY_MS = 24 * 3600 * 1000;
const MAX_DAYS = 366;

const emptyDay = (date: string): UsageDayView => ({
  date,
  messagesIn: { email: 0, whatsapp: 0, telegram: 0 },
  messagesOut: { email: 0, whatsapp: 0, telegram: 0 },
  deliveryFailures: 0,
  aiRequests: 0,
  aiDrafts: { approvedUnedited: 0, approvedEdited: 0, discarded: 0 },
  apiCalls: 0,
  activeMembers: 0,
});

/** Where each stored metric lands in a day of API.md's shape; metrics it does not show are kept but not listed. */
function apply(day: UsageDayView, metric: string, dimension: string, value: number): void {
  const channel = dimension as keyof UsageDayView['messagesIn'];
  if (metric === 'messages_in' && channel in day.messagesIn) day.messagesIn[channel] += value;
  else if (metric === 'messages_out' && channel in day.messagesOut) day.messagesOut[channel] += value;
  else if (metric === 'delivery_failures') day.deliveryFailures += value;
  else if (metric === 'ai_requests') day.aiRequests += value;
  else if (metric === 'ai_drafts_approved_unedited') day.aiDrafts.approvedUnedited += value;
  else if (metric === 'ai_drafts_approved_edited') day.aiDrafts.approvedEdited += value;
  else if (metric === 'ai_drafts_discarded') day.aiDrafts.discarded += value;
  else if (metric === 'api_calls') day.apiCalls += value;
  else if (metric === 'active_members') day.activeMembers = value;
}

const parseDay = (field: string, value: string): number => {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) throw new ValidationFailedError([{ field, message: `${field} is not a calendar date` }]);
  return t;
};

@Injectable()
export class UsageService {
  constructor(
    private readonly em: EntityManager,
    private readonly buffer: UsageBuffer,
  ) {}

  /** One row per day of the range (zeros included), oldest first. */
  async daily(ctx: RequestCtx, q: UsageQuery): Promise<UsageView> {
    const to = q.to ? parseDay('to', q.to) : Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const from = q.from ? parseDay('from', q.from) : to - 29 * DAY_MS;
    if (from > to) throw new ValidationFailedError([{ field: 'from', message: 'from must not be after to' }]);
    if ((to - from) / DAY_MS >= MAX_DAYS) throw new ValidationFailedError([{ field: 'from', message: `the range may span at most ${MAX_DAYS} days` }]);
    const days = new Map<string, UsageDayView>();
    for (let t = from; t <= to; t += DAY_MS) {
      const date = new Date(t).toISOString().slice(0, 10);
      days.set(date, emptyDay(date));
    }
    const rows = await this.em.execute<{ date: string; metric: string; dimension: string; value: string }[]>(
      "select to_char(date, 'YYYY-MM-DD') as date, metric, dimension, value from usage_daily where workspace_id = ? and date between ?::date and ?::date",
      [ctx.workspaceId, new Date(from).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10)],
    );
    for (const row of rows) apply(days.get(row.date)!, row.metric, row.dimension, Number(row.value));
    return { data: [...days.values()] };
  }

  recordEvent(ctx: RequestCtx, dto: UsageEventDto): UsageEventAcceptedView {
    const acceptedAt = new Date();
    this.buffer.clientEvent({ workspaceId: ctx.workspaceId, actorType: ctx.actor.type, actorId: ctx.actor.id, name: dto.name, properties: dto.properties ?? null, at: acceptedAt });
    return { name: dto.name, acceptedAt };
  }
}
