import { Controller, Get, Header, Query } from '@nestjs/common';
import {
  WidgetConfigQuerySchema,
  type WidgetConfig,
  type WidgetConfigQuery,
} from '@parley/protocol';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { SitesService } from './sites.service';

@Controller('api/widget')
export class WidgetConfigController {
  constructor(private readonly sites: SitesService) {}

  /** Public, read by the loader on the customer's page (any origin) and by the chat frame. */
  @Get('config')
  @Header('Access-Control-Allow-Origin', '*')
  @Header('Cache-Control', 'no-store')
  config(
    @Query(new ZodValidationPipe(WidgetConfigQuerySchema, 'query')) query: WidgetConfigQuery,
  ): Promise<WidgetConfig> {
    return this.sites.widgetConfig(query.siteKey);
  }
}
