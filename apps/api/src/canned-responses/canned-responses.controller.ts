import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  CreateCannedResponseSchema,
  IdSchema,
  UpdateCannedResponseSchema,
  type CannedResponseList,
  type CannedResponseResult,
  type CreateCannedResponse,
  type UpdateCannedResponse,
} from '@parley/protocol';
import { AgentGuard, Roles } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CannedResponsesService } from './canned-responses.service';

/** Any agent lists canned responses; only admins change them. */
@Controller('api/canned-responses')
@UseGuards(AgentGuard)
export class CannedResponsesController {
  constructor(private readonly canned: CannedResponsesService) {}

  @Get()
  async list(): Promise<CannedResponseList> {
    return { cannedResponses: await this.canned.list() };
  }

  @Post()
  @Roles('ADMIN')
  async create(
    @Body(new ZodValidationPipe(CreateCannedResponseSchema, 'canned response'))
    body: CreateCannedResponse,
  ): Promise<CannedResponseResult> {
    return { cannedResponse: await this.canned.create(body) };
  }

  @Patch(':id')
  @Roles('ADMIN')
  async update(
    @Param('id', new ZodValidationPipe(IdSchema, 'canned response id')) id: string,
    @Body(new ZodValidationPipe(UpdateCannedResponseSchema, 'canned response update'))
    body: UpdateCannedResponse,
  ): Promise<CannedResponseResult> {
    return { cannedResponse: await this.canned.update(id, body) };
  }

  @Delete(':id')
  @Roles('ADMIN')
  @HttpCode(204)
  async remove(
    @Param('id', new ZodValidationPipe(IdSchema, 'canned response id')) id: string,
  ): Promise<void> {
    await this.canned.remove(id);
  }
}
