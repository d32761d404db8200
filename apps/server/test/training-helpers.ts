import { expect } from 'vitest';
import { SEED_COURSES } from '../migrations/training-seed-data.js';
import type { TestApp } from './harness.js';

/** Passes a shipped course through the learner API with the right answers (known from the seed data). */
export async function passCourse(app: TestApp, cookie: string, code: string): Promise<void> {
  const course = SEED_COURSES.find((c) => c.code === code);
  if (course === undefined) throw new Error(`no seed course ${code}`);
  const res = await app.app.inject({
    method: 'POST',
    url: `/api/v1/training/courses/${code}/attempts`,
    payload: {
      version: course.version,
      answers: course.questions.map((q) => ({ questionId: q.id, optionIds: q.correct })),
    },
    headers: { cookie },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json<{ passed: boolean }>().passed).toBe(true);
}
