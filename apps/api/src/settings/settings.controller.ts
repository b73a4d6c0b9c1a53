import { Body, Controller, Get, Put, Req, UseGuards } from '@nestjs/common';
import {
  UpdateTransportRequestSchema,
  type ConsoleConfig,
  type TransportSettings,
  type UpdateTransportRequest,
} from '@parley/protocol';
import { AgentGuard, authOf, Roles, type AgentRequest } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { SettingsService } from './settings.service';

@Controller('api')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  /** Public: what the console needs before it opens a socket. */
  @Get('config')
  config(): ConsoleConfig {
    return {
      transport: this.settings.clientTransport(),
      attachmentMaxBytes: this.settings.attachmentMaxBytes(),
    };
  }

  @Get('settings/transport')
  @UseGuards(AgentGuard)
  @Roles('ADMIN')
  transport(): Promise<TransportSettings> {
    return this.settings.transportSettings();
  }

  @Put('settings/transport')
  @UseGuards(AgentGuard)
  @Roles('ADMIN')
  update(
    @Body(new ZodValidationPipe(UpdateTransportRequestSchema, 'transport settings'))
    body: UpdateTransportRequest,
    @Req() req: AgentRequest,
  ): Promise<TransportSettings> {
    return this.settings.setTransportMode(body.mode, authOf(req).agent.id);
  }
}
