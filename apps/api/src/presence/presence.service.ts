import { Injectable, Logger } from '@nestjs/common';
import {
  BusinessHoursSchema,
  businessHoursStatus,
  type AgentPreferences,
  type AgentPresence,
  type PresenceResponse,
  type PresenceStatus,
  type SiteAvailability,
  type UpdateAgentPreferences,
  type WidgetAvailability,
} from '@parley/protocol';
import type { Agent, Site } from '../generated/prisma/client';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';

/** How long after an offline verdict it is checked again. */
const RECHECK_MS = 1_000;

/**
 * How long a node keeps its answer to "can any agent answer?" for the widget's config while no
 * console connects or closes on it. Every idle widget asks about once a minute, and the answer
 * costs a round of every node's sockets and a read of the agents; a change on another node
 * reaches this node's config within this time (open chats are told at once either way).
 */
const AVAILABILITY_MEMO_MS = 2_000;

function preferencesOf(agent: Pick<Agent, 'away' | 'notifyDesktop' | 'notifySound'>) {
  return { away: agent.away, notifyDesktop: agent.notifyDesktop, notifySound: agent.notifySound };
}

/** A site's stored business hours, or null (always open) when none or unreadable. */
export function businessHoursOf(site: Pick<Site, 'businessHours'>) {
  const parsed = BusinessHoursSchema.safeParse(site.businessHours);
  return parsed.success ? parsed.data : null;
}

/**
 * Who is there. An agent is online while any `/agent` socket of theirs is open on any node
 * (asked through the socket.io adapter, so Redis spans the nodes; no client heartbeat, which
 * background tabs throttle), away when they also switched away, offline otherwise. A visitor is
 * online while any `/widget` socket of theirs is open. Changes are announced to the agents.
 */
