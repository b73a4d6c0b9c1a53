import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaService } from '../services/database/prisma.service';

@Controller()
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process is up. */
  @Get('healthz')
  health(): { status: 'ok'; node: string } {
    return { status: 'ok', node: this.config.NODE_ID };
  }

  /** The node can serve traffic: its database answers. */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      const latencyMs = await this.prisma.ping();
      return {
        status: 'ready',
        node: this.config.NODE_ID,
        database: { ok: true, latencyMs: Math.round(latencyMs * 10) / 10 },
      };
    } catch (error) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return {
        status: 'unavailable',
        node: this.config.NODE_ID,
        database: { ok: false, error: error instanceof Error ? error.message : String(error) },
      };
    }
  }
}
