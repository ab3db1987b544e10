/**
 * Reads the curl commands of README.md's "## Walk-through: ..." section so a test can run them as
 * written. Deliberately small and strict: anything it does not understand throws with the README
 * line, so an edited walk-through can never silently lose a step.
 *
 * Understood: `# comments`, blank lines, one `BASE=http://localhost:<port>` line (the server's
 * address, so the port is written once), and `curl` with `-s`, `-X METHOD`, `-H 'name: value'`,
 * `-d '<json>'` and one `$BASE/...` URL; `\` continues a line; `$NAME` expands outside single quotes
 * (in a body: `'{"id":"'$ID'"}'`). A comment's `keep <path> as <NAME>` clauses (joined by "and") bind NAME to that field of
 * the next command's JSON answer, e.g. `keep accessToken as TOKEN and workspace.id as WID` or
 * `keep data[0].id as CONVERSATION_ID`.
 */

export interface Keep {
  path: string;
  name: string;
}

export interface WalkthroughStep {
  /** README.md line the command starts on. */
  line: number;
  method: string;
  /** Path and query as written, variables unexpanded (`/v1/workspaces/$WID/channels`). */
  path: string;
  /** `${method} ${path}`, how a test picks a command out. */
  route: string;
  headers: Record<string, string>;
  body?: string;
  json?: any;
  keep: Keep[];
}

export interface Answer {
  step: WalkthroughStep;
  body: any;
}

const VAR = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const KEEP = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*) as ([A-Z][A-Z0-9_]*)$/;
const URL_PREFIX = /^\$BASE(\/\S*)$/;
const BASE_LINE = /^BASE=http:\/\/localhost:\d+$/;

class WalkthroughError extends Error {
  constructor(line: number, message: string) {
    super(`README.md:${line}: ${message}`);
  }
}

/** `heading` picks the section (its `## ` line's start): the walk-through, or another runnable tutorial. */
export function readWalkthrough(markdown: string, heading = '## Walk-through:'): WalkthroughStep[] {
  const lines = markdown.split('\n');
  const starts = lines.flatMap((l, i) => (l.startsWith(heading) ? [i] : []));
  if (starts.length !== 1) throw new Error(`README.md needs exactly one "${heading} ..." section, found ${starts.length}`);
  const end = lines.findIndex((l, i) => i > starts[0] && l.startsWith('## '));
  const section = lines.slice(starts[0], end < 0 ? undefined : end);
  const fences = section.flatMap((l, i) => (l.trim() === '```bash' ? [i] : []));
  if (fences.length !== 1) throw new WalkthroughError(starts[0] + 1, `the walk-through needs exactly one \`\`\`bash block, found ${fences.length}`);
  const close = section.findIndex((l, i) => i > fences[0] && l.trim() === '```');
  if (close < 0) throw new WalkthroughError(starts[0] + fences[0] + 1, 'the ```bash block is not closed');

  const steps: WalkthroughStep[] = [];
  const bound = new Set<string>();
  let base = false;
  let pending: Keep[] = [];
  let pendingLine = 0;
  for (let i = fences[0] + 1; i < close; i++) {
    const line = starts[0] + i + 1;
    let text = section[i];
    while (text.endsWith('\\') && i + 1 < close) text = text.slice(0, -1) + ' ' + section[++i].trim();
    text = text.trim();
    if (!text) continue;
    if (text.startsWith('#')) {
      const keep = keepClauses(line, text);
      if (keep.length) [pending, pendingLine] = [[...pending, ...keep], line];
      continue;
    }
    if (BASE_LINE.test(text)) {
      base = true;
      continue;
    }
    const step = curl(line, text, pending);
    if (!base) throw new WalkthroughError(line, 'set BASE=http://localhost:3000 before the first command');
    for (const [, name] of `${step.path} ${Object.values(step.headers).join(' ')} ${step.body ?? ''}`.matchAll(VAR)) {
      if (!bound.has(name)) throw new WalkthroughError(line, `uses $${name}, but no earlier comment says "keep <field> as ${name}"`);
    }
    for (const k of pending) bound.add(k.name);
    pending = [];
    steps.push(step);
  }
  if (pending.length) throw new WalkthroughError(pendingLine, `"keep ... as ${pending[0].name}" is not followed by a command`);
  if (!steps.length) throw new WalkthroughError(starts[0] + 1, 'the walk-through has no curl commands');
  return steps;
}

function keepClauses(line: number, comment: string): Keep[] {
  return [...comment.matchAll(/\bkeep ([^;,()]*)/gi)].flatMap(([, clauses]) =>
    clauses
      .trim()
      .split(/\s+and\s+/)
      .map((clause) => {
        const m = KEEP.exec(clause);
        if (!m) throw new WalkthroughError(line, `cannot read "keep ${clause}" (write "keep <field.path> as <NAME>", e.g. "keep data[0].id as CONVERSATION_ID")`);
        return { path: m[1], name: m[2] };
      }),
  );
}

