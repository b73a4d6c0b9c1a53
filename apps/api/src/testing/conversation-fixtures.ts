import { newId, hashToken, newToken } from '../common/ids';
import type { AuthorKind, ConversationStatus } from '../generated/prisma/enums';
import type { PrismaService } from '../services/database/prisma.service';

export interface FixtureMessage {
  kind: AuthorKind;
  body: string;
  internal?: boolean;
  at?: Date;
  authorId?: string;
}

export interface FixtureConversation {
  siteId: string;
  visitor?: { name?: string | null; email?: string | null };
  /** An existing visitor instead of a new one. */
  visitorId?: string;
  status?: ConversationStatus;
  assigneeId?: string | null;
  createdAt?: Date;
  resolvedAt?: Date | null;
  satisfactionRating?: number | null;
  messages?: FixtureMessage[];
}

/**
 * Writes a conversation, its visitor and its messages straight to the database, with the times
 * given: for suites that need a known data set (search ranking, report figures) rather than the
 * message path, which other suites cover.
 */
export async function seedConversation(
  prisma: PrismaService,
  fixture: FixtureConversation,
): Promise<{ conversationId: string; visitorId: string }> {
  const createdAt = fixture.createdAt ?? new Date();
  const visitorId =
    fixture.visitorId ??
    (
      await prisma.visitor.create({
        data: {
          id: newId(),
          siteId: fixture.siteId,
          tokenHash: hashToken(newToken()),
          name: fixture.visitor?.name ?? null,
          email: fixture.visitor?.email ?? null,
          createdAt,
        },
      })
    ).id;
  const messages = fixture.messages ?? [];
  const last = messages.at(-1);
  const conversationId = newId();
  await prisma.conversation.create({
    data: {
      id: conversationId,
      siteId: fixture.siteId,
      visitorId,
      status: fixture.status ?? 'OPEN',
      assigneeId: fixture.assigneeId ?? null,
      createdAt,
      resolvedAt: fixture.resolvedAt ?? null,
      satisfactionRating: fixture.satisfactionRating ?? null,
      satisfactionRatedAt: fixture.satisfactionRating ? (fixture.resolvedAt ?? createdAt) : null,
      lastSeq: messages.length,
      lastMessageAt: last ? (last.at ?? createdAt) : null,
      lastMessagePreview: last ? last.body.slice(0, 140) : null,
      messages: {
        create: messages.map((m, i) => ({
          id: newId(),
          seq: i + 1,
          authorKind: m.kind,
          authorId: m.authorId ?? (m.kind === 'VISITOR' ? visitorId : null),
          body: m.body,
          internal: m.internal ?? false,
          clientMessageId: `fixture-${newId()}`,
          createdAt: m.at ?? createdAt,
        })),
      },
    },
  });
  return { conversationId, visitorId };
}
