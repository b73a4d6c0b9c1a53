import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Where attachment bytes live. The database holds the metadata and a key; the storage holds
 * the bytes under that key. Local disk today; object storage (S3 and the like) fits the same
 * three calls.
 */
export interface AttachmentStorage {
  /** Stores `data` under `key`, replacing nothing (keys are new ids). */
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Nest injection token for the AttachmentStorage. */
export const ATTACHMENT_STORAGE = Symbol('ATTACHMENT_STORAGE');

const KEY = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Files in one folder (`ATTACHMENTS_DIR`), two levels of sub-folders by the key's first
 * characters so that no folder grows huge. A file is written under a temporary name and renamed,
 * so a reader never sees half of it. The folder belongs to one node: several nodes need it on a
 * shared volume.
 */
export class LocalDiskStorage implements AttachmentStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    // Keys are generated ids; anything else (a path, "..") never reaches the file system.
    if (!KEY.test(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
