import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { IdSchema, type RevokeVisitorResponse } from '@parley/protocol';
import { AgentGuard, Roles } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { VisitorsService } from './visitors.service';

@Controller('api/visitors')
@UseGuards(AgentGuard)
@Roles('ADMIN')
export class VisitorsController {
  constructor(private readonly visitors: VisitorsService) {}

  /** Ends a visitor's access: its token stops working and its open connections close now. */
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(
    @Param('id', new ZodValidationPipe(IdSchema, 'visitor id')) id: string,
  ): Promise<RevokeVisitorResponse> {
    return this.visitors.revoke(id);
  }
}
