import { Injectable } from '@nestjs/common';
import type { SandboxProvider } from './sandbox.types';

export interface SandboxFaultInput {
  provider: SandboxProvider;
  /** Answer status. Omitted (only with `delayMs`): the fake answers normally, after the delay. */
  status?: number;
  /** Answer body (with `status`); a string is sent as text, anything else as JSON. Omitted: a provider-shaped error. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow provider); the caller may give up or die meanwhile. */
  delayMs?: number;
  /** How many matching calls get this answer (default 1). */
  times?: number;
  /** Only calls whose recorded path (tokens redacted, query included) contains this substring. */
  match?: string;
}

export interface SandboxFault extends SandboxFaultInput {
  id: number;
  times: number;
  /** Matching calls still to be answered with this fault. */
  remaining: number;
}

/**
 * Queued failure answers. Each call takes the oldest fault of its provider that matches its
 * path, so `500, 500, then success` is two faults (or one with `times: 2`) followed by nothing.
 * A fault may also delay the answer: `delayMs` alone is a slow but normal answer.
 */
@Injectable()
export class SandboxFaults {
  private readonly queue: SandboxFault[] = [];
  private nextId = 1;

  add(input: SandboxFaultInput): SandboxFault {
    if (input.status === undefined && !input.delayMs) throw new Error('a sandbox fault needs a status, a delayMs or both');
    const times = input.times ?? 1;
    const fault: SandboxFault = { ...input, id: this.nextId++, times, remaining: times };
    this.queue.push(fault);
    return { ...fault };
  }

  /** Consumes one use of the first fault that applies to this call, if any. */
  take(provider: SandboxProvider, path: string): SandboxFault | undefined {
    const index = this.queue.findIndex((f) => f.provider === provider && (!f.match || path.includes(f.match)));
    if (index < 0) return undefined;
    const fault = this.queue[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.queue.splice(index, 1);
    return { ...fault };
  }

  list(): SandboxFault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  clear(): void {
    this.queue.length = 0;
  }
}
