// A GraphQL subscription over SSE (yoga's own transport), read with fetch:
// the multi-instance tests listen on one server for events of another.
export interface SseSubscription<T> {
  readonly events: T[];
  /** Resolves once `count` events matching `match` arrived (or rejects after `timeoutMs`). */
  waitFor(match: (event: T) => boolean, count: number, timeoutMs: number): Promise<T[]>;
  close(): void;
}

export function subscribeSse<T>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): SseSubscription<T> {
  const controller = new AbortController();
  const events: T[] = [];
  const listeners = new Set<() => void>();
  void (async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
        if (data !== '') {
          const parsed = JSON.parse(data) as { data?: T };
          if (parsed.data) {
            events.push(parsed.data);
            listeners.forEach((l) => l());
          }
        }
      }
    }
  })().catch(() => undefined);
  return {
    events,
    waitFor(match, count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = events.filter(match);
          if (found.length >= count) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`only ${events.filter(match).length} of ${count} events within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
