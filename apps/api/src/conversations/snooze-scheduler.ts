import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConversationsService } from './conversations.service';

/** How often each node looks for snoozed conversations whose time has come. */
export const SNOOZE_CHECK_INTERVAL_MS = 5_000;

/**
 * Reopens snoozed conversations at their time. Every node runs it; `wakeSnoozed` lets only one
 * node win each conversation, so none is woken or announced twice.
 */
@Injectable()
export class SnoozeScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SnoozeScheduler');
  private timer: ReturnType<typeof setInterval> | undefined;
  private running = false;

  constructor(private readonly conversations: ConversationsService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), SNOOZE_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.conversations.wakeSnoozed();
    } catch (error) {
      // The database is away; the next tick tries again.
      this.logger.warn(`waking snoozed conversations failed: ${String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
