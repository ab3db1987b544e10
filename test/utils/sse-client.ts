export interface SseEvent {
  id?: string;
  event?: string;
  data: any;
}

/**
 * A minimal EventSource over fetch (Node has none): parses frames as they arrive, records comment
 * lines (heartbeats) and keeps the handshake's status and headers.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  /** The server ended the stream. */
  ended = false;
  headers = new Headers();
  private readonly abort = new AbortController();
  private done?: Promise<void>;

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: client.abort.signal });
    client.status = res.status;
    client.headers = res.headers;
    if (res.ok && res.body) client.done = client.read(res.body).catch(() => undefined).finally(() => (client.ended = true));
    else client.events.push({ data: await res.json().catch(() => null) });
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: Partial<SseEvent> & { lines: string[] } = { lines: [] };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
          else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('data: ')) event.lines.push(line.slice(6));
        }
        if (event.lines.length) this.events.push({ id: event.id, event: event.event, data: JSON.parse(event.lines.join('\n')) });
      }
    }
  }

  async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 10_000): Promise<SseEvent[]> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > until) throw new Error(`SSE: condition not met; got ${JSON.stringify(this.events.map((e) => [e.event, e.id]))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.events;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
