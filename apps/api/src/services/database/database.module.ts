import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { openConnection } from './connection';
import { RedisService } from '../redis/redis.service';
import { migrate } from './migrator';
import { DATABASE_CONNECTION, PrismaService } from './prisma.service';

/** Opens the database, applies pending migrations before anything else runs, and exposes Prisma. */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      // After Redis: a node that cannot reach Redis stops before it opens the database.
      inject: [APP_CONFIG, RedisService],
      useFactory: async (config: AppConfig) => {
        const logger = new Logger('Database');
        const connection = await openConnection({
          databaseUrl: config.DATABASE_URL,
          dataDir: config.PARLEY_DATA_DIR,
          inMemory: config.PARLEY_DATABASE_IN_MEMORY,
        });
        const result = await migrate(connection.sql);
        logger.log(
          `${connection.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} ready; migrations applied: ${result.applied.length ? result.applied.join(', ') : 'none pending'}`,
        );
        return connection;
      },
    },
    PrismaService,
  ],
  exports: [PrismaService],
})
export class DatabaseModule {}
