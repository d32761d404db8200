import type { Kysely } from 'kysely';
import { SEED_COURSES, UNDERTAKING_V1 } from './training-seed-data.js';

/**
 * Staff security training (TRN-01): courses and their versions, quiz questions (the correct
 * answers stay on the server), assignments, attempts, completions that expire, expiry reminders and
 * the confidentiality undertaking. Ships the first two courses and the undertaking, and assigns the
 * security basics to all staff, so every installation starts with them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('training_course')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('currentVersion', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('updatedAt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('training_course_version')
    .addColumn('courseCode', 'text', (c) => c.notNull().references('training_course.code'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('titleZh', 'text', (c) => c.notNull())
    .addColumn('titleEn', 'text', (c) => c.notNull())
    .addColumn('bodyZh', 'text', (c) => c.notNull())
    .addColumn('bodyEn', 'text', (c) => c.notNull())
    .addColumn('passMark', 'integer', (c) => c.notNull())
    .addColumn('validityMonths', 'integer', (c) => c.notNull())
    .addColumn('publishedBy', 'text')
    .addColumn('publishedAt', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('training_course_version_pk', ['courseCode', 'version'])
    .execute();

  await db.schema
    .createTable('training_question')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('courseCode', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('promptZh', 'text', (c) => c.notNull())
    .addColumn('promptEn', 'text', (c) => c.notNull())
    /** JSON: [{ id, textZh, textEn }] */
    .addColumn('options', 'text', (c) => c.notNull())
    /** JSON: the correct option ids; never sent to learners. */
    .addColumn('correct', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_question_version')
    .on('training_question')
    .columns(['courseCode', 'version', 'position'])
    .execute();

  await db.schema
    .createTable('training_assignment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('courseCode', 'text', (c) => c.notNull().references('training_course.code'))
    .addColumn('targetKind', 'text', (c) => c.notNull())
    .addColumn('targetRole', 'text')
    .addColumn('targetUserId', 'text')
    .addColumn('createdBy', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('revokedBy', 'text')
    .addColumn('revokedAt', 'text')
    .execute();

  await db.schema
    .createTable('training_attempt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('courseCode', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('correctCount', 'integer', (c) => c.notNull())
    .addColumn('questionCount', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('submittedAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_attempt_user')
    .on('training_attempt')
    .columns(['userId', 'courseCode', 'submittedAt'])
    .execute();

  await db.schema
    .createTable('training_completion')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('courseCode', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('attemptId', 'text', (c) => c.notNull().references('training_attempt.id'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('completedAt', 'text', (c) => c.notNull())
    .addColumn('expiresAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_completion_user')
    .on('training_completion')
    .columns(['userId', 'courseCode', 'expiresAt'])
    .execute();

  await db.schema
    .createTable('training_reminder')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('completionId', 'text', (c) => c.notNull().references('training_completion.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sentAt', 'text', (c) => c.notNull())
    .addUniqueConstraint('training_reminder_once', ['completionId', 'kind'])
    .execute();

  await db.schema
    .createTable('training_undertaking')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('textZh', 'text', (c) => c.notNull())
    .addColumn('textEn', 'text', (c) => c.notNull())
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('training_undertaking_signature')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('version', 'text', (c) => c.notNull().references('training_undertaking.version'))
    /** The identity module's e-signature (TOTP re-authentication, hash bound in the audit trail). */
    .addColumn('signatureId', 'text', (c) => c.notNull())
    .addColumn('recordHash', 'text', (c) => c.notNull())
    .addColumn('signedAt', 'text', (c) => c.notNull())
    .addUniqueConstraint('training_undertaking_once', ['userId', 'version'])
    .execute();

  // Seed data: frozen with this migration.
  const at = new Date().toISOString();
  const anyDb = db as Kysely<Record<string, Record<string, unknown>>>;
  for (const course of SEED_COURSES) {
    await anyDb
      .insertInto('training_course')
      .values({ code: course.code, currentVersion: course.version, active: 1, createdAt: at, updatedAt: at })
      .execute();
    await anyDb
      .insertInto('training_course_version')
      .values({
        courseCode: course.code,
        version: course.version,
        titleZh: course.titleZh,
        titleEn: course.titleEn,
        bodyZh: course.bodyZh,
        bodyEn: course.bodyEn,
        passMark: course.passMark,
        validityMonths: course.validityMonths,
        publishedBy: null,
        publishedAt: at,
      })
      .execute();
    let position = 0;
    for (const q of course.questions) {
      await anyDb
        .insertInto('training_question')
        .values({
          id: q.id,
          courseCode: course.code,
          version: course.version,
          position: position++,
          kind: q.kind,
          promptZh: q.promptZh,
          promptEn: q.promptEn,
          options: JSON.stringify(q.options),
          correct: JSON.stringify(q.correct),
        })
        .execute();
    }
  }
  await anyDb
    .insertInto('training_assignment')
    .values({
      id: '0192f4c0-0000-7000-8000-000000000001',
      courseCode: 'security-basics',
      targetKind: 'all',
      targetRole: null,
      targetUserId: null,
      createdBy: null,
      createdAt: at,
      revokedBy: null,
      revokedAt: null,
    })
    .execute();
  await anyDb
    .insertInto('training_undertaking')
    .values({
      version: UNDERTAKING_V1.version,
      textZh: UNDERTAKING_V1.textZh,
      textEn: UNDERTAKING_V1.textEn,
      current: 1,
      createdAt: at,
    })
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'training_undertaking_signature',
    'training_undertaking',
    'training_reminder',
    'training_completion',
    'training_attempt',
    'training_assignment',
    'training_question',
    'training_course_version',
    'training_course',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
