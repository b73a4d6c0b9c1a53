import { Injectable, Logger } from '@nestjs/common';
import type { AssignmentSettings } from '@parley/protocol';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { toConversationDto } from './conversation.mapper';

const SETTING_KEY = 'assignment.auto';
/** The last agent given a conversation; its row is locked while the next one is chosen. */
const CURSOR_KEY = 'assignment.cursor';

/**
 * Optional automatic assignment: each new conversation goes to the next online agent (a live
 * `/agent` connection on any node) after the one who got the previous conversation. The cursor
 * lives in the database and is locked while it moves, so nodes that assign at once take turns.
 */
@Injectable()
export class AutoAssignment {
  private readonly logger = new Logger('AutoAssignment');

  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async settings(): Promise<AssignmentSettings> {
    const row = await this.prisma.setting.findUnique({ where: { key: SETTING_KEY } });
    return { autoAssign: row?.value === true };
  }

  async update(settings: AssignmentSettings, agentId: string): Promise<AssignmentSettings> {
    await this.prisma.setting.upsert({
      where: { key: SETTING_KEY },
      create: { key: SETTING_KEY, value: settings.autoAssign, updatedById: agentId },
      update: { value: settings.autoAssign, updatedById: agentId },
    });
    return settings;
  }

  /** Assigns a new, unassigned conversation when the setting is on. Never throws. */
  async assignNew(conversationId: string): Promise<void> {
    try {
      if (!(await this.settings()).autoAssign) return;
      const online = await this.publisher.onlineAgentIds();
      if (online.length === 0) return;
      const assigned = await this.prisma.$transaction(async (tx) => {
        const candidates = (
          await tx.agent.findMany({
            where: { id: { in: online }, active: true, away: false },
            select: { id: true },
            orderBy: { id: 'asc' },
          })
        ).map((a) => a.id);
        if (candidates.length === 0) return null;
        await tx.$executeRawUnsafe(
          `INSERT INTO "settings" ("key", "value", "updated_at") VALUES ($1, 'null'::jsonb, now())
           ON CONFLICT ("key") DO NOTHING`,
          CURSOR_KEY,
        );
        const rows = await tx.$queryRawUnsafe<{ value: unknown }[]>(
          'SELECT "value" FROM "settings" WHERE "key" = $1 FOR UPDATE',
          CURSOR_KEY,
        );
        const last = typeof rows[0]?.value === 'string' ? rows[0].value : '';
        const next = candidates.find((id) => id > last) ?? candidates[0] ?? null;
        if (next === null) return null;
        // Only a conversation nobody has assigned meanwhile.
        const { count } = await tx.conversation.updateMany({
          where: { id: conversationId, assigneeId: null },
          data: { assigneeId: next },
        });
        if (count === 0) return null;
        await tx.setting.update({ where: { key: CURSOR_KEY }, data: { value: next } });
        return tx.conversation.findUniqueOrThrow({
          where: { id: conversationId },
          include: { visitor: true },
        });
      });
      if (assigned) this.publisher.conversationChanged(toConversationDto(assigned), false);
    } catch (error) {
      // The conversation stays unassigned, in the Unassigned view, for an agent to take.
      this.logger.warn(`automatic assignment failed: ${String(error)}`);
    }
  }
}
