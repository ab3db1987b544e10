import { Injectable } from '@nestjs/common';

/**
 * The time deliveries are signed, retried and judged by. Tests move it forward to cross the 24 h
 * rotation overlap and retry window without waiting; nothing else changes it.
 */
@Injectable()
export class WebhookClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
