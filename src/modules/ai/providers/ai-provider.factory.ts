import type { EnvSchema } from '../../../config/env.schema';
import type { AiProvider } from './ai-provider';
import { LocalProvider } from './local.provider';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';

/** A model name is needed by every OpenAI-compatible server; this one is OpenAI's small default. */
const DEFAULT_MODEL = 'gpt-4o-mini';

/** `AI_BASE_URL` set: that OpenAI-compatible server; unset: the built-in local provider. */
export function createAiProvider(env: EnvSchema): AiProvider {
  if (!env.AI_BASE_URL) return new LocalProvider();
  return new OpenAiCompatibleProvider(
    { baseUrl: env.AI_BASE_URL, apiKey: env.AI_API_KEY, model: env.AI_MODEL ?? DEFAULT_MODEL, apiVersion: env.AI_API_VERSION },
    { timeoutMs: env.AI_TIMEOUT_MS, maxAttempts: env.AI_MAX_ATTEMPTS, retryBaseMs: env.AI_RETRY_BASE_MS },
  );
}
