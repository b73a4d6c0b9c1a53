import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Server } from 'socket.io';
import { RedisService } from '../services/redis/redis.service';
import { SettingsService } from './settings.service';

const SETTINGS_CHANGED = 'settings:changed';

/**
 * Keeps every node's settings current: a node that stores a change tells the others through the
 * adapter (Redis), and they reload from the database at once. After a Redis outage every node
 * reloads, in case it missed a change.
 */
@Injectable()
export class SettingsSync implements OnModuleDestroy {
  private readonly logger = new Logger('SettingsSync');
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly settings: SettingsService,
    private readonly redis: RedisService,
  ) {}

  attach(io: Server): void {
    if (!this.redis.enabled) return;
    const reload = (why: string) => {
      this.settings.reload().catch((error: unknown) => {
        this.logger.error(`Could not reload settings (${why}): ${String(error)}`);
      });
    };
    const onChanged = (key: unknown) => {
      reload(`${String(key)} changed on another node`);
    };
    io.on(SETTINGS_CHANGED, onChanged);
    this.stops.push(
      () => io.off(SETTINGS_CHANGED, onChanged),
      this.settings.onStored((key) => {
        io.serverSideEmit(SETTINGS_CHANGED, key);
      }),
      this.redis.onRecovered(() => {
        reload('Redis is back');
      }),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
