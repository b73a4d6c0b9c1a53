import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AttachmentsService } from './attachments.service';

/** How often each node deletes the files uploaded but never sent. */
export const UNSENT_SWEEP_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes files a visitor or an agent uploaded but never sent (the tab closed, the send was
 * refused) once they are `ATTACHMENT_UNSENT_TTL_HOURS` old: at start and every hour, on every
 * node (`removeUnsent` is safe to run on several at once).
 */
@Injectable()
export class UnsentAttachmentsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Attachments');
  private timer: ReturnType<typeof setInterval> | undefined;
  private running = false;

  constructor(
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), UNSENT_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(now = Date.now()): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const ttlMs = this.config.ATTACHMENT_UNSENT_TTL_HOURS * 3_600_000;
      const removed = await this.attachments.removeUnsent(new Date(now - ttlMs));
      if (removed > 0) this.logger.log(`deleted ${String(removed)} files uploaded but never sent`);
    } catch (error) {
      // The database is away; the next sweep tries again.
      this.logger.warn(`deleting unsent files failed: ${String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
