import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_PRE_CHAT,
  DEFAULT_WIDGET_SETTINGS,
  ErrorCode,
  PreChatSettingsSchema,
  type PreChatSettings,
  WidgetSettingsSchema,
  type CreateSiteFields,
  type IdentitySecretResponse,
  type Site as SiteDto,
  type UpdateSiteRequest,
  type WidgetConfig,
  type WidgetSettings,
} from '@parley/protocol';
import { HttpStatus } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Site } from '../generated/prisma/client';
import { ApiException } from '../common/api-error';
import { newId } from '../common/ids';
import { hashPassword } from '../auth/password';
import { PresenceService } from '../presence/presence.service';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { SettingsService } from '../settings/settings.service';
import { newIdentitySecret } from './identity';
import { isOriginAllowed } from './origins';

/** A site's stored appearance; anything unreadable falls back to the defaults. */
export function widgetSettingsOf(site: Site): WidgetSettings {
  return WidgetSettingsSchema.catch(DEFAULT_WIDGET_SETTINGS).parse(site.widgetSettings);
}

export function toSiteDto(site: Site): SiteDto {
  return {
    id: site.id,
    publicKey: site.publicKey,
    name: site.name,
    allowedOrigins: site.allowedOrigins,
    allowAnyOrigin: site.allowAnyOrigin,
    identity: { hasSecret: site.identitySecret !== null, enforced: site.enforceIdentity },
    preChat: preChatOf(site),
    widget: widgetSettingsOf(site),
    createdAt: site.createdAt.toISOString(),
  };
}

/** The site's pre-chat form; a stored value that no longer parses counts as off. */
export function preChatOf(site: Pick<Site, 'preChatForm'>): PreChatSettings {
  return PreChatSettingsSchema.catch(DEFAULT_PRE_CHAT).parse(site.preChatForm);
}

function newSiteKey(): string {
  return `pk_${randomBytes(12).toString('base64url')}`;
}

/** What the first start created, for the start-up banner. */
export interface BootstrapResult {
  site: Site;
  /** Set only when an admin was created with a generated password (shown once). */
  generatedAdmin?: { email: string; password: string };
  createdAdminEmail?: string;
}

@Injectable()
export class SitesService {
  private readonly logger = new Logger('Sites');

