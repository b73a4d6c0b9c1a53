import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  IdSchema,
  UploadAttachmentQuerySchema,
  type UploadAttachmentResponse,
} from '@parley/protocol';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { AuthService } from '../auth/auth.service';
import { RateLimits } from '../auth/rate-limits.service';
import { readSessionToken } from '../auth/session-cookie';
import { ApiException } from '../common/api-error';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AttachmentsService, tooLarge, type AttachmentUser } from './attachments.service';
import { firstMultipartFile, multipartBoundary } from './multipart';

/** Room for a multipart envelope (boundaries, part headers) around the file itself. */
const MULTIPART_OVERHEAD = 16 * 1024;

/** What a served file may do in a browser: nothing but be shown. */
const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/**
 * `POST /api/attachments` uploads a file (visitors with `Authorization: Bearer <attachment key or
 * visitor token>`, agents with their session cookie); `GET /api/attachments/:id` serves it to
 * agents and to the conversation's visitor (`?key=` or the same header) with headers that keep
 * the browser from running it.
 */
@Controller('api/attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly auth: AuthService,
    private readonly limits: RateLimits,
  ) {}

  @Post()
  @HttpCode(201)
  async upload(
    @Req() req: Request,
    @Query(new ZodValidationPipe(UploadAttachmentQuerySchema, 'query'))
    query: z.infer<typeof UploadAttachmentQuerySchema>,
  ): Promise<UploadAttachmentResponse> {
    const user = await this.userOf(req);
    // Counted before the body is read: a refused upload costs the server nothing more.
    if (user.kind === 'visitor') await this.limits.upload(req.ip ?? 'unknown');
    const max = this.attachments.maxBytes;
    const contentType = req.headers['content-type'];
    const boundary = multipartBoundary(contentType);
    // A raw body of a type that is refused anyway is not read (the JSON and text parsers may
    // have read it already).
    if (!boundary) this.attachments.assertDeclaredType(contentType);
    const body = await readBody(req, max + (boundary ? MULTIPART_OVERHEAD : 0));
    if (body === null) throw tooLarge(max);
    if (boundary) {
      const file = firstMultipartFile(body, boundary);
      if (!file) throw ApiException.validation('The form holds no file.');
      return {
        attachment: await this.attachments.upload(user, file.contentType, file.filename, file.data),
      };
    }
    return { attachment: await this.attachments.upload(user, contentType, query.name, body) };
  }

  @Get(':id')
  async download(
    @Param('id', new ZodValidationPipe(IdSchema, 'attachment id')) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const user = await this.userOf(req);
    const { attachment, data } = await this.attachments.read(id, user);
    const inline = attachment.contentType.startsWith('image/');
    res.status(200);
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(data.length));
    res.setHeader('Content-Disposition', contentDisposition(inline, attachment.name));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', FILE_CSP);
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // The URL of a visitor's copy carries its key: no shared cache may keep it.
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.end(data);
  }

  /** A visitor by its key or token (header or `?key=`), else an agent by its session cookie. */
  private async userOf(req: Request): Promise<AttachmentUser> {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const key = typeof req.query['key'] === 'string' ? req.query['key'] : undefined;
    const credential = bearer ?? key;
    if (credential !== undefined) {
      const visitor = await this.attachments.visitorFromCredential(credential.slice(0, 256));
      return { kind: 'visitor', visitorId: visitor.id };
    }
    const agent = await this.auth.authenticate(readSessionToken(req));
    if (!agent)
      throw ApiException.unauthorized('Sign in, or open the chat again, to see this file.');
    return { kind: 'agent', agentId: agent.agent.id };
  }
}

/**
 * The request body, or null when it is longer than `cap`. A body over the cap is still read to
 * its end (and dropped) so that the client, still sending, gets the 413 instead of a reset
 * connection; one far beyond it (a declared length over 4 × cap + 1 MB) is cut off at once.
 */
function readBody(req: Request, cap: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > cap * 4 + 1024 * 1024) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(size > cap ? null : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function contentDisposition(inline: boolean, name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
