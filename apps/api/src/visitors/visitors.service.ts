import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  Limits,
  type RevokeVisitorResponse,
  type VisitorDetailsResponse,
  type VisitorIdentity,
  type VisitorUpdate,
} from '@parley/protocol';
import { Prisma, type Site, type Visitor } from '../generated/prisma/client';
import { ApiException } from '../common/api-error';
import { hashToken, newId, newToken } from '../common/ids';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { isValidUserHash } from '../sites/identity';
import { toVisitorDetails } from './visitor.mapper';

export interface VisitorSessionStart {
  visitor: Visitor;
  /** The new token, when one was issued; the widget stores it. */
  issuedToken?: string;
}

export interface VisitorDetails {
  userAgent?: string | undefined;
  pageUrl?: string | undefined;
  referrer?: string | undefined;
  language?: string | undefined;
  timeZone?: string | undefined;
}

/**
 * The referrer worth keeping: one from another site. A referrer on the page's own origin is a
 * navigation inside the site and would hide where the visitor came from.
 */
export function externalReferrer(
  referrer: string | undefined,
  pageUrl: string | undefined,
): string | undefined {
  if (!referrer) return undefined;
  try {
    if (pageUrl && new URL(referrer).origin === new URL(pageUrl).origin) return undefined;
  } catch {
    return undefined;
  }
  return referrer;
}

function identityRefused(message: string): ApiException {
  return new ApiException(HttpStatus.FORBIDDEN, ErrorCode.IdentityNotVerified, message);
}

