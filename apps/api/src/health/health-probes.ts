import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MetricsService } from '../observability/metrics.service';
import { PrismaService } from '../services/database/prisma.service';
import { RedisService } from '../services/redis/redis.service';

const PROBE_INTERVAL_MS = 5_000;

/** Measures database and Redis round trips every few seconds, for /metrics. */
@Injectable()
export class HealthProbes implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      void this.probe();
    }, PROBE_INTERVAL_MS);
    this.timer.unref();
    void this.probe();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async probe(): Promise<void> {
    try {
      this.metrics.databaseLatency.observe((await this.prisma.ping()) / 1000);
    } catch {
      // The failure shows in /readyz; the histogram only holds answered probes.
    }
    if (!this.redis.enabled) return;
    try {
      this.metrics.redisLatency.observe((await this.redis.ping()) / 1000);
      this.metrics.redisUp.set(this.redis.isReady() ? 1 : 0);
    } catch {
      this.metrics.redisUp.set(0);
    }
  }
}
