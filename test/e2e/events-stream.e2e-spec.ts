import { Account, apiKey, memberWithRole, signup, uniqueEmail } from '../utils/factories';
import { SseClient } from '../utils/sse-client';
import { startApp, TestApp } from '../utils/test-app';
import { createRole, expectProblem, memberIdOf } from '../utils/workspace-fixtures';

const ENV = { EVENTS_HEARTBEAT_MS: '200' };

/**
 * The event stream across two API processes (two apps on one database and one Redis prefix): an
 * event committed on one is seen by clients of the other, and a reconnect on either resumes.
 */
describe('GET /v1/workspaces/{wid}/events/stream', () => {
  let a: TestApp;
  let b: TestApp;
  let owner: Account;
  const clients: SseClient[] = [];
  const streamPath = (wid = owner.workspaceId) => `/v1/workspaces/${wid}/events/stream`;
  const connect = async (t: TestApp, headers: Record<string, string>, query = '') => {
    const client = await SseClient.connect(`${t.url}${streamPath()}${query}`, headers);
    clients.push(client);
    return client;
  };
  const createContact = async (t: TestApp) =>
    (await t.http().post(`/v1/workspaces/${owner.workspaceId}/contacts`).set(owner.auth).send({ identifiers: [{ kind: 'email', value: uniqueEmail('customer') }] }).expect(201)).body;
  const openStreams = (t: TestApp) => t.app.get<{ openStreams: number }>('EventHub').openStreams;
  const contactEvents = (c: SseClient) => c.events.filter((e) => e.event === 'contact.created');

  beforeAll(async () => {
    a = await startApp(ENV);
    b = await startApp(ENV);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await a?.close();
    await b?.close();
  });
  beforeEach(async () => {
    owner = await signup(a);
  });

  it('streams an event committed on process A to a client of process B, with rate-limit headers on the handshake', async () => {
    const client = await connect(b, owner.auth);
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
    for (const h of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-request-id']) expect(client.headers.get(h)).toEqual(expect.any(String));

    const contact = await createContact(a);
    await client.waitFor(() => contactEvents(client).length === 1);
    const [event] = contactEvents(client);
    expect(event.id).toMatch(/^\d+-\d+$/);
    expect(event.data).toEqual({ id: event.id, event: 'contact.created', createdAt: expect.any(String), data: { contactId: contact.id } });
    expect(Math.abs(Date.parse(event.data.createdAt) - Date.now())).toBeLessThan(60_000);
  });

  it('resumes after Last-Event-ID on the other process, without repeating what was seen', async () => {
    const first = await connect(b, owner.auth);
    await createContact(a);
    await first.waitFor(() => contactEvents(first).length === 1);
    const seen = contactEvents(first)[0].id!;
    await first.close();

    const missed = [await createContact(a), await createContact(b)];
    const resumed = await connect(a, { ...owner.auth, 'Last-Event-ID': seen });
    await resumed.waitFor(() => contactEvents(resumed).length === 2);
    expect(contactEvents(resumed).map((e) => e.data.data.contactId)).toEqual(missed.map((c) => c.id));
    expect(contactEvents(resumed).map((e) => e.id)).not.toContain(seen);

    // Live events keep coming after the replay, once each.
    const live = await createContact(b);
    await resumed.waitFor(() => contactEvents(resumed).length === 3);
    expect(contactEvents(resumed)[2].data.data.contactId).toBe(live.id);
    expect(new Set(resumed.events.map((e) => e.id)).size).toBe(resumed.events.length);
  });

  it('sends heartbeats and frees the connection when the client goes away', async () => {
    const before = openStreams(b);
    const client = await connect(b, owner.auth);
    await client.waitFor(() => client.comments.filter((c) => c === 'heartbeat').length >= 2);
    expect(openStreams(b)).toBe(before + 1);
    await client.close();
    const until = Date.now() + 5000;
    while (openStreams(b) !== before && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(openStreams(b)).toBe(before);
  });

  it('accepts a 60-second stream token in the query, for this workspace and this route only', async () => {
    const issued = await b.http().post(`/v1/workspaces/${owner.workspaceId}/events/stream-tokens`).set(owner.auth).expect(201);
    expect(issued.body.token).toMatch(/^nzs_/);
    const ttl = Date.parse(issued.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const client = await connect(a, {}, `?token=${issued.body.token}`);
    expect(client.status).toBe(200);
    expect(client.headers.get('ratelimit-limit')).toEqual(expect.any(String));
    const contact = await createContact(b);
    await client.waitFor(() => contactEvents(client).some((e) => e.data.data.contactId === contact.id));

    const other = await signup(a, 'other');
    expectProblem(await a.http().get(streamPath(other.workspaceId)).query({ token: issued.body.token }), 401, 'unauthorized');
    expectProblem(await a.http().get(`/v1/workspaces/${owner.workspaceId}/contacts`).query({ token: issued.body.token }), 401, 'unauthorized');
    expectProblem(await a.http().get(streamPath()).query({ token: 'nzs_forged-forged-forged-forged-forged' }), 401, 'unauthorized');
    expectProblem(await a.http().get(streamPath()), 401, 'unauthorized');
    expectProblem(await a.http().get(streamPath()).set(other.auth), 404, 'not_found');
  });

  it('sends only the events the caller may read, works for API keys, and ends when the member is removed', async () => {
    const viewer = await memberWithRole(a, owner, 'viewer');
    const role = await createRole(a, owner, [{ action: 'read', subject: 'Message' }]);
    const messagesOnly = await memberWithRole(a, owner, role.name);
    const key = await apiKey(a, owner, 'viewer');
    const viewerStream = await connect(b, viewer.auth);
    const messagesStream = await connect(b, messagesOnly.auth);
    const keyStream = await connect(a, key.headers);

    await createContact(a);
    await viewerStream.waitFor(() => contactEvents(viewerStream).length === 1);
    await keyStream.waitFor(() => contactEvents(keyStream).length === 1);
    // Both streams of process B got the same dispatch; the role without `read Contact` got nothing of it.
    expect(contactEvents(messagesStream)).toHaveLength(0);

    const memberId = await memberIdOf(a, owner, viewer.userId);
    await a.http().delete(`/v1/workspaces/${owner.workspaceId}/members/${memberId}`).set(owner.auth).expect(204);
    const until = Date.now() + 5000;
    while (!viewerStream.ended && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(viewerStream.ended).toBe(true);
  });
});
