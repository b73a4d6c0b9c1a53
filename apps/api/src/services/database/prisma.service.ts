import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '../../generated/prisma/client';
import type { DatabaseConnection } from './connection';

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

/** The Prisma client on whichever engine the connection opened (PGlite or PostgreSQL). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(DATABASE_CONNECTION) readonly connection: DatabaseConnection) {
    super({ adapter: connection.adapter });
  }

  /** Round-trip time of a trivial query, for readiness checks; throws when unreachable. */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.connection.sql.query('SELECT 1');
    return performance.now() - started;
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.connection.close();
  }
}
