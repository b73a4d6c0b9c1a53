import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  formatFileSize,
  isAcceptedAttachmentType,
  type Attachment as AttachmentDto,
} from '@parley/protocol';
import { ApiException } from '../common/api-error';
import { hashToken, newId, newToken } from '../common/ids';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Attachment, Prisma, Visitor } from '../generated/prisma/client';
import { PrismaService } from '../services/database/prisma.service';
import { signAttachmentKey, verifyAttachmentKey } from './attachment-keys';
import { ATTACHMENT_STORAGE, type AttachmentStorage } from './attachment-storage';
import { toAttachmentDto } from './attachment.mapper';
import { detectFileType, normaliseDeclaredType } from './file-type';

/** Who uploads or reads a file. */
export type AttachmentUser =
  { kind: 'visitor'; visitorId: string } | { kind: 'agent'; agentId: string };

/** The settings row holding the secret that signs visitors' attachment keys (shared by nodes). */
export const ATTACHMENT_KEY_SECRET = 'attachments.keySecret';

const TYPE_NAMES = 'PNG, JPEG, GIF or WebP images and PDF files';

export function unsupportedType(message: string): ApiException {
  return new ApiException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.UnsupportedMediaType,
    message,
  );
}

export function tooLarge(maxBytes: number): ApiException {
  return new ApiException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    ErrorCode.PayloadTooLarge,
    `This file is too large: files up to ${formatFileSize(maxBytes)} can be sent.`,
  );
}

