import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { startApp, TestApp } from '../utils/test-app';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);

/**
 * openapi-typescript's programmatic API, in a child process: it is ESM-only underneath, which
 * jest's CommonJS runtime cannot load. `defaultNonNullable: false`: a property with a default is
 * optional in a request body (the server fills it), as integrators' generators treat it.
 */
async function generateClientTypes(dir: string, doc: unknown) {
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
  writeFileSync(
    join(dir, 'generate.mjs'),
    `import { readFileSync, writeFileSync } from 'node:fs';\nimport openapiTS, { astToString } from 'openapi-typescript';\nwriteFileSync('schema.ts', astToString(await openapiTS(JSON.parse(readFileSync('openapi.json', 'utf8')), { defaultNonNullable: false })));\n`,
  );
  await run(process.execPath, ['generate.mjs'], { cwd: dir, timeout: 25_000 });
}

/** Type-checks (`--strict`) and emits `files`; answers the diagnostics as text, '' when clean. */
function compile(dir: string, files: string[]): string {
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, outDir: join(dir, 'out'), types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
  );
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' });
}

describe('a client generated from the OpenAPI document', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startApp();
    dir = mkdtempSync(join(tmpdir(), 'nanozons-openapi-client-'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('type-checks with --strict and runs sign-up → WhatsApp channel → inbound → list → reply', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    await generateClientTypes(dir, doc);
    copyFileSync(join(__dirname, 'openapi-client', 'program.ts'), join(dir, 'program.ts'));
    expect(compile(dir, ['program.ts'])).toBe('');

    const { stdout } = await run(process.execPath, [join(dir, 'out', 'program.js')], { env: { ...process.env, BASE_URL: t.url }, timeout: 25_000 });
    const result = JSON.parse(stdout);
    expect(result).toEqual({
      webhookUrl: expect.stringMatching(/\/v1\/webhooks\/whatsapp\/[0-9a-f-]{36}$/),
      replyStatus: 'queued',
      replyDirection: 'outbound',
      texts: ['Where is my order?', 'It ships tomorrow.'],
      nextCursor: null,
    });
  });

  it('fails to type-check a program that misuses the API (the types are real, not `unknown`)', async () => {
    writeFileSync(
      join(dir, 'wrong.ts'),
      `import createClient from 'openapi-fetch';\nimport type { paths } from './schema';\nconst api = createClient<paths>({ baseUrl: '' });\nexport async function f() {\n  const { data } = await api.GET('/v1/workspaces/{wid}/conversations', { params: { path: { wid: 'x' } } });\n  const n: number = data!.data[0].status;\n  return n;\n}\n`,
    );
    expect(compile(dir, ['wrong.ts'])).toMatch(/Type 'string' is not assignable to type 'number'/);
  });
});
