import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { SiteKeySchema } from '@parley/protocol';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaService } from '../services/database/prisma.service';
import { frameAncestors } from './origins';

/** The chat frame's own policy: its scripts and styles come from Parley only. */
const FRAME_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Agents' pictures are https URLs on their own hosts.
  "img-src 'self' data: https:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Serves the chat frame's HTML (`/widget/?siteKey=…&origin=…`) with a Content-Security-Policy
 * whose `frame-ancestors` lists the site's allowed origins, so browsers refuse to show the
 * chat inside any other page. An unknown site may not be framed at all.
 */
@Controller('widget')
export class FrameController {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(['', 'index.html'])
  async frame(@Query('siteKey') siteKey: unknown, @Res() res: Response): Promise<void> {
    let html: string;
    try {
      html = await readFile(join(this.config.WIDGET_DIST, 'frame', 'index.html'), 'utf8');
    } catch {
      res.status(503).json({
        error: {
          code: 'NOT_BUILT',
          message: 'The widget is not built. Run "npm run build" first.',
        },
      });
      return;
    }
    const key = SiteKeySchema.safeParse(siteKey);
    const site = key.success
      ? await this.prisma.site.findUnique({
          where: { publicKey: key.data },
          select: { allowedOrigins: true, allowAnyOrigin: true },
        })
      : null;
    const ancestors = site ? frameAncestors(site) : "'none'";
    res.setHeader('Content-Security-Policy', `${FRAME_CSP}; frame-ancestors ${ancestors}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  }
}
