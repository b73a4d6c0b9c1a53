import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Visitor } from '../generated/prisma/client';
import { clientMessageId } from '../testing/security-clients';
import { startTestApp, type TestApp } from '../testing/test-app';
import { MessagesService } from './messages.service';

/**
 * The commit function's plan is made once per connection and kept. It must stay an index lookup
 * when the plan was made on a nearly empty table that then grew, with no ANALYZE in between (a
 * new install, or a server running with autovacuum off).
 */
describe('the commit function on a table that grew after its plan was made (PostgreSQL)', () => {
  let t: TestApp;
  let messages: MessagesService;

  beforeAll(async () => {
    t = await startTestApp('postgresql');
    messages = t.app.get(MessagesService);
  });

  afterAll(async () => {
    await t.close();
  });

  /** Scans of `messages` so far, as the statistics collector has them. */
  async function scans(): Promise<{ seq: number; index: number }> {
    // Each connection reports its counts about a second after it goes idle.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await t.prisma.$executeRaw`SELECT pg_stat_clear_snapshot()`;
    const [row] = await t.prisma.$queryRaw<{ seq: bigint; index: bigint }[]>`
      SELECT seq_scan AS seq, idx_scan AS index FROM pg_stat_user_tables WHERE relname = 'messages'`;
    return { seq: Number(row?.seq ?? 0), index: Number(row?.index ?? 0) };
  }

  it("finds a visitor's earlier message by index, not by reading the whole table", async () => {
    const { socket, session } = await t.connectWidget({ transports: ['websocket'] });
    socket.disconnect();
    const visitor: Visitor = await t.prisma.visitor.findUniqueOrThrow({
      where: { id: session.visitorId },
    });
    const send = (conversationId?: string) =>
      messages.sendFromVisitor(visitor, {
        ...(conversationId ? { conversationId } : {}),
        clientMessageId: clientMessageId(),
        body: 'hello',
      });
    // Many conversations, few messages yet: a site's first minutes.
    await t.prisma.$executeRaw`
      INSERT INTO visitors (id, site_id, token_hash)
      SELECT 'other-' || g, ${visitor.siteId}, 'token-' || g FROM generate_series(1, 2000) g`;
    await t.prisma.$executeRaw`
      INSERT INTO conversations (id, site_id, visitor_id, updated_at, last_seq)
      SELECT 'other-' || g, ${visitor.siteId}, 'other-' || g, now(), 1 FROM generate_series(1, 2000) g`;
    // One after another, so that they share connections: each plans the function on these tables
    // and keeps that plan.
    const { conversationId } = await send();
    for (let i = 0; i < 12; i++) await send(conversationId);

    // The table grows by 50,000 rows, with no ANALYZE.
    await t.prisma.$executeRaw`
      INSERT INTO messages (id, conversation_id, seq, author_kind, body, client_message_id, created_at)
      SELECT gen_random_uuid()::text, ${conversationId}, 1000 + g, 'VISITOR', 'x',
        gen_random_uuid()::text, now()
      FROM generate_series(1, 50000) g`;

    const before = await scans();
    for (let i = 0; i < 20; i++) await send(conversationId);
    const after = await scans();
    expect(after.seq - before.seq).toBe(0);
    expect(after.index).toBeGreaterThan(before.index);
  });
});
