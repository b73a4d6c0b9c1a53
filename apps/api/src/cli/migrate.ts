import { loadConfig } from '../config/config';
import { openConnection } from '../services/database/connection';
import { migrate } from '../services/database/migrator';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the PGlite data folder) and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await openConnection({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.PARLEY_DATA_DIR,
  });
  try {
    const result = await migrate(connection.sql);
    console.log(
      `${connection.kind}: applied ${result.applied.length} migration(s)${result.applied.length ? `: ${result.applied.join(', ')}` : ''}; ${result.alreadyApplied.length} already applied.`,
    );
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
