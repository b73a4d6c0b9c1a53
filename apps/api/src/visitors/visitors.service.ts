import { Injectable } from '@nestjs/common';
import type { VisitorUpdate } from '@parley/protocol';
import type { Visitor } from '../generated/prisma/client';
import { ApiException } from '../common/api-error';
import { hashToken, newId, newToken } from '../common/ids';
import { PrismaService } from '../services/database/prisma.service';

export interface VisitorSessionStart {
  visitor: Visitor;
  /** The new token, when one was issued; the widget stores it. */
  issuedToken?: string;
}

@Injectable()
export class VisitorsService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Resolves a visitor from its token, scoped to one site; without a token, creates a new visitor.
   * A token from another site, unknown or malformed, is refused: the widget then starts afresh.
   */
  async start(
    siteId: string,
    token: string | undefined,
    details: { userAgent?: string | undefined; pageUrl?: string | undefined },
  ): Promise<VisitorSessionStart> {
    const seen = {
      lastSeenAt: new Date(),
      ...(details.userAgent ? { userAgent: details.userAgent.slice(0, 512) } : {}),
      ...(details.pageUrl ? { pageUrl: details.pageUrl } : {}),
    };
    if (token) {
      const visitor = await this.prisma.visitor.findUnique({
        where: { tokenHash: hashToken(token) },
      });
      if (!visitor || visitor.siteId !== siteId) {
        throw ApiException.unauthorized(
          'This chat session is no longer valid; a new one will start.',
        );
      }
      return {
        visitor: await this.prisma.visitor.update({ where: { id: visitor.id }, data: seen }),
      };
    }
    const issuedToken = newToken();
    const visitor = await this.prisma.visitor.create({
      data: { id: newId(), siteId, tokenHash: hashToken(issuedToken), ...seen },
    });
    return { visitor, issuedToken };
  }

  async update(visitorId: string, update: VisitorUpdate): Promise<Visitor> {
    return this.prisma.visitor.update({
      where: { id: visitorId },
      data: { ...update, lastSeenAt: new Date() },
    });
  }

  async touch(visitorId: string): Promise<void> {
    await this.prisma.visitor.update({
      where: { id: visitorId },
      data: { lastSeenAt: new Date() },
    });
  }
}
