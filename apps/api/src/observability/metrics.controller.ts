import { Controller, Get, Header, Inject, Req, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MetricsService } from './metrics.service';

@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Prometheus exposition of this node's metrics; behind a bearer token when METRICS_TOKEN is set. */
  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  async metricsText(@Req() req: Request): Promise<string> {
    const token = this.config.METRICS_TOKEN;
    if (token && !sameSecret(req.headers.authorization ?? '', `Bearer ${token}`)) {
      throw new UnauthorizedException('GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>"');
    }
    return this.metrics.registry.metrics();
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