/** A file name safe to store and show: no folders, no control characters, bounded. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is what this pattern is for
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return clean.slice(0, 200) || 'file';
}

/**
 * Files sent in messages: checked (size, type by their first bytes), stored in the attachment
 * storage, described in the database, and read back only by whom may see them: agents, the
 * uploader, and the visitor of the conversation a non-internal message sent them in.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger('Attachments');
  private secret: Promise<string> | null = null;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get maxBytes(): number {
    return this.config.ATTACHMENT_MAX_BYTES;
  }

  /** A fresh attachment key for a visitor (sent with `session:ready`). */
  async keyFor(visitorId: string): Promise<string> {
    return signAttachmentKey(await this.keySecret(), visitorId);
  }

  /**
   * The visitor a credential stands for: an attachment key, or the visitor's own token. Anything
   * else (malformed, forged, expired, revoked) is refused with 401.
   */
  async visitorFromCredential(credential: string): Promise<Visitor> {
    let visitor: Visitor | null = null;
    if (credential.includes('.')) {
      const visitorId = verifyAttachmentKey(await this.keySecret(), credential);
      if (visitorId) visitor = await this.prisma.visitor.findUnique({ where: { id: visitorId } });
    } else if (/^[A-Za-z0-9_-]{20,128}$/.test(credential)) {
      visitor = await this.prisma.visitor.findUnique({
        where: { tokenHash: hashToken(credential) },
      });
    }
    if (!visitor || visitor.revokedAt) {
      throw ApiException.unauthorized('This chat session is not valid; reload the chat.');
    }
    return visitor;
  }

  /**
   * Refuses (415) a declared type that is not accepted. A raw body must declare its type;
   * `allowGeneric` lets a multipart part say application/octet-stream (or nothing) and be taken
   * by its bytes alone.
   */
  assertDeclaredType(
    declaredType: string | undefined,
    allowGeneric = false,
  ): { declared: string; generic: boolean } {
    const declared = normaliseDeclaredType(declaredType);
    const generic = declared === '' || declared === 'application/octet-stream';
    if (generic && !allowGeneric) {
      throw unsupportedType(
        `Say what the file is in Content-Type: ${TYPE_NAMES} (image/png, application/pdf…).`,
      );
    }
    if (!generic && !isAcceptedAttachmentType(declared)) {
      throw unsupportedType(`Only ${TYPE_NAMES} can be sent (this file is ${declared}).`);
    }
    return { declared, generic };
  }

  /**
   * Checks and stores an uploaded file. `declaredType` is what the uploader said; the file's
   * first bytes must say the same (a multipart part sent as application/octet-stream is taken
   * by its bytes alone).
   */
  async upload(
    user: AttachmentUser,
    declaredType: string | undefined,
    name: string | undefined,
    data: Buffer,
  ): Promise<AttachmentDto> {
    if (data.length > this.maxBytes) throw tooLarge(this.maxBytes);
    if (data.length === 0) throw ApiException.validation('The file is empty.');
    const { declared, generic } = this.assertDeclaredType(declaredType, true);
    const detected = detectFileType(data);
    if (detected === null) {
      throw unsupportedType(`Only ${TYPE_NAMES} can be sent: this file's content is none of them.`);
    }
    if (!generic && detected !== declared) {
      throw unsupportedType(
        `This file was sent as ${declared} but its content is ${detected}; it was refused.`,
      );
    }
    const id = newId();
    await this.storage.put(id, data);
    try {
      const row = await this.prisma.attachment.create({
        data: {
          id,
          name: cleanFileName(name),
          contentType: detected,
          size: data.length,
          storageKey: id,
          ...(user.kind === 'visitor' ? { visitorId: user.visitorId } : { agentId: user.agentId }),
        },
      });
      return toAttachmentDto(row);
    } catch (error) {
      await this.storage.delete(id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Links uploaded files to a message being committed (inside its transaction). Each must be
   * the sender's own and not sent yet; otherwise the whole send is refused and nothing changes.
   */
  async link(
    tx: Prisma.TransactionClient,
    ids: readonly string[],
    user: AttachmentUser,
    messageId: string,
  ): Promise<Attachment[]> {
    if (ids.length === 0) return [];
    const owner =
      user.kind === 'visitor' ? { visitorId: user.visitorId } : { agentId: user.agentId };
    const linked = await tx.attachment.updateMany({
      where: { id: { in: [...ids] }, messageId: null, ...owner },
      data: { messageId },
    });
    if (linked.count !== ids.length) {
      throw ApiException.validation(
        'A file of this message was not found, or was already sent: upload it again.',
        { attachmentIds: 'unknown or already sent' },
      );
    }
    return tx.attachment.findMany({ where: { messageId }, orderBy: { createdAt: 'asc' } });
  }

  /**
   * Deletes the files uploaded before `before` and never sent in a message: rows first, then
   * bytes. A send racing the sweep either links its file first (and the file stays) or is told
   * to upload it again. Nodes may sweep at once: deleting is idempotent. Returns how many went.
   */
  async removeUnsent(before: Date, batchSize = 500): Promise<number> {
    let removed = 0;
    for (;;) {
      const candidates = await this.prisma.attachment.findMany({
        where: { messageId: null, createdAt: { lt: before } },
        select: { id: true, storageKey: true },
        orderBy: { createdAt: 'asc' },
        take: batchSize,
      });
      if (candidates.length === 0) return removed;
      const ids = candidates.map((c) => c.id);
      await this.prisma.attachment.deleteMany({ where: { id: { in: ids }, messageId: null } });
      // Those sent meanwhile are still there, and keep their bytes.
      const kept = new Set(
        (
          await this.prisma.attachment.findMany({
            where: { id: { in: ids } },
            select: { id: true },
          })
        ).map((row) => row.id),
      );
      for (const { id, storageKey } of candidates) {
        if (kept.has(id)) continue;
        await this.storage.delete(storageKey).catch((error: unknown) => {
          this.logger.warn(
            `unsent attachment ${id}: its bytes could not be deleted: ${String(error)}`,
          );
        });
        removed += 1;
      }
      if (candidates.length < batchSize) return removed;
    }
  }

  /** The file and its bytes, when `user` may see it; "not found" otherwise (never "forbidden"). */
  async read(id: string, user: AttachmentUser): Promise<{ attachment: Attachment; data: Buffer }> {
    const row = await this.prisma.attachment.findUnique({
      where: { id },
      include: {
        message: { select: { internal: true, conversation: { select: { visitorId: true } } } },
      },
    });
    if (!row || !this.maySee(row, user)) throw ApiException.notFound('This file does not exist.');
    const data = await this.storage.get(row.storageKey);
    if (!data) {
      this.logger.warn(`attachment ${row.id}: no bytes under ${row.storageKey} in the storage`);
      throw ApiException.notFound('This file is no longer available.');
    }
    return { attachment: row, data };
  }

  private maySee(
    row: Attachment & {
      message: { internal: boolean; conversation: { visitorId: string } } | null;
    },
    user: AttachmentUser,
  ): boolean {
    if (user.kind === 'agent') return row.message !== null || row.agentId === user.agentId;
    if (row.message === null) return row.visitorId === user.visitorId;
    return !row.message.internal && row.message.conversation.visitorId === user.visitorId;
  }

  /** The signing secret, created once in the database by whichever node needs it first. */
  private keySecret(): Promise<string> {
    this.secret ??= (async () => {
      await this.prisma.setting.createMany({
        data: [{ key: ATTACHMENT_KEY_SECRET, value: newToken() }],
        skipDuplicates: true,
      });
      const row = await this.prisma.setting.findUniqueOrThrow({
        where: { key: ATTACHMENT_KEY_SECRET },
      });
      if (typeof row.value !== 'string') throw new Error('attachment key secret is not text');
      return row.value;
    })().catch((error: unknown) => {
      this.secret = null;
      throw error;
    });
    return this.secret;
  }
}
