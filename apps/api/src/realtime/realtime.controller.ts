import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ConnectionFailureReportSchema, type ConnectionsResponse } from '@parley/protocol';
import { AgentGuard, Roles } from '../auth/agent.guard';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { RateLimiter } from '../common/rate-limiter';
import { ConnectionRegistry } from './connection-registry';

@Controller('api/realtime')
export class RealtimeController {
  /** Client reports are unauthenticated: keep them from flooding the list. */
  private readonly reports = new RateLimiter(120, 60_000);

  constructor(private readonly registry: ConnectionRegistry) {}

  @Get('connections')
  @UseGuards(AgentGuard)
  @Roles('ADMIN')
  connections(): Promise<ConnectionsResponse> {
    return this.registry.clusterSnapshot();
  }

  /** A widget or console reports a failed handshake or upgrade (sent as text/plain JSON: no preflight). */
  @Post('failures')
  @HttpCode(204)
  report(@Body() body: unknown): void {
    const value: unknown = typeof body === 'string' ? safeJson(body) : body;
    const report = parseOrThrow(ConnectionFailureReportSchema, value, 'failure report');
    if (this.reports.hit('all') > 0) return;
    this.registry.recordFailure(report);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
