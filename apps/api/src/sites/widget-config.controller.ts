import { Controller, Get, Header, Inject, Query, Req, Res } from '@nestjs/common';
import {
  WidgetConfigQuerySchema,
  type WidgetConfig,
  type WidgetConfigQuery,
} from '@parley/protocol';
import type { Request, Response } from 'express';
import { compileTrustedProxies, type TrustProxy } from '../common/client-address';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { isOwnOrigin, originHeader } from './origins';
import { SitesService } from './sites.service';

@Controller('api/widget')
export class WidgetConfigController {
  private readonly trust: TrustProxy;

  constructor(
    private readonly sites: SitesService,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {
    this.trust = compileTrustedProxies(appConfig.TRUSTED_PROXIES);
  }

  /**
   * Public, read by the loader on the customer's page and by the chat frame. A page whose origin
   * the site does not allow gets ORIGIN_NOT_ALLOWED (readable there: the loader says why).
   */
  @Get('config')
  @Header('Cache-Control', 'no-store')
  config(
    @Query(new ZodValidationPipe(WidgetConfigQuerySchema, 'query')) query: WidgetConfigQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WidgetConfig> {
    // Set first, so that errors are readable by the calling page too.
    res.setHeader('Access-Control-Allow-Origin', '*');
    const origin = originHeader(req);
    const foreign =
      origin !== undefined && !isOwnOrigin(origin, req, this.trust, this.appConfig.PUBLIC_URL);
    return this.sites.widgetConfig(query.siteKey, foreign ? origin : undefined);
  }
}
