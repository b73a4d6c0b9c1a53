import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  IdSchema,
  type RevokeVisitorResponse,
  type VisitorDetailsResponse,
} from '@parley/protocol';
import { AgentGuard, Roles } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { VisitorsService } from './visitors.service';

@Controller('api/visitors')
@UseGuards(AgentGuard)
@Roles('ADMIN')
export class VisitorsController {
  constructor(private readonly visitors: VisitorsService) {}

  /** The visitor panel: the visitor's details and its conversations, newest first (any agent). */
  @Get(':id')
  @Roles('ADMIN', 'AGENT')
  details(
    @Param('id', new ZodValidationPipe(IdSchema, 'visitor id')) id: string,
  ): Promise<VisitorDetailsResponse> {
    return this.visitors.details(id);
  }

  /** Ends a visitor's access: its token stops working and its open connections close now. */
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(
    @Param('id', new ZodValidationPipe(IdSchema, 'visitor id')) id: string,
  ): Promise<RevokeVisitorResponse> {
    return this.visitors.revoke(id);
  }
}
