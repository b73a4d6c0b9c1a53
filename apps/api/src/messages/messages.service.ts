import { HttpStatus, Injectable } from '@nestjs/common';
import type { AgentSendMessage, SendMessageResult, VisitorSendMessage } from '@parley/protocol';
import { ErrorCode } from '@parley/protocol';
import { AttachmentsService, type AttachmentUser } from '../attachments/attachments.service';
import { ApiException } from '../common/api-error';
import { newId } from '../common/ids';
import {
  ATTACHMENTS_IN_ORDER,
  toConversationDto,
  toMessageDto,
  type ConversationForAgents,
  type MessageWithAttachments,
} from '../conversations/conversation.mapper';
import type { Agent, Attachment, Conversation, Message, Visitor } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { GroupCommit } from './group-commit';

type Tx = Prisma.TransactionClient;
type Db = PrismaService | Tx;

const PREVIEW_LENGTH = 140;

/**
 * The transactions that remain (a visitor's first message, a message with files) wait for a
 * pooled connection as long as a client waits for its ack, rather than Prisma's default 2 s: when
 * many visitors open conversations at once, a busy pool made them fail with "Unable to start a
 * transaction in the given time" although they would have committed a moment later.
 */
const TRANSACTION_WAITS = { maxWait: 10_000, timeout: 10_000 };

/** Who writes: the row that must exist (and still be allowed to write) when the message commits. */
type Author = { kind: 'VISITOR'; visitorId: string } | { kind: 'AGENT'; agentId: string };

interface Draft {
  conversationId: string;
  author: Author;
  clientMessageId: string;
  body: string;
  internal: boolean;
  /** A visitor writing again reopens a resolved, pending or snoozed conversation. */
  reopen: boolean;
  /** Files the author uploaded beforehand, linked to the message in the same transaction. */
  attachmentIds: readonly string[];
}

type Outcome =
  | {
      kind: 'committed';
      message: Message;
      conversation: ConversationForAgents;
      reopened: boolean;
      attachments: Attachment[];
    }
  | { kind: 'original'; message: Message }
  /** No message written: the conversation is not the author's, or the author may no longer write. */
  | { kind: 'refused' };

/**
 * Commits messages. Each gets the next `seq` of its conversation in the same statement as the
 * insert; `(conversationId, clientMessageId)` is unique, so a resent message returns the original.
 * Nothing is published before it is committed.
 *
 * A message to a known conversation is one SQL statement (see `commitStatement`): one round trip,
 * no interactive transaction. Only a visitor's first message, which may open a conversation, takes
 * a transaction.
 */
