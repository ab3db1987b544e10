import { Injectable } from '@nestjs/common';
import type { SandboxProvider } from './sandbox.types';

export interface SandboxRecordedRequest {
  /** Increasing per process; a stable order even within one millisecond. */
  seq: number;
  provider: SandboxProvider;
  method: string;
  /** Path and query as received, with bot tokens and `access_token` values redacted. */
  path: string;
  /** Header names lower-cased (credential headers are kept so tests can assert them). */
  headers: Record<string, string>;
  /** Parsed JSON or form; for multipart the fields, with files as `{filename, contentType, size, sha256}` (hex). */
  body: unknown;
  /** HTTP status the fake answered with. */
  status?: number;
  /** ISO time of receipt. */
  at: string;
}

export interface SandboxRequestFilter {
  provider?: SandboxProvider;
  /** Only requests received at or after this time. */
  since?: Date;
}

/** Oldest requests are dropped past this, so a long-running sandbox does not grow without bound. */
const MAX_RECORDED = 2000;

/** Every request the fakes received, in memory, for tests and integrators to inspect. */
@Injectable()
export class SandboxRecorder {
  private readonly entries: SandboxRecordedRequest[] = [];
  private seq = 0;

  record(entry: Omit<SandboxRecordedRequest, 'seq' | 'at'>): SandboxRecordedRequest {
    const recorded: SandboxRecordedRequest = { seq: ++this.seq, ...entry, at: new Date().toISOString() };
    this.entries.push(recorded);
    if (this.entries.length > MAX_RECORDED) this.entries.splice(0, this.entries.length - MAX_RECORDED);
    return { ...recorded };
  }

  /** Notes the status the fake answered with (known only after the request was recorded). */
  complete(seq: number, status: number): void {
    const entry = this.entries.find((e) => e.seq === seq);
    if (entry) entry.status = status;
  }

  /** Oldest first. */
  list(filter: SandboxRequestFilter = {}): SandboxRecordedRequest[] {
    const since = filter.since?.getTime();
    return this.entries
      .filter((e) => (!filter.provider || e.provider === filter.provider) && (since === undefined || Date.parse(e.at) >= since))
      .map((e) => ({ ...e }));
  }

  /** The most recent request, optionally of one provider. */
  last(provider?: SandboxProvider): SandboxRecordedRequest | undefined {
    const all = this.list({ provider });
    return all[all.length - 1];
  }

  clear(): void {
    this.entries.length = 0;
  }
}
