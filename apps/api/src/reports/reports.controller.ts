import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ReportQuerySchema, type ReportQuery, type ReportResponse } from '@parley/protocol';
import { AgentGuard } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { ReportsService } from './reports.service';

/** `GET /api/reports?from=&to=&siteId=&agentId=`: any signed-in agent (admins and agents). */
@Controller('api/reports')
@UseGuards(AgentGuard)
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  get(
    @Query(new ZodValidationPipe(ReportQuerySchema, 'report')) query: ReportQuery,
  ): Promise<ReportResponse> {
    return this.reports.report(query);
  }
}
