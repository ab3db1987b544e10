import { Injectable } from '@nestjs/common';

export interface SandboxTelegramWebhook {
  url: string;
  secretToken?: string;
  maxConnections?: number;
  allowedUpdates?: string[];
  ipAddress?: string;
  setAt: Date;
}

interface BotState {
  webhook?: SandboxTelegramWebhook;
  lastMessageId: number;
}

/**
 * Per-bot state of the Telegram fake, keyed by bot token: the webhook set with setWebhook (tests
 * read its secret_token to sign simulated updates) and the message id counter.
 */
@Injectable()
export class SandboxTelegramBots {
  private readonly bots = new Map<string, BotState>();

  webhook(token: string): SandboxTelegramWebhook | undefined {
    const webhook = this.bots.get(token)?.webhook;
    return webhook && { ...webhook };
  }

  setWebhook(token: string, webhook: Omit<SandboxTelegramWebhook, 'setAt'>): void {
    this.state(token).webhook = { ...webhook, setAt: new Date() };
  }

  /** Returns whether a webhook was set. */
  deleteWebhook(token: string): boolean {
    const state = this.state(token);
    const had = Boolean(state.webhook);
    delete state.webhook;
    return had;
  }

  nextMessageId(token: string): number {
    return ++this.state(token).lastMessageId;
  }

  clear(): void {
    this.bots.clear();
  }

  private state(token: string): BotState {
    let state = this.bots.get(token);
    if (!state) {
      state = { lastMessageId: 0 };
      this.bots.set(token, state);
    }
    return state;
  }
}
