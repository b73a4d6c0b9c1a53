import { defineConfig } from 'prisma/config';

// The CLI is used for `prisma generate` (and, where the schema engine can be downloaded,
// `prisma migrate deploy` on the same folder). The API applies migrations itself at start-up.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/parley' },
});