function curl(line: number, source: string, keep: Keep[]): WalkthroughStep {
  const words = shellWords(line, source);
  if (words[0] !== 'curl') throw new WalkthroughError(line, `the test runs only curl commands and # comments, not: ${source}`);
  let method: string | undefined;
  let url: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const arg = () => {
      if (i + 1 >= words.length) throw new WalkthroughError(line, `${word} needs a value`);
      return words[++i];
    };
    if (word === '-s') continue; // only hides curl's progress meter
    if (word === '-X') {
      method = arg();
      if (!/^[A-Z]+$/.test(method)) throw new WalkthroughError(line, `-X ${method} is not an HTTP method`);
    } else if (word === '-H') {
      const header = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(arg());
      if (!header) throw new WalkthroughError(line, `-H ${words[i]} is not "name: value"`);
      headers[header[1].toLowerCase()] = header[2];
    } else if (word === '-d') {
      body = arg();
    } else if (word.startsWith('-')) {
      throw new WalkthroughError(line, `the test does not understand the curl option ${word}`);
    } else if (url !== undefined) {
      throw new WalkthroughError(line, `a second URL ${word}`);
    } else {
      url = word;
    }
  }
  const path = url && URL_PREFIX.exec(url)?.[1];
  if (!path) throw new WalkthroughError(line, `the URL must start with $BASE/, got ${url ?? 'none'}`);
  let json: unknown;
  if (body !== undefined) {
    try {
      // A variable sits inside a JSON string (`"'$ID'"`), so the body parses with its name in place.
      json = JSON.parse(body);
    } catch (e) {
      throw new WalkthroughError(line, `the -d body is not JSON (${(e as Error).message})`);
    }
  }
  // curl sends -d as a POST unless -X says otherwise.
  method ??= body === undefined ? 'GET' : 'POST';
  return { line, method, path, route: `${method} ${path}`, headers, body, json, keep };
}

/** Splits like sh: quotes, and `$NAME` kept as text; every other shell feature throws. */
function shellWords(line: number, source: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  const variable = (at: number) => {
    const m = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at));
    if (!m) throw new WalkthroughError(line, `only $NAME variables are supported: ${source.slice(at, at + 10)}`);
    return m[0];
  };
  for (let i = 0; i < source.length; ) {
    const c = source[i];
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
      i++;
    } else if (c === '#' && word === null) {
      throw new WalkthroughError(line, 'put comments on their own line (a "keep" after a command would go unread)');
    } else if (c === "'") {
      const close = source.indexOf("'", i + 1);
      if (close < 0) throw new WalkthroughError(line, 'unterminated single quote');
      const quoted = source.slice(i + 1, close);
      // The test expands every $ it keeps, so a literal one would be expanded by mistake.
      if (quoted.includes('$')) throw new WalkthroughError(line, `a literal $ in single quotes is not supported: '${quoted}'`);
      word = (word ?? '') + quoted;
      i = close + 1;
    } else if (c === '"') {
      word ??= '';
      for (i++; source[i] !== '"'; ) {
        if (i >= source.length) throw new WalkthroughError(line, 'unterminated double quote');
        if (source[i] === '$') {
          const v = variable(i);
          word += v;
          i += v.length;
        } else if (source[i] === '\\' || source[i] === '`') {
          throw new WalkthroughError(line, `${source[i]} inside double quotes is not supported`);
        } else {
          word += source[i++];
        }
      }
      i++;
    } else if (c === '$') {
      const v = variable(i);
      word = (word ?? '') + v;
      i += v.length;
    } else if ('\\|&;<>()`*?[]{}~'.includes(c)) {
      throw new WalkthroughError(line, `shell syntax ${c} is not supported: ${source}`);
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** Runs one command against `baseUrl` (standing in for $BASE) and binds its `keep` variables into `vars`. */
export async function runStep(baseUrl: string, step: WalkthroughStep, vars: Record<string, string>): Promise<Answer> {
  const expand = (s: string) => s.replace(VAR, (_, name: string) => vars[name]);
  const headers = Object.fromEntries(Object.entries(step.headers).map(([k, v]) => [k, expand(v)]));
  // What curl sends for -d without a content type, so a README missing the header fails here too.
  if (step.body !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
  const res = await fetch(baseUrl + expand(step.path), { method: step.method, headers, body: step.body === undefined ? undefined : expand(step.body) });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the error below or the caller
  }
  if (!res.ok) throw new WalkthroughError(step.line, `${step.route} answered ${res.status}: ${text}`);
  for (const { path, name } of step.keep) {
    const value = path.split(/\.|\[(\d+)\]/).filter(Boolean).reduce((at: any, key) => at?.[key], body);
    if (typeof value !== 'string' && typeof value !== 'number') throw new WalkthroughError(step.line, `keeps ${path} as ${name}, but the answer has no ${path}: ${text}`);
    vars[name] = String(value);
  }
  return { step, body };
}

/** The answer to the one command with this route, e.g. `GET /v1/workspaces/$WID/conversations`. */
export function answerTo(answers: Answer[], route: string): Answer {
  const found = answers.filter((a) => a.step.route === route);
  if (found.length !== 1) throw new Error(`the walk-through should have one \`${route}\` command, it has ${found.length}: ${answers.map((a) => a.step.route).join(', ')}`);
  return found[0];
}