@Injectable()
export class MessagesService {
  /**
   * The messages that need no transaction of their own, by conversation over four lanes: four
   * writes at most are under way at once (the pool holds ten connections, for everything else
   * too), and the messages sent meanwhile commit together in the next one of their lane.
   */
  private readonly groupCommit = new GroupCommit<Draft, CommitRow | undefined>({
    one: async (draft) =>
      (await this.prisma.$queryRaw<CommitRow[]>(commitStatement(draft, newId(), new Date())))[0],
    many: async (drafts) => {
      const rows = await this.prisma.$queryRaw<BatchRow[]>(batchStatement(drafts, new Date()));
      const byOrd = new Map(rows.map((row) => [row.ord, row]));
      return drafts.map((_, ord) => {
        const row = byOrd.get(ord);
        return row && row.id !== null ? row : undefined;
      });
    },
    key: (draft) => draft.conversationId,
    lanes: 4,
    maxBatch: 50,
  });

  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
    private readonly attachments: AttachmentsService,
  ) {}

  /**
   * A visitor's message. The visitor row is read again by the statement itself: a revoked visitor
   * is refused, and the author name is the visitor's current one (the `visitor` passed in may be an
   * older copy; only its id and site are used).
   */
  async sendFromVisitor(
    visitor: Pick<Visitor, 'id' | 'siteId'>,
    input: VisitorSendMessage,
  ): Promise<SendMessageResult> {
    const author: Author = { kind: 'VISITOR', visitorId: visitor.id };
    const findOriginal = () => this.findVisitorDuplicate(visitor.id, input.clientMessageId);
    const draft = (conversationId: string): Draft => ({
      conversationId,
      author,
      clientMessageId: input.clientMessageId,
      body: input.body,
      internal: false,
      reopen: true,
      attachmentIds: input.attachmentIds ?? [],
    });
    if (input.conversationId) {
      const conversationId = input.conversationId;
      return this.finish(
        author,
        await this.orOriginal(findOriginal, () => this.commit(this.prisma, draft(conversationId))),
      );
    }
    const original = await findOriginal();
    if (original) return original;
    const outcome = await this.orOriginal(findOriginal, () =>
      this.prisma.$transaction(async (tx) => {
        // One visitor's first messages are serialised so that two of them open one conversation.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${visitor.id}))`;
        // Pending and snoozed conversations are still the visitor's current one.
        const open = await tx.conversation.findFirst({
          where: { visitorId: visitor.id, status: { not: 'RESOLVED' } },
          orderBy: { createdAt: 'desc' },
          select: { id: true },
        });
        const conversationId =
          open?.id ??
          (
            await tx.conversation.create({
              data: { id: newId(), siteId: visitor.siteId, visitorId: visitor.id },
              select: { id: true },
            })
          ).id;
        const result = await this.commit(tx, draft(conversationId));
        // Nothing written (a revoked visitor, or a copy that committed meanwhile): a conversation
        // opened for it goes too.
        if (result.kind !== 'committed' && !open) throw new RolledBack(result);
        return result;
      }, TRANSACTION_WAITS),
    ).catch((error: unknown) => {
      if (error instanceof RolledBack) return error.outcome;
      throw error;
    });
    return this.finish(author, outcome);
  }

  /** An agent's reply or internal note. The agent must still be active when it commits. */
  async sendFromAgent(
    agent: Pick<Agent, 'id'>,
    input: AgentSendMessage,
  ): Promise<SendMessageResult> {
    const author: Author = { kind: 'AGENT', agentId: agent.id };
    const findOriginal = async () => {
      const message = await this.prisma.message.findUnique({
        where: {
          conversationId_clientMessageId: {
            conversationId: input.conversationId,
            clientMessageId: input.clientMessageId,
          },
        },
        include: ATTACHMENTS_IN_ORDER,
      });
      return message ? duplicateResult(message) : null;
    };
    return this.finish(
      author,
      await this.orOriginal(findOriginal, () =>
        this.commit(this.prisma, {
          conversationId: input.conversationId,
          author,
          clientMessageId: input.clientMessageId,
          body: input.body,
          internal: input.internal ?? false,
          reopen: false,
          attachmentIds: input.attachmentIds ?? [],
        }),
      ),
    );
  }

  /** The visitor's own message with this id: never an agent's reply or note. */
  private async findVisitorDuplicate(visitorId: string, clientMessageId: string) {
    const message = await this.prisma.message.findFirst({
      where: { clientMessageId, conversation: { visitorId } },
      include: ATTACHMENTS_IN_ORDER,
    });
    return message ? duplicateResult(visitorsOwn(message)) : null;
  }

  /**
   * Runs the write; if a concurrent copy of the same message committed first (the insert hit the
   * unique index and the whole statement or transaction rolled back, so no seq was used), returns
   * that one instead.
   */
  private async orOriginal(
    findOriginal: () => Promise<SendMessageResult | null>,
    write: () => Promise<Outcome>,
  ): Promise<Outcome | SendMessageResult> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) {
        const original = await findOriginal();
        if (original) return original;
      }
      throw error;
    }
  }

  /** Publishes what this call committed and builds the ack; explains a refusal. */
  private async finish(
    author: Author,
    outcome: Outcome | SendMessageResult,
  ): Promise<SendMessageResult> {
    if (!('kind' in outcome)) return outcome;
    if (outcome.kind === 'original') {
      const original = author.kind === 'VISITOR' ? visitorsOwn(outcome.message) : outcome.message;
      const attachments = await this.prisma.attachment.findMany({
        where: { messageId: original.id },
        orderBy: { createdAt: 'asc' },
      });
      return duplicateResult({ ...original, attachments });
    }
    if (outcome.kind === 'refused') throw await this.refusal(author);
    const message = toMessageDto({ ...outcome.message, attachments: outcome.attachments });
    this.publisher.messageCommitted(
      message,
      toConversationDto(outcome.conversation),
      outcome.reopened,
    );
    return {
      id: message.id,
      seq: message.seq,
      conversationId: message.conversationId,
      duplicate: false,
      message,
    };
  }

  /** Why nothing was written: the author may no longer write (401), or no such conversation. */
  private async refusal(author: Author): Promise<ApiException> {
    if (author.kind === 'VISITOR') {
      const visitor = await this.prisma.visitor.findUnique({
        where: { id: author.visitorId },
        select: { revokedAt: true },
      });
      if (!visitor || visitor.revokedAt) {
        return ApiException.unauthorized('This chat session was ended; a new one will start.');
      }
    } else {
      const agent = await this.prisma.agent.findUnique({
        where: { id: author.agentId },
        select: { active: true },
      });
      if (!agent?.active) return ApiException.unauthorized('This account is deactivated.');
    }
    return ApiException.notFound('This conversation does not exist.');
  }

  /**
   * Commits a message. One statement when it carries no files; with files, that statement and
   * the linking of the files run in one transaction, so a file that is not the author's (or was
   * sent already) leaves nothing written.
   */
  private async commit(db: Db, draft: Draft): Promise<Outcome> {
    if (draft.attachmentIds.length === 0) return this.commitStatement(db, draft);
    const write = async (tx: Tx): Promise<Outcome> => {
      const outcome = await this.commitStatement(tx, draft);
      if (outcome.kind !== 'committed') return outcome;
      const uploader: AttachmentUser =
        draft.author.kind === 'VISITOR'
          ? { kind: 'visitor', visitorId: draft.author.visitorId }
          : { kind: 'agent', agentId: draft.author.agentId };
      const attachments = await this.attachments.link(
        tx,
        draft.attachmentIds,
        uploader,
        outcome.message.id,
      );
      if (draft.body.length === 0) {
        const preview = attachmentPreview(attachments);
        await tx.conversation.update({
          where: { id: draft.conversationId },
          data: { lastMessagePreview: preview },
          select: { id: true },
        });
        outcome.conversation.lastMessagePreview = preview;
      }
      return { ...outcome, attachments };
    };
    return db === this.prisma ? this.prisma.$transaction(write, TRANSACTION_WAITS) : write(db);
  }

  /** Outside a transaction, through the group commit; inside one, on its own. */
  private async commitStatement(db: Db, draft: Draft): Promise<Outcome> {
    const row =
      db === this.prisma
        ? await this.groupCommit.write(draft)
        : (await db.$queryRaw<CommitRow[]>(commitStatement(draft, newId(), new Date())))[0];
    if (!row) return { kind: 'refused' };
    const message: Message = {
      id: row.id,
      conversationId: row.conversationId,
      seq: row.seq,
      authorKind: row.authorKind,
      authorId: row.authorId,
      authorName: row.authorName,
      authorAvatarUrl: row.authorAvatarUrl,
      body: row.body,
      internal: row.internal,
      clientMessageId: row.clientMessageId,
      createdAt: row.createdAt,
    };
    if (row.c_siteId === null) return { kind: 'original', message };
    return {
      kind: 'committed',
      message,
      attachments: [],
      reopened: row.c_beforeStatus !== row.c_status,
      conversation: {
        id: row.conversationId,
        siteId: row.c_siteId,
        status: row.c_status,
        assigneeId: row.c_assigneeId,
        lastSeq: row.c_lastSeq,
        lastMessageAt: row.c_lastMessageAt,
        lastMessagePreview: row.c_lastMessagePreview,
        snoozedUntil: row.c_snoozedUntil,
        createdAt: row.c_createdAt,
        visitorLastReadSeq: row.c_visitorLastReadSeq,
        agentLastReadSeq: row.c_agentLastReadSeq,
        satisfactionRating: row.c_satisfactionRating,
        satisfactionComment: row.c_satisfactionComment,
        satisfactionRatedAt: row.c_satisfactionRatedAt,
        visitor: {
          id: row.c_visitorId,
          name: row.v_name,
          email: row.v_email,
          pageUrl: row.v_pageUrl,
          userAgent: row.v_userAgent,
          lastSeenAt: row.v_lastSeenAt,
        },
      },
    };
  }
}

