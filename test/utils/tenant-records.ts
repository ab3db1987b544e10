import type { Account } from './factories';
import { uniqueEmail } from './factories';
import { seedContent } from './permission-matrix';
import type { TestApp } from './test-app';
import { uniqueName } from './workspace-fixtures';

/**
 * Gives `owner`'s workspace a real record of every content kind (channels and their ledger and
 * templates, contacts, merges, conversations, messages, attachments) and returns them by the path parameter
 * name that addresses them, so a sweep can aim at ids that exist (a random UUID would 404 even
 * with no tenancy check at all).
 */
export async function seedTenantRecords(t: TestApp, owner: Account): Promise<Record<string, string>> {
  const ws = `/v1/workspaces/${owner.workspaceId}`;
  const seed = await seedContent(t, owner);
  await t
    .http()
    .post(`${ws}/channels/${seed.whatsappChannelId}/templates`)
    .set(owner.auth)
    .send({ name: uniqueName('notice').replace(/-/g, '_'), language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}' }], status: 'approved' })
    .expect(201);
  const source = await t.http().post(`${ws}/contacts`).set(owner.auth).send({ identifiers: [{ kind: 'email', value: uniqueEmail('dup') }] }).expect(201);
  await t.http().post(`${ws}/contacts/${seed.contactId}/merge`).set(owner.auth).send({ sourceContactId: source.body.id }).expect(200);
  const [merge] = (await t.http().get(`${ws}/contacts/${seed.contactId}/merges`).set(owner.auth).expect(200)).body.data;
  const contact = (await t.http().get(`${ws}/contacts/${seed.contactId}`).set(owner.auth).expect(200)).body;
  return {
    // The email channel is the one whose ledger holds `eventId`.
    channelId: seed.emailChannelId,
    eventId: seed.eventId,
    contactId: seed.contactId,
    identifierId: contact.identifiers[0].id,
    mergeId: merge.id,
    conversationId: seed.conversationId,
    // Outbound, so retry and read meet a message that could be acted on.
    messageId: seed.outboundMessageId,
    attachmentId: seed.attachmentId,
  };
}
