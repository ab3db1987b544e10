import type { ChatMessage } from '../prompt/prompt-builder';

export interface OpenAiSettings {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Azure OpenAI's `api-version`. */
  apiVersion?: string;
}

/** Azure OpenAI authenticates with `api-key` and versions by query; every other server speaks OpenAI's dialect. */
export const isAzure = (s: OpenAiSettings) => Boolean(s.apiVersion) || /\.openai\.azure\.com$/i.test(new URL(s.baseUrl).hostname);

/**
 * One chat-completions call. `AI_BASE_URL` is the API root the path is appended to: OpenAI
 * `https://api.openai.com/v1`, Ollama `http://localhost:11434/v1`, Azure the deployment URL
 * `https://<resource>.openai.azure.com/openai/deployments/<deployment>`.
 */
export function chatCompletionsRequest(s: OpenAiSettings, messages: ChatMessage[]) {
  const url = new URL(`${s.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  if (s.apiVersion) url.searchParams.set('api-version', s.apiVersion);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (s.apiKey) {
    if (isAzure(s)) headers['api-key'] = s.apiKey;
    else headers.authorization = `Bearer ${s.apiKey}`;
  }
  return { url: url.toString(), headers, body: JSON.stringify({ model: s.model, messages, temperature: 0.2 }) };
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