/**
 * The call that commits a message or finds its original: `parley_commit_message`, a PL/pgSQL
 * function (migration `20270104000000_commit_message_function`, which explains each step), so
 * that PostgreSQL plans its statement once per connection instead of once per message.
 */
function commitStatement(draft: Draft, messageId: string, now: Date): Prisma.Sql {
  const authorId = draft.author.kind === 'VISITOR' ? draft.author.visitorId : draft.author.agentId;
  return Prisma.sql`SELECT * FROM "parley_commit_message"(
    ${messageId}, ${draft.conversationId}, ${draft.author.kind}::"author_kind", ${authorId},
    ${draft.clientMessageId}, ${draft.body}, ${draft.body.slice(0, PREVIEW_LENGTH)},
    ${draft.internal}::boolean, ${draft.reopen}::boolean, ${now}::timestamp(3))`;
}

/**
 * Several messages in one statement, so in one transaction: `parley_commit_message` once per
 * message, in the order given (each call sees what the previous ones wrote, so two messages to
 * one conversation take consecutive seqs). The group commit's lanes keep two batches under way
 * from ever sharing a conversation, so they never wait for each other's row locks. Each row
 * carries `ord`, the message's place in `drafts`; a message refused has a row of nulls.
 */
function batchStatement(drafts: readonly Draft[], now: Date): Prisma.Sql {
  const column = <T>(pick: (draft: Draft) => T) => drafts.map(pick);
  return Prisma.sql`SELECT b."ord", r.* FROM unnest(
    ${drafts.map(() => newId())}::text[],
    ${column((d) => d.conversationId)}::text[],
    ${column((d) => d.author.kind)}::text[],
    ${column((d) => (d.author.kind === 'VISITOR' ? d.author.visitorId : d.author.agentId))}::text[],
    ${column((d) => d.clientMessageId)}::text[],
    ${column((d) => d.body)}::text[],
    ${column((d) => d.body.slice(0, PREVIEW_LENGTH))}::text[],
    ${column((d) => d.internal)}::boolean[],
    ${column((d) => d.reopen)}::boolean[],
    ${drafts.map((_, ord) => ord)}::int[]
  ) WITH ORDINALITY AS b("message_id", "conversation_id", "author_kind", "author_id",
    "client_message_id", "body", "preview", "internal", "reopen", "ord", "position")
  LEFT JOIN LATERAL "parley_commit_message"(b."message_id", b."conversation_id",
    b."author_kind"::"author_kind", b."author_id", b."client_message_id", b."body", b."preview",
    b."internal", b."reopen", ${now}::timestamp(3)) r ON TRUE
  ORDER BY b."position"`;
}

