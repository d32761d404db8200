import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const contractSource = fileURLToPath(new URL('./packages/contract/src/index.ts', import.meta.url));

/**
 * One Vitest run, several projects:
 * - contract: pure unit tests of the shared package;
 * - server-sqlite / server-postgres: the whole server suite, once per database;
 * - web: React components in jsdom;
 * - e2e: the built server and web UI in Debian's Chromium over HTTPS.
 * `npm test` (scripts/test.mjs) decides which of them can run here and refuses to skip required ones.
 */
const serverFiles = ['apps/server/**/*.test.ts'];

export default defineConfig({
  resolve: { alias: { '@medledger/contract': contractSource } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'contract', include: ['packages/contract/src/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'server-sqlite',
          include: serverFiles,
          environment: 'node',
          env: { MEDLEDGER_TEST_DIALECT: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server-postgres',
          include: serverFiles,
          environment: 'node',
          env: { MEDLEDGER_TEST_DIALECT: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['apps/web/test/setup.ts'],
          testTimeout: 45_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['apps/web/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
