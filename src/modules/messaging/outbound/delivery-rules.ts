import type { DeliveryStatus } from '../../channels';
import type { StatusChange } from '../entities/message.entity';

/** Outbound statuses in the order they happen; `failed` sits outside the ladder. */
const RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

const rank = (status: string) => RANK[status] ?? -1;

/** A retry starts a new cycle at its `queued`; earlier cycles stay as they were. */
const cycleStart = (history: StatusChange[]) => history.map((h) => h.status).lastIndexOf('queued');

/**
 * Within the current cycle: causal order first (providers stamp in whole seconds, so a `delivered`
 * may carry an earlier second than our own `sent`), then time.
 */
function withinCycle(history: StatusChange[], added: StatusChange[]): StatusChange[] {
  const start = Math.max(0, cycleStart(history));
  const cycle = [...history.slice(start), ...added].sort((a, b) => rank(a.status) - rank(b.status) || Date.parse(a.at) - Date.parse(b.at));
  return [...history.slice(0, start), ...cycle];
}

export interface StatusState {
  status: string;
  statusHistory: StatusChange[];
}

/**
 * Applies a delivery status that may arrive late, twice or out of order. Status only moves forward
 * (queued < sent < delivered < read); `failed` only from queued or sent, except a spam complaint,
 * which fails a delivered message too: a complaint is only possible after delivery, so it never
 * contradicts a later status. `read` implies `delivered`. A step older than the current status
 * that the history lacks is recorded there without moving the status back; anything already known
 * changes nothing (null).
 */
export function applyStatus(current: StatusState, update: { status: DeliveryStatus | 'sent'; at: Date; complaint?: boolean }): StatusState | null {
  const at = update.at.toISOString();
  const cycle = current.statusHistory.slice(Math.max(0, cycleStart(current.statusHistory)));
  const has = (s: string) => cycle.some((h) => h.status === s);
  if (current.status === 'failed' || current.status === 'received' || current.status === 'internal') return null;
  if (update.status === 'failed') {
    const failable = current.status === 'queued' || current.status === 'sent' || (update.complaint === true && current.status === 'delivered');
    if (!failable) return null;
    return { status: 'failed', statusHistory: withinCycle(current.statusHistory, [{ status: 'failed', at }]) };
  }
  const added: StatusChange[] = [];
  if (!has(update.status)) added.push({ status: update.status, at });
  if (update.status === 'read' && !has('delivered')) added.push({ status: 'delivered', at });
  const forward = rank(update.status) > rank(current.status);
  if (!forward && !added.length) return null;
  return { status: forward ? update.status : current.status, statusHistory: withinCycle(current.statusHistory, added) };
}

/**
 * Delay before provider attempt `attempt + 1`, after `attempt` failed transiently: exponential from
 * `baseMs` with ±25 % jitter (so a burst of failures does not retry in lockstep), and never sooner
 * than the provider asked (Telegram `retry_after`).
 */
export function retryDelayMs(attempt: number, baseMs: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, attempt - 1);
  const jittered = Math.round(exponential * (0.75 + random() * 0.5));
  return Math.max(jittered, Math.ceil((retryAfterSeconds ?? 0) * 1000));
}
