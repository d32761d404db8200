// Migrations are schema-agnostic: they run before the typed schema exists.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

/**
 * Runs the ordered migrations in `apps/server/migrations`. The list is passed in (not read from
 * the file system) so the same code works from TypeScript sources and from the compiled build.
 */
export function createMigrator(db: Kysely<any>, migrations: Readonly<Record<string, Migration>>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
}

export type MigrationStatus = { applied: string[]; pending: string[] };

export async function migrationStatus(
  db: Kysely<any>,
  migrations: Readonly<Record<string, Migration>>,
): Promise<MigrationStatus> {
  const infos = await createMigrator(db, migrations).getMigrations();
  return {
    applied: infos.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: infos.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}

/** Migrates to the newest version; throws with the failing migration's name on error. */
export async function migrateToLatest(
  db: Kysely<any>,
  migrations: Readonly<Record<string, Migration>>,
): Promise<string[]> {
  const { error, results }: MigrationResultSet = await createMigrator(db, migrations).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : 'unknown error'}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
