import { Body, Controller, Get, Put, Req, UseGuards } from '@nestjs/common';
import { AssignmentSettingsSchema, type AssignmentSettings } from '@parley/protocol';
import { AgentGuard, authOf, Roles, type AgentRequest } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AutoAssignment } from './auto-assignment';

/** Admins switch automatic assignment on or off. */
@Controller('api/settings/assignment')
@UseGuards(AgentGuard)
@Roles('ADMIN')
export class AssignmentController {
  constructor(private readonly assignment: AutoAssignment) {}

  @Get()
  get(): Promise<AssignmentSettings> {
    return this.assignment.settings();
  }

  @Put()
  update(
    @Body(new ZodValidationPipe(AssignmentSettingsSchema, 'assignment settings'))
    body: AssignmentSettings,
    @Req() req: AgentRequest,
  ): Promise<AssignmentSettings> {
    return this.assignment.update(body, authOf(req).agent.id);
  }
}
