import { chatCompletionsRequest, retryAfterMs } from './openai-request';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('chatCompletionsRequest', () => {
  it('OpenAI dialect: bearer key, /chat/completions under the base', () => {
    const r = chatCompletionsRequest({ baseUrl: 'https://api.openai.com/v1/', apiKey: 'sk-1', model: 'gpt-4o-mini' }, messages);
    expect(r.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(r.headers.authorization).toBe('Bearer sk-1');
    expect(r.headers['api-key']).toBeUndefined();
    expect(JSON.parse(r.body)).toEqual({ model: 'gpt-4o-mini', messages, temperature: 0.2 });
  });

  it('Azure OpenAI: api-key header and api-version query', () => {
    const r = chatCompletionsRequest({ baseUrl: 'https://acme.openai.azure.com/openai/deployments/gpt4', apiKey: 'az-1', model: 'gpt4', apiVersion: '2024-06-01' }, messages);
    expect(r.url).toBe('https://acme.openai.azure.com/openai/deployments/gpt4/chat/completions?api-version=2024-06-01');
    expect(r.headers['api-key']).toBe('az-1');
    expect(r.headers.authorization).toBeUndefined();
  });

  it('a local server without a key gets no auth header', () => {
    const r = chatCompletionsRequest({ baseUrl: 'http://localhost:11434/v1', model: 'llama3.1' }, messages);
    expect(r.url).toBe('http://localhost:11434/v1/chat/completions');
    expect(r.headers.authorization).toBeUndefined();
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