/**
 * The function's row. The conversation and visitor columns are null when it returned an
 * original. Adding a column that the DTOs need means a migration that replaces the function.
 */
interface CommitRow {
  id: string;
  conversationId: string;
  seq: number;
  authorKind: Message['authorKind'];
  authorId: string | null;
  authorName: string | null;
  authorAvatarUrl: string | null;
  body: string;
  internal: boolean;
  clientMessageId: string;
  createdAt: Date;
  c_siteId: string | null;
  c_visitorId: string;
  c_status: Conversation['status'];
  c_beforeStatus: Conversation['status'];
  c_assigneeId: string | null;
  c_lastSeq: number;
  c_lastMessageAt: Date | null;
  c_lastMessagePreview: string | null;
  c_snoozedUntil: Date | null;
  c_createdAt: Date;
  c_visitorLastReadSeq: number;
  c_agentLastReadSeq: number;
  c_satisfactionRating: number | null;
  c_satisfactionComment: string | null;
  c_satisfactionRatedAt: Date | null;
  v_name: string | null;
  v_email: string | null;
  v_pageUrl: string | null;
  v_userAgent: string | null;
  v_lastSeenAt: Date | null;
}

/** A row of the batch: the function's, or nulls for a message refused, and its place. */
type BatchRow = (CommitRow | { id: null }) & { ord: number };

/** Thrown inside the first-message transaction to roll it back when nothing was written. */
class RolledBack extends Error {
  constructor(readonly outcome: Outcome) {
    super('rolled back');
  }
}

/** A unique index refused the insert: Prisma's P2002, or the database's 23505 from raw SQL. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2002') return true;
  const meta = error.meta as {
    code?: unknown;
    driverAdapterError?: { cause?: { kind?: unknown } };
  };
  return (
    meta.code === '23505' || meta.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation'
  );
}

/**
 * A visitor resending a client id that an agent's message already uses gets a conflict, never
 * that message (which may be an internal note).
 */
function visitorsOwn<M extends Message>(message: M): M {
  if (message.authorKind !== 'VISITOR') {
    throw new ApiException(
      HttpStatus.CONFLICT,
      ErrorCode.Conflict,
      'This clientMessageId is already used; send the message with a new one.',
    );
  }
  return message;
}

/** The inbox preview of a message that holds only files: "📎 invoice.pdf". */
function attachmentPreview(attachments: readonly { name: string }[]): string {
  return `📎 ${attachments.map((a) => a.name).join(', ')}`.slice(0, PREVIEW_LENGTH);
}

function duplicateResult(message: MessageWithAttachments): SendMessageResult {
  const dto = toMessageDto(message);
  return {
    id: dto.id,
    seq: dto.seq,
    conversationId: dto.conversationId,
    duplicate: true,
    message: dto,
  };
}
