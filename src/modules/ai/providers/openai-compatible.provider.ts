import { Logger } from '@nestjs/common';
import { buildChatPrompt, type AiTask } from '../prompt/prompt-builder';
import { AiProvider, AiProviderError, AiResult } from './ai-provider';
import { chatCompletionsRequest, OpenAiSettings, retryAfterMs } from './openai-request';

export interface RetrySettings {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
}

/** Longest wait between two attempts, whatever `Retry-After` asks for: the job holds a worker meanwhile. */
const MAX_WAIT_MS = 60_000;

interface Completion {
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : null);

/**
 * Any OpenAI-compatible chat-completions server (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp).
 * 429, 5xx, timeouts and network errors are retried with doubling waits or `Retry-After`;
 * other answers (401/403 above all) fail at once. The key is sent, never logged.
 */
export class OpenAiCompatibleProvider implements AiProvider {
  readonly name = 'openai-compatible';
  private readonly logger = new Logger(OpenAiCompatibleProvider.name);

  constructor(
    private readonly settings: OpenAiSettings,
    private readonly retry: RetrySettings,
  ) {}

  get model(): string {
    return this.settings.model;
  }

  async generate(task: AiTask): Promise<AiResult> {
    const request = chatCompletionsRequest(this.settings, buildChatPrompt(task));
    for (let attempt = 1; ; attempt++) {
      try {
        return { ...(await this.call(request)), sources: task.messages.map((m) => m.id) };
      } catch (e) {
        const error = e instanceof AiProviderError ? e : new AiProviderError(`provider call failed: ${(e as Error).message}`, false);
        if (!error.retryable || attempt >= this.retry.maxAttempts) {
          throw attempt > 1 ? new AiProviderError(`${error.reason} (after ${attempt} attempts)`, false) : error;
        }
        const wait = Math.min(error.retryAfterMs ?? this.retry.retryBaseMs * 2 ** (attempt - 1), MAX_WAIT_MS);
        this.logger.warn(`attempt ${attempt} failed (${error.reason}); retrying in ${wait} ms`);
        await sleep(wait);
      }
    }
  }

  private async call(request: ReturnType<typeof chatCompletionsRequest>): Promise<Omit<AiResult, 'sources'>> {
    let res: Response;
    try {
      res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(this.retry.timeoutMs) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') throw new AiProviderError(`no answer within ${this.retry.timeoutMs} ms`, true);
      throw new AiProviderError(`provider unreachable (${err.cause?.code ?? err.message})`, true);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new AiProviderError(`the provider rejected the credentials (HTTP ${res.status}); check AI_API_KEY`, false);
    }
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel();
      throw new AiProviderError(`${res.status === 429 ? 'rate limited by the provider' : 'provider error'} (HTTP ${res.status})`, true, retryAfterMs(res.headers.get('retry-after')));
    }
    const body = (await res.json().catch(() => null)) as (Completion & { error?: { message?: unknown } }) | null;
    if (!res.ok) {
      const detail = typeof body?.error?.message === 'string' ? `: ${body.error.message.slice(0, 200)}` : '';
      throw new AiProviderError(`the provider refused the request (HTTP ${res.status})${detail}`, false);
    }
    const content = body?.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || !content.trim()) throw new AiProviderError('the provider answered without text', false);
    return { content: content.trim(), tokensIn: count(body?.usage?.prompt_tokens), tokensOut: count(body?.usage?.completion_tokens) };
  }
}
