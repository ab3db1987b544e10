const SECRET_KEY = /pass(word)?|secret|token|key|authorization|credential|hash|content_?base64/i;

/** Copies a request body for the audit log with every secret-looking field replaced. */
export function redactChanges(body: unknown, depth = 0): unknown {
  if (depth > 4) return '[truncated]';
  if (Array.isArray(body)) return body.slice(0, 20).map((v) => redactChanges(v, depth + 1));
  if (body && typeof body === 'object') {
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactChanges(v, depth + 1)]),
    );
  }
  if (typeof body === 'string' && body.length > 500) return `${body.slice(0, 500)}…`;
  return body;
}
