import { Body, Controller, Get, Param, Patch, Put, Query, Req, UseGuards } from '@nestjs/common';
import {
  IdSchema,
  PresenceQuerySchema,
  UpdateAgentPreferencesSchema,
  UpdateSiteAvailabilitySchema,
  type AgentPreferences,
  type PresenceQuery,
  type PresenceResponse,
  type SiteAvailability,
  type UpdateAgentPreferences,
  type UpdateSiteAvailability,
} from '@parley/protocol';
import { AgentGuard, authOf, Roles, type AgentRequest } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../services/database/prisma.service';
import { SitesService } from '../sites/sites.service';
import { PresenceService } from './presence.service';

/** Any agent: who is online, and their own preferences (away switch, notifications). */
@Controller('api')
@UseGuards(AgentGuard)
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Get('presence')
  snapshot(
    @Query(new ZodValidationPipe(PresenceQuerySchema, 'query')) query: PresenceQuery,
  ): Promise<PresenceResponse> {
    return this.presence.snapshot(query.visitorIds);
  }

  @Get('me/preferences')
  preferences(@Req() req: AgentRequest): Promise<AgentPreferences> {
    return this.presence.preferences(authOf(req).agent.id);
  }

  @Patch('me/preferences')
  updatePreferences(
    @Body(new ZodValidationPipe(UpdateAgentPreferencesSchema, 'preferences'))
    body: UpdateAgentPreferences,
    @Req() req: AgentRequest,
  ): Promise<AgentPreferences> {
    return this.presence.updatePreferences(authOf(req).agent.id, body);
  }
}

/** Admins: a site's business hours and whether its launcher hides while nobody is online. */
@Controller('api/sites')
@UseGuards(AgentGuard)
@Roles('ADMIN')
export class SiteAvailabilityController {
  constructor(
    private readonly presence: PresenceService,
    private readonly sites: SitesService,
    private readonly prisma: PrismaService,
  ) {}

  @Get(':id/availability')
  async get(
    @Param('id', new ZodValidationPipe(IdSchema, 'site id')) id: string,
  ): Promise<SiteAvailability> {
    return this.presence.siteAvailability(await this.sites.get(id));
  }

  @Put(':id/availability')
  async update(
    @Param('id', new ZodValidationPipe(IdSchema, 'site id')) id: string,
    @Body(new ZodValidationPipe(UpdateSiteAvailabilitySchema, 'availability'))
    body: UpdateSiteAvailability,
  ): Promise<SiteAvailability> {
    await this.sites.get(id);
    const site = await this.prisma.site.update({
      where: { id },
      data: {
        // No hours (always open) is SQL NULL, which Prisma spells DbNull.
        businessHours: body.businessHours ?? Prisma.DbNull,
        hideLauncherWhenOffline: body.hideLauncherWhenOffline,
      },
    });
    return this.presence.siteAvailability(site);
  }
}