@Injectable()
export class VisitorsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Resolves the visitor of a widget handshake.
   * - A verified identity (`userHash` matches the site's secret) opens that user's visitor, with
   *   that user's conversations; no token is issued for it (the hash is the credential).
   * - A claimed identity without a valid hash is refused when the site enforces verification or
   *   when a hash was given and is wrong; otherwise only its name and email are taken, as the
   *   visitor's own details, and it never reaches the user's conversations.
   * - Otherwise the token, scoped to one site, resolves the visitor; a token from another site,
   *   unknown, malformed, revoked or idle too long is refused (the widget then starts afresh).
   *   Without a token, a new visitor is created.
   */
  async start(
    site: Site,
    token: string | undefined,
    details: VisitorDetails,
    identity?: VisitorIdentity,
  ): Promise<VisitorSessionStart> {
    const referrer = externalReferrer(details.referrer, details.pageUrl);
    const seen = {
      lastSeenAt: new Date(),
      ...(details.userAgent ? { userAgent: details.userAgent.slice(0, 512) } : {}),
      ...(details.pageUrl ? { pageUrl: details.pageUrl } : {}),
      ...(referrer ? { referrer } : {}),
      ...(details.language ? { language: details.language } : {}),
      ...(details.timeZone ? { timeZone: details.timeZone } : {}),
    };
    let claimed: { name?: string; email?: string } = {};
    if (identity) {
      if (identity.userHash !== undefined) {
        if (site.identitySecret === null) {
          throw identityRefused(
            'This site has no identity secret, so the userHash cannot be checked. An admin can create one.',
          );
        }
        if (!isValidUserHash(site.identitySecret, identity.userId, identity.userHash)) {
          throw identityRefused(
            'The userHash does not match this userId: it must be the hex HMAC-SHA256 of the userId keyed with the site’s identity secret.',
          );
        }
        return { visitor: await this.verifiedVisitor(site, identity, seen) };
      }
      if (site.enforceIdentity) {
        throw identityRefused(
          'This site accepts only verified identities: identify() needs the userHash computed by your server.',
        );
      }
      claimed = {
        ...(identity.name === undefined ? {} : { name: identity.name }),
        ...(identity.email === undefined ? {} : { email: identity.email }),
      };
    }
    if (token) {
      const visitor = await this.prisma.visitor.findUnique({
        where: { tokenHash: hashToken(token) },
      });
      this.assertTokenUsable(visitor, site);
      return {
        visitor: await this.prisma.visitor.update({
          where: { id: visitor.id },
          data: { ...seen, ...claimed },
        }),
      };
    }
    const issuedToken = newToken();
    const visitor = await this.prisma.visitor.create({
      data: {
        id: newId(),
        siteId: site.id,
        tokenHash: hashToken(issuedToken),
        ...seen,
        ...claimed,
      },
    });
    return { visitor, issuedToken };
  }

  /** Whether a visitor may still act (not revoked), for every event of a live connection. */
  async current(visitorId: string): Promise<Visitor> {
    const visitor = await this.prisma.visitor.findUnique({ where: { id: visitorId } });
    if (!visitor || visitor.revokedAt) {
      throw ApiException.unauthorized('This chat session was ended; a new one will start.');
    }
    return visitor;
  }

  /**
   * Updates the visitor's details. Custom attributes are merged into those it has (`null`
   * removes one), in one statement so that concurrent updates do not lose each other's keys;
   * more than `Limits.visitorAttributesMax` in all is refused and changes nothing.
   */
  async update(visitorId: string, update: VisitorUpdate): Promise<Visitor> {
    const { attributes, ...details } = update;
    return this.prisma.$transaction(async (tx) => {
      if (attributes && Object.keys(attributes).length > 0) {
        const removed = Object.keys(attributes).filter((key) => attributes[key] === null);
        const added = Object.fromEntries(
          Object.entries(attributes).filter(([, value]) => value !== null),
        );
        const rows = await tx.$queryRaw<{ count: number }[]>`
          UPDATE "visitors"
          SET "attributes" = ("attributes" - ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(removed)}::jsonb)))
            || ${JSON.stringify(added)}::jsonb
          WHERE "id" = ${visitorId}
          RETURNING (SELECT count(*) FROM jsonb_object_keys("attributes"))::int AS count`;
        const count = rows[0]?.count ?? 0;
        if (count > Limits.visitorAttributesMax) {
          throw ApiException.validation(
            `A visitor holds at most ${Limits.visitorAttributesMax} attributes; this update would make ${count}. Remove some (set them to null) first.`,
          );
        }
      }
      return tx.visitor.update({
        where: { id: visitorId },
        data: { ...details, lastSeenAt: new Date() },
      });
    });
  }

  /** The visitor panel's data: the visitor and its latest 50 conversations, newest first. */
  async details(visitorId: string): Promise<VisitorDetailsResponse> {
    const visitor = await this.prisma.visitor.findUnique({
      where: { id: visitorId },
      include: {
        conversations: {
          orderBy: { createdAt: 'desc' },
          take: 50,
          select: {
            id: true,
            status: true,
            lastMessagePreview: true,
            lastMessageAt: true,
            createdAt: true,
          },
        },
      },
    });
    if (!visitor) throw ApiException.notFound('This visitor does not exist.');
    return {
      visitor: toVisitorDetails(visitor),
      conversations: visitor.conversations.map((c) => ({
        id: c.id,
        status: c.status,
        lastMessagePreview: c.lastMessagePreview,
        lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
        createdAt: c.createdAt.toISOString(),
      })),
    };
  }

  async touch(visitorId: string): Promise<void> {
    await this.prisma.visitor.update({
      where: { id: visitorId },
      data: { lastSeenAt: new Date() },
    });
  }

  /**
   * Revokes a visitor: its token no longer opens a session, a verified user is unlinked from it,
   * and its live connections are closed on every node at once.
   */
  async revoke(visitorId: string): Promise<RevokeVisitorResponse> {
    const existing = await this.prisma.visitor.findUnique({ where: { id: visitorId } });
    if (!existing) throw ApiException.notFound('This visitor does not exist.');
    const visitor = await this.prisma.visitor.update({
      where: { id: visitorId },
      data: { revokedAt: existing.revokedAt ?? new Date(), externalUserId: null },
    });
    this.publisher.disconnectVisitor(visitorId);
    return {
      visitor: { id: visitor.id, revokedAt: (visitor.revokedAt ?? new Date()).toISOString() },
    };
  }

  private assertTokenUsable(visitor: Visitor | null, site: Site): asserts visitor is Visitor {
    if (!visitor || visitor.siteId !== site.id) {
      throw ApiException.unauthorized(
        'This chat session is no longer valid; a new one will start.',
      );
    }
    if (visitor.revokedAt) {
      throw ApiException.unauthorized('This chat session was ended; a new one will start.');
    }
    const idleMs = this.config.VISITOR_TOKEN_IDLE_DAYS * 86_400_000;
    const lastUsed = (visitor.lastSeenAt ?? visitor.createdAt).getTime();
    if (Date.now() - lastUsed > idleMs) {
      throw ApiException.unauthorized(
        'This chat session has expired after a long time unused; a new one will start.',
      );
    }
  }

  /** The visitor that stands for a verified user of the site, created on first use. */
  private async verifiedVisitor(
    site: Site,
    identity: VisitorIdentity,
    seen: {
      lastSeenAt: Date;
      userAgent?: string;
      pageUrl?: string;
      referrer?: string;
      language?: string;
      timeZone?: string;
    },
  ): Promise<Visitor> {
    const key = { siteId_externalUserId: { siteId: site.id, externalUserId: identity.userId } };
    const data = {
      ...seen,
      ...(identity.name === undefined ? {} : { name: identity.name }),
      ...(identity.email === undefined ? {} : { email: identity.email }),
    };
    try {
      return await this.prisma.visitor.upsert({
        where: key,
        update: data,
        create: {
          id: newId(),
          siteId: site.id,
          externalUserId: identity.userId,
          // The token of a verified user's visitor is never handed out: the hash is its credential.
          tokenHash: hashToken(newToken()),
          ...data,
        },
      });
    } catch (error) {
      // Two first connections of one user at once: the other one created it.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return this.prisma.visitor.update({ where: key, data });
      }
      throw error;
    }
  }
}
