import { AiProvider, AiProviderError, AiResult } from './ai-provider';
import type { AiTask } from '../prompt/prompt-builder';
import { extractiveSummary } from './local-summary';
import { templateDraft } from './local-draft';

/**
 * The provider without `AI_BASE_URL`: nothing leaves the process, so nothing needs masking, and the
 * same conversation always gives the same text. It does not follow instructions.
 */
export class LocalProvider implements AiProvider {
  readonly name = 'local';
  readonly model = 'nanozons-extractive-1';

  async generate(task: AiTask): Promise<AiResult> {
    if (task.kind === 'summary') {
      const summary = extractiveSummary(task.messages);
      if (!summary.content) throw new AiProviderError('the conversation has no text to summarize', false);
      return { ...summary, tokensIn: null, tokensOut: null };
    }
    const draft = templateDraft(task.messages, task.language);
    if (!draft) throw new AiProviderError('the conversation has no customer message to answer', false);
    return { ...draft, tokensIn: null, tokensOut: null };
  }
}
