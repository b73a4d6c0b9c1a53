import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { GracefulShutdown } from '../cluster/graceful-shutdown';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaService } from '../services/database/prisma.service';
import { RedisService } from '../services/redis/redis.service';

type Check = { ok: true; latencyMs: number } | { ok: false; error: string };

@Controller()
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
    private readonly shutdown: GracefulShutdown,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process is up. */
  @Get('healthz')
  health(): { status: 'ok'; node: string } {
    return { status: 'ok', node: this.config.NODE_ID };
  }

  /**
   * The node can serve traffic: its database answers, Redis answers (when configured), and it is
   * not shutting down. Load balancers take a node out of rotation on 503.
   */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, redis] = await Promise.all([
      check(() => this.prisma.ping()),
      this.redis.enabled ? check(() => this.redis.ping()) : Promise.resolve(undefined),
    ]);
    const draining = this.shutdown.isDraining;
    const ready = database.ok && (redis?.ok ?? true) && !draining;
    if (!ready) res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: draining ? 'draining' : ready ? 'ready' : 'unavailable',
      node: this.config.NODE_ID,
      database,
      ...(redis ? { redis } : {}),
    };
  }
}

async function check(ping: () => Promise<number>): Promise<Check> {
  try {
    return { ok: true, latencyMs: Math.round((await ping()) * 10) / 10 };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
