import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

/**
 * The SSRF guard as production runs it: ALLOW_PRIVATE_WEBHOOK_URLS off (the other webhook suites
 * turn it on for their loopback receiver). Nothing may point a subscription at the platform's own
 * network, in whatever notation the address is written.
 */
describe('webhook subscriptions refuse private targets', () => {
  let t: TestApp;
  let owner: Account;
  beforeAll(async () => {
    t = await startApp({ ALLOW_PRIVATE_WEBHOOK_URLS: 'false' });
    owner = await signup(t);
  });
  afterAll(() => t?.close());

  const create = (url: string) => t.http().post(`/v1/workspaces/${owner.workspaceId}/webhook-subscriptions`).set(owner.auth).send({ url, events: ['*'] });

  it.each([
    ['IPv4 loopback', 'http://127.0.0.1:8080/hook'],
    ['IPv4 private', 'http://10.0.0.7/hook'],
    ['IPv4 CGNAT', 'http://100.64.1.1/hook'],
    ['IPv4 unspecified', 'http://0.0.0.0/hook'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['decimal IPv4', 'http://2130706433/hook'],
    ['hex IPv4', 'http://0x7f000001/hook'],
    ['dotted hex IPv4', 'http://0x7f.0.0.1/hook'],
    ['octal IPv4', 'http://0177.0.0.1/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['IPv6 link-local', 'http://[fe80::1]/hook'],
    ['IPv6 metadata', 'http://[fd00:ec2::254]/hook'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped IPv6 (hex)', 'http://[::ffff:a9fe:a9fe]/hook'],
    ['multicast', 'http://224.0.0.1/hook'],
    ['a name resolving to loopback', 'http://localhost:3000/hook'],
    ['a scheme that is not http', 'ftp://hooks.example.com/hook'],
  ])('%s: %s → 400', async (_, url) => {
    const res = await create(url);
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
  });

  it('re-checks what a host name resolves to', async () => {
    // This machine's own name resolves (through /etc/hosts) to a loopback or private address.
    const name = hostname();
    const addresses = await lookup(name, { all: true }).catch(() => []);
    if (!addresses.some((a) => /^(127\.|10\.|192\.168\.|::1$|fe80:)/.test(a.address))) return;
    const res = await create(`http://${name}:8080/hook`);
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.detail).toMatch(/resolves to/);
  });

  it('accepts a public https URL', async () => {
    const res = await create('https://93.184.215.14/hooks/nanozons').expect(201);
    expect(res.body.url).toBe('https://93.184.215.14/hooks/nanozons');
  });
});
