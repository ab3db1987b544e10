import type { AiTask } from '../prompt/prompt-builder';

export interface AiResult {
  content: string;
  /** The ids of the messages the text was built from. */
  sources: string[];
  tokensIn: number | null;
  tokensOut: number | null;
}

/** Where summaries and drafts come from; chosen once by `AI_BASE_URL`. */
export interface AiProvider {
  /** Recorded on every artifact: `openai-compatible` or `local`. */
  readonly name: string;
  readonly model: string;
  generate(task: AiTask): Promise<AiResult>;
}

export const AI_PROVIDER = Symbol('AI_PROVIDER');

/** A provider call that did not produce text; `reason` is shown on the failed artifact. */
export class AiProviderError extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
    this.name = 'AiProviderError';
  }
}
