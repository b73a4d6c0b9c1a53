import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import {
  CreateSiteRequestSchema,
  IdSchema,
  UpdatePreChatRequestSchema,
  UpdateSiteRequestSchema,
  type UpdatePreChatRequest,
  type CreateSiteFields,
  type IdentitySecretResponse,
  type SiteListResponse,
  type SiteResponse,
  type UpdateSiteRequest,
} from '@parley/protocol';
import { AgentGuard, Roles } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { SitesService, toSiteDto } from './sites.service';

const idPipe = () => new ZodValidationPipe(IdSchema, 'site id');

/** Sites, for admins: allowed origins, "any origin", identity secret and its enforcement. */
@Controller('api/sites')
@UseGuards(AgentGuard)
@Roles('ADMIN')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  async list(): Promise<SiteListResponse> {
    return { sites: await this.sites.list() };
  }

  @Post()
  @HttpCode(201)
  async create(
    @Body(new ZodValidationPipe(CreateSiteRequestSchema, 'site')) body: CreateSiteFields,
  ): Promise<SiteResponse> {
    return { site: await this.sites.create(body) };
  }

  @Get(':id')
  async get(@Param('id', idPipe()) id: string): Promise<SiteResponse> {
    return { site: toSiteDto(await this.sites.get(id)) };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe()) id: string,
    @Body(new ZodValidationPipe(UpdateSiteRequestSchema, 'site update')) body: UpdateSiteRequest,
  ): Promise<SiteResponse> {
    return { site: await this.sites.update(id, body) };
  }

  /** Sets the pre-chat form: name and email, each off, optional or required. */
  @Put(':id/pre-chat')
  async updatePreChat(
    @Param('id', idPipe()) id: string,
    @Body(new ZodValidationPipe(UpdatePreChatRequestSchema, 'pre-chat form'))
    body: UpdatePreChatRequest,
  ): Promise<SiteResponse> {
    return { site: await this.sites.updatePreChat(id, body) };
  }

  /** Creates (or replaces) the site's identity secret and shows it this once. */
  @Post(':id/identity-secret')
  @HttpCode(200)
  identitySecret(@Param('id', idPipe()) id: string): Promise<IdentitySecretResponse> {
    return this.sites.rotateIdentitySecret(id);
  }
}
