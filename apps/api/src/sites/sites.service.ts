import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_WIDGET_SETTINGS,
  ErrorCode,
  WidgetSettingsSchema,
  type WidgetConfig,
} from '@parley/protocol';
import { HttpStatus } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Site } from '../generated/prisma/client';
import { ApiException } from '../common/api-error';
import { newId } from '../common/ids';
import { hashPassword } from '../auth/password';
import { PrismaService } from '../services/database/prisma.service';
import { SettingsService } from '../settings/settings.service';

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

  async defaultSite(): Promise<Site | null> {
    return this.prisma.site.findFirst({ orderBy: { createdAt: 'asc' } });
  }

  async widgetConfig(siteKey: string): Promise<WidgetConfig> {
    const site = await this.findByKey(siteKey);
    const widget = WidgetSettingsSchema.catch(DEFAULT_WIDGET_SETTINGS).parse(site.widgetSettings);
    return {
      siteKey: site.publicKey,
      siteName: site.name,
      widget,
      transport: this.settings.clientTransport(),
    };
  }

  /**
   * First start: creates the default site and an admin. The admin's password comes from
   * ADMIN_PASSWORD or is generated and returned once; there is no fixed default password.
   */
  async bootstrap(): Promise<BootstrapResult> {
    let site = await this.defaultSite();
    if (!site) {
      site = await this.prisma.site.create({
        data: {
          id: newId(),
          publicKey: this.config.DEFAULT_SITE_KEY ?? `pk_${randomBytes(12).toString('base64url')}`,
          name: 'My website',
          allowedOrigins: [],
          widgetSettings: DEFAULT_WIDGET_SETTINGS,
        },
      });
      this.logger.log(`Created the default site "${site.name}" with key ${site.publicKey}`);
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
}
