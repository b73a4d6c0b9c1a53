import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type CannedResponse as CannedResponseDto,
  type CreateCannedResponse,
  type UpdateCannedResponse,
} from '@parley/protocol';
import { ApiException } from '../common/api-error';
import { newId } from '../common/ids';
import { Prisma, type CannedResponse } from '../generated/prisma/client';
import { PrismaService } from '../services/database/prisma.service';

function toDto(c: CannedResponse): CannedResponseDto {
  return { id: c.id, shortcut: c.shortcut, body: c.body, updatedAt: c.updatedAt.toISOString() };
}

function shortcutTaken(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new ApiException(
      HttpStatus.CONFLICT,
      ErrorCode.Conflict,
      'Another canned response already uses this shortcut.',
    );
  }
  throw error;
}

/** Canned responses: every agent lists them, admins create, change and delete them. */
@Injectable()
export class CannedResponsesService {
  constructor(private readonly prisma: PrismaService) {}

  async list(): Promise<CannedResponseDto[]> {
    const rows = await this.prisma.cannedResponse.findMany({ orderBy: { shortcut: 'asc' } });
    return rows.map(toDto);
  }

  async create(input: CreateCannedResponse): Promise<CannedResponseDto> {
    try {
      return toDto(
        await this.prisma.cannedResponse.create({
          data: { id: newId(), shortcut: input.shortcut, body: input.body },
        }),
      );
    } catch (error) {
      return shortcutTaken(error);
    }
  }

  async update(id: string, input: UpdateCannedResponse): Promise<CannedResponseDto> {
    const existing = await this.prisma.cannedResponse.count({ where: { id } });
    if (!existing) throw ApiException.notFound('This canned response does not exist.');
    try {
      return toDto(
        await this.prisma.cannedResponse.update({
          where: { id },
          data: {
            ...(input.shortcut === undefined ? {} : { shortcut: input.shortcut }),
            ...(input.body === undefined ? {} : { body: input.body }),
          },
        }),
      );
    } catch (error) {
      return shortcutTaken(error);
    }
  }

  async remove(id: string): Promise<void> {
    const { count } = await this.prisma.cannedResponse.deleteMany({ where: { id } });
    if (count === 0) throw ApiException.notFound('This canned response does not exist.');
  }
}