@Injectable()
export class PresenceService {
  private readonly logger = new Logger('Presence');
  /** Per agent, the announcement under way: the next one waits for it. */
  private readonly announcing = new Map<string, Promise<void>>();
  /** The remembered answer to "can any agent answer?", or the lookup giving it. */
  private available: { answer: Promise<boolean>; until: number } | null = null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
  ) {}

  /** Every active agent's presence, and which of `visitorIds` are online. */
  async snapshot(visitorIds: readonly string[]): Promise<PresenceResponse> {
    const [online, agents, onlineVisitorIds] = await Promise.all([
      this.publisher.onlineAgentIds(),
      this.prisma.agent.findMany({
        where: { active: true },
        select: { id: true, away: true },
        orderBy: { name: 'asc' },
      }),
      this.publisher.onlineVisitorIds(visitorIds),
    ]);
    const connected = new Set(online);
    return {
      agents: agents.map((a) => ({
        agentId: a.id,
        status: connected.has(a.id) ? (a.away ? 'away' : 'online') : 'offline',
      })),
      onlineVisitorIds,
    };
  }

  /** Agents who can take a conversation now: a console open on any node, active, not away. */
  async availableAgentIds(): Promise<string[]> {
    const online = await this.publisher.onlineAgentIds();
    if (online.length === 0) return [];
    const agents = await this.prisma.agent.findMany({
      where: { id: { in: online }, active: true, away: false },
      select: { id: true },
    });
    return agents.map((a) => a.id);
  }

  /**
   * Forgets the remembered availability. Called as an agent's console connects or closes on this
   * node (synchronously, before anything else can ask) and as an agent's away switch changes.
   */
  forgetAvailability(): void {
    this.available = null;
  }

  /** Whether any agent can answer, remembered for a moment; concurrent askers share one lookup. */
  private anyAgentAvailable(): Promise<boolean> {
    const now = Date.now();
    if (this.available && this.available.until > now) return this.available.answer;
    const answer = this.availableAgentIds().then((ids) => ids.length > 0);
    const entry = { answer, until: now + AVAILABILITY_MEMO_MS };
    this.available = entry;
    answer.catch(() => {
      if (this.available === entry) this.available = null;
    });
    return answer;
  }

  /** What a site's widget says about who can answer. */
  async widgetAvailability(site: Site, now = Date.now()): Promise<WidgetAvailability> {
    const agentsOnline = await this.anyAgentAvailable();
    const hours = businessHoursOf(site);
    const status = hours ? businessHoursStatus(hours, now) : { open: true, nextOpenAt: null };
    return {
      agentsOnline,
      withinHours: status.open,
      nextOpenAt: status.nextOpenAt,
      hideLauncher: site.hideLauncherWhenOffline && !agentsOnline,
      hideLauncherWhenOffline: site.hideLauncherWhenOffline,
    };
  }

  siteAvailability(site: Site): SiteAvailability {
    return {
      businessHours: businessHoursOf(site),
      hideLauncherWhenOffline: site.hideLauncherWhenOffline,
    };
  }

  async preferences(agentId: string): Promise<AgentPreferences> {
    return preferencesOf(await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId } }));
  }

  /** Stores the agent's preferences; a change of the away switch is announced at once. */
  async updatePreferences(
    agentId: string,
    update: UpdateAgentPreferences,
  ): Promise<AgentPreferences> {
    const agent = await this.prisma.agent.update({ where: { id: agentId }, data: update });
    if (update.away !== undefined) await this.announceAgent(agentId);
    return preferencesOf(agent);
  }

  /** An agent's socket connected: they are online (or away) now. */
  async agentConnected(agentId: string): Promise<void> {
    await this.announceAgent(agentId);
  }

  /** An agent's socket closed: offline if it was their last, on every node. */
  async agentDisconnected(agentId: string): Promise<void> {
    await this.announceAgent(agentId);
  }

  visitorConnected(siteId: string, visitorId: string): void {
    this.publisher.visitorPresence(siteId, { visitorId, online: true });
  }

  /** A visitor's socket closed: offline if it was their last, on every node. */
  async visitorDisconnected(siteId: string, visitorId: string): Promise<void> {
    try {
      const online = await this.publisher.visitorConnected(visitorId);
      if (!online) this.publisher.visitorPresence(siteId, { visitorId, online: false });
    } catch (error) {
      this.logger.warn(`visitor presence not announced: ${String(error)}`);
    }
  }

  async agentStatus(agentId: string): Promise<PresenceStatus> {
    const [connected, agent] = await Promise.all([
      this.publisher.agentConnected(agentId),
      this.prisma.agent.findUnique({ where: { id: agentId }, select: { away: true } }),
    ]);
    if (!connected || !agent) return 'offline';
    return agent.away ? 'away' : 'online';
  }

  /**
   * Tells every agent the agent's presence as it stands now, and the chats whether anyone can
   * answer. Never throws. An offline verdict is checked again a moment later:
   * a tab opening on another node while the last one closed here could otherwise leave the
   * agent shown offline.
   */
  private announceAgent(agentId: string, recheck = true): Promise<void> {
    this.forgetAvailability();
    // One announcement at a time per agent, in the order they were asked for: two sockets
    // closing together must not have the first one's "online" (read while the other was still
    // open) told after the second one's "offline".
    const next = (this.announcing.get(agentId) ?? Promise.resolve()).then(() =>
      this.announceNow(agentId, recheck),
    );
    this.announcing.set(agentId, next);
    void next.then(() => {
      if (this.announcing.get(agentId) === next) this.announcing.delete(agentId);
    });
    return next;
  }

  private async announceNow(agentId: string, recheck: boolean): Promise<void> {
    try {
      const status = await this.agentStatus(agentId);
      this.publisher.agentPresence({ agentId, status } satisfies AgentPresence);
      // Told every time (agents' consoles come and go rarely): a node cannot know what another
      // node told the chats last.
      const available = (await this.availableAgentIds()).length > 0;
      this.publisher.availabilityChanged({ agentsOnline: available });
      if (status === 'offline' && recheck) {
        setTimeout(() => {
          void this.agentStatus(agentId).then(
            (now) => (now === 'offline' ? undefined : this.announceAgent(agentId, false)),
            () => undefined,
          );
        }, RECHECK_MS).unref();
      }
    } catch (error) {
      this.logger.warn(`agent presence not announced: ${String(error)}`);
    }
  }
}
