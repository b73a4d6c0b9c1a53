import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  TransportModeSchema,
  transportsFor,
  type ClientTransportConfig,
  type TransportChange,
  type TransportMode,
  type TransportSettings,
  type TransportTunables,
} from '@parley/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { newId } from '../common/ids';
import { PrismaService } from '../services/database/prisma.service';

export const TRANSPORT_MODE_KEY = 'transport.mode';

type Listener = (mode: TransportMode) => void;

/** Settings stored in the database: the transport mode, with an audit trail of changes. */
@Injectable()
export class SettingsService implements OnModuleInit {
  private mode: TransportMode = 'auto';
  private readonly listeners = new Set<Listener>();
  private readonly storedListeners = new Set<(key: string) => void>();

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** Re-reads the stored mode; notifies listeners when it changed. */
  async reload(): Promise<TransportMode> {
    const row = await this.prisma.setting.findUnique({ where: { key: TRANSPORT_MODE_KEY } });
    const parsed = TransportModeSchema.safeParse(row?.value);
    this.apply(parsed.success ? parsed.data : 'auto');
    return this.mode;
  }

  transportMode(): TransportMode {
    return this.mode;
  }

  /** Called with the new mode whenever it changes on this node. */
  onTransportModeChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with the key after an admin stored a setting on this node (other nodes then reload). */
  onStored(listener: (key: string) => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  /** The largest file a message can carry (`ATTACHMENT_MAX_BYTES`), for the clients' checks. */
  attachmentMaxBytes(): number {
    return this.config.ATTACHMENT_MAX_BYTES;
  }

  tunables(): TransportTunables {
    return {
      pingIntervalMs: this.config.PING_INTERVAL_MS,
      pingTimeoutMs: this.config.PING_TIMEOUT_MS,
      maxHttpBufferSize: this.config.MAX_HTTP_BUFFER_SIZE,
      reconnectionDelayMs: this.config.RECONNECTION_DELAY_MS,
      reconnectionDelayMaxMs: this.config.RECONNECTION_DELAY_MAX_MS,
      loadBalancerIdleTimeoutMs: this.config.LB_IDLE_TIMEOUT_MS,
    };
  }

  /** The socket.io client options for the current mode, as sent to widgets and consoles. */
  clientTransport(mode: TransportMode = this.mode): ClientTransportConfig {
    return {
      mode,
      ...transportsFor(mode),
      reconnectionDelayMs: this.config.RECONNECTION_DELAY_MS,
      reconnectionDelayMaxMs: this.config.RECONNECTION_DELAY_MAX_MS,
    };
  }

  async transportSettings(): Promise<TransportSettings> {
    const changes = await this.prisma.settingChange.findMany({
      where: { key: TRANSPORT_MODE_KEY },
      orderBy: { changedAt: 'desc' },
      take: 50,
      include: { changedBy: { select: { id: true, name: true, email: true } } },
    });
    return {
      mode: this.mode,
      tunables: this.tunables(),
      changes: changes.map((c): TransportChange => ({
        id: c.id,
        from: TransportModeSchema.nullable().catch(null).parse(c.fromValue),
        to: TransportModeSchema.catch('auto').parse(c.toValue),
        changedBy: c.changedBy,
        changedAt: c.changedAt.toISOString(),
      })),
    };
  }

  /** Stores a new mode and its audit entry in one transaction, then applies it on this node. */
  async setTransportMode(mode: TransportMode, agentId: string): Promise<TransportSettings> {
    const from = this.mode;
    await this.prisma.$transaction(async (tx) => {
      await tx.setting.upsert({
        where: { key: TRANSPORT_MODE_KEY },
        create: { key: TRANSPORT_MODE_KEY, value: mode, updatedById: agentId },
        update: { value: mode, updatedById: agentId },
      });
      await tx.settingChange.create({
        data: {
          id: newId(),
          key: TRANSPORT_MODE_KEY,
          fromValue: from,
          toValue: mode,
          changedById: agentId,
        },
      });
    });
    this.apply(mode);
    for (const listener of this.storedListeners) listener(TRANSPORT_MODE_KEY);
    return this.transportSettings();
  }

  private apply(mode: TransportMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    for (const listener of this.listeners) listener(mode);
  }
}