  constructor(
    private readonly prisma: PrismaService,
    private readonly settings: SettingsService,
    private readonly presence: PresenceService,
    private readonly publisher: RealtimePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async findByKey(publicKey: string): Promise<Site> {
    const site = await this.prisma.site.findUnique({ where: { publicKey } });
    if (!site) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.UnknownSite,
        `No site has the key "${publicKey}".`,
      );
    }
    return site;
  }

  /** Refuses, with ORIGIN_NOT_ALLOWED, a page origin the site does not allow. */
  assertOriginAllowed(site: Site, origin: string): void {
    if (!isOriginAllowed(site, origin)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.OriginNotAllowed,
        `The site "${site.name}" does not allow the chat widget on ${origin}. An admin can add this origin to the site's allowed origins.`,
      );
    }
  }

  async list(): Promise<SiteDto[]> {
    const sites = await this.prisma.site.findMany({ orderBy: { createdAt: 'asc' } });
    return sites.map(toSiteDto);
  }

  async get(id: string): Promise<Site> {
    const site = await this.prisma.site.findUnique({ where: { id } });
    if (!site) throw ApiException.notFound('This site does not exist.');
    return site;
  }

  async create(input: CreateSiteFields): Promise<SiteDto> {
    const site = await this.prisma.site.create({
      data: {
        id: newId(),
        publicKey: newSiteKey(),
        name: input.name,
        allowedOrigins: input.allowedOrigins,
        allowAnyOrigin: input.allowAnyOrigin,
        widgetSettings: DEFAULT_WIDGET_SETTINGS,
      },
    });
    this.publisher.siteCreated(site.id);
    return toSiteDto(site);
  }

  async update(id: string, input: UpdateSiteRequest): Promise<SiteDto> {
    const site = await this.get(id);
    if (input.enforceIdentity === true && site.identitySecret === null) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.Conflict,
        'Create an identity secret for this site before enforcing identity verification.',
      );
    }
    const updated = await this.prisma.site.update({
      where: { id },
      data: {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.allowedOrigins === undefined
          ? {}
          : { allowedOrigins: [...new Set(input.allowedOrigins)] }),
        ...(input.allowAnyOrigin === undefined ? {} : { allowAnyOrigin: input.allowAnyOrigin }),
        ...(input.enforceIdentity === undefined ? {} : { enforceIdentity: input.enforceIdentity }),
        ...(input.widget === undefined ? {} : { widgetSettings: input.widget }),
      },
    });
    if (input.widget !== undefined) this.publisher.widgetUpdated(id, widgetSettingsOf(updated));
    return toSiteDto(updated);
  }

  /** Replaces the site's pre-chat form (ADMIN only, checked by the controller). */
  async updatePreChat(id: string, preChat: PreChatSettings): Promise<SiteDto> {
    await this.get(id);
    const site = await this.prisma.site.update({ where: { id }, data: { preChatForm: preChat } });
    return toSiteDto(site);
  }

  /** A new identity secret, replacing the previous one (hashes made with it stop working). */
  async rotateIdentitySecret(id: string): Promise<IdentitySecretResponse> {
    await this.get(id);
    const secret = newIdentitySecret();
    const site = await this.prisma.site.update({
      where: { id },
      data: { identitySecret: secret },
    });
    return { site: toSiteDto(site), secret };
  }

  async defaultSite(): Promise<Site | null> {
    return this.prisma.site.findFirst({ orderBy: { createdAt: 'asc' } });
  }

  /** The widget's configuration; `pageOrigin` (a cross-origin caller) must be allowed. */
  async widgetConfig(siteKey: string, pageOrigin?: string): Promise<WidgetConfig> {
    const site = await this.findByKey(siteKey);
    if (pageOrigin !== undefined) this.assertOriginAllowed(site, pageOrigin);
    return {
      siteKey: site.publicKey,
      siteName: site.name,
      widget: widgetSettingsOf(site),
      transport: this.settings.clientTransport(),
      availability: await this.presence.widgetAvailability(site),
      preChat: preChatOf(site),
      attachmentMaxBytes: this.config.ATTACHMENT_MAX_BYTES,
    };
  }

  /**
   * First start: creates the default site and an admin. The admin's password comes from
   * ADMIN_PASSWORD or is generated and returned once; there is no fixed default password.
   */
  async bootstrap(): Promise<BootstrapResult> {
    let site = await this.defaultSite();
    if (!site) {
      const origins = this.config.DEFAULT_SITE_ORIGINS ?? {
        allowAnyOrigin: false,
        allowedOrigins: this.demoOrigins(),
      };
      site = await this.prisma.site.create({
        data: {
          id: newId(),
          publicKey: this.config.DEFAULT_SITE_KEY ?? newSiteKey(),
          name: 'My website',
          ...origins,
          widgetSettings: DEFAULT_WIDGET_SETTINGS,
        },
      });
      this.logger.log(`Created the default site "${site.name}" with key ${site.publicKey}`);
      if (site.allowAnyOrigin) {
        this.logger.warn(
          'The default site accepts the widget on any origin (DEFAULT_SITE_ORIGINS=*)',
        );
      } else {
        this.logger.log(
          `The widget is allowed on: ${site.allowedOrigins.join(', ') || 'no origin yet'}. Add your website's origin in the console (Sites) or with DEFAULT_SITE_ORIGINS on first start.`,
        );
      }
    }
    const result: BootstrapResult = { site };
    if ((await this.prisma.agent.count()) === 0) {
      const email = this.config.ADMIN_EMAIL.toLowerCase();
      const password = this.config.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
      await this.prisma.agent.create({
        data: {
          id: newId(),
          email,
          name: 'Admin',
          role: 'ADMIN',
          passwordHash: await hashPassword(password),
        },
      });
      result.createdAdminEmail = email;
      if (!this.config.ADMIN_PASSWORD) result.generatedAdmin = { email, password };
    }
    return result;
  }

  /** The demo customer page's origins (`npm start`), allowed on the default site. */
  private demoOrigins(): string[] {
    const port = this.config.PARLEY_DEMO_PORT;
    return port === undefined ? [] : [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  }
}
