import { z } from 'zod';

/**
 * Staff security training (TRN-01): courses with a quiz, completions that expire, assignments, the
 * confidentiality undertaking. Correct answers never appear in a learner-facing schema.
 */

/** Permissions of the training module, merged into the catalogue. */
export const TRAINING_PERMISSIONS = {
  'training.course.manage': {
    zh: '发布培训课程及新版本，按角色、个人或全员分配课程',
    en: 'Publish training courses and new versions, assign courses to roles, users or all staff',
  },
  'training.report.read': {
    zh: '查看团队培训完成情况报表（含过期与即将过期）',
    en: 'View the team training completion report (including expired and expiring)',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

/** Audit events of the training module, merged into the audit catalogue. No answers, no codes. */
export const TRAINING_AUDIT_EVENTS = {
  'training.course.published': {
    zh: '发布培训课程版本',
    en: 'Training course version published',
    category: 'business',
    data: z.strictObject({
      courseCode: z.string(),
      version: z.number().int(),
      questionCount: z.number().int(),
      minimumScore: z.number().int(),
      validityMonths: z.number().int(),
    }),
  },
  'training.course.completed': {
    zh: '通过培训考核',
    en: 'Training course passed',
    category: 'business',
    data: z.strictObject({
      courseCode: z.string(),
      version: z.number().int(),
      attemptId: z.string(),
      score: z.number().int(),
      completedAt: z.string(),
      expiresAt: z.string(),
    }),
  },
  'training.quiz.failed': {
    zh: '培训考核未通过',
    en: 'Training quiz not passed',
    category: 'business',
    data: z.strictObject({
      courseCode: z.string(),
      version: z.number().int(),
      attemptId: z.string(),
      score: z.number().int(),
    }),
  },
  'training.assignment.created': {
    zh: '分配培训课程',
    en: 'Training course assigned',
    category: 'business',
    data: z.strictObject({
      courseCode: z.string(),
      targetKind: z.enum(['all', 'role', 'user']),
      targetRole: z.string().nullable(),
      targetUserId: z.string().nullable(),
    }),
  },
  'training.assignment.revoked': {
    zh: '撤销培训课程分配',
    en: 'Training assignment revoked',
    category: 'business',
    data: z.strictObject({ courseCode: z.string(), targetKind: z.enum(['all', 'role', 'user']) }),
  },
  'training.undertaking.signed': {
    zh: '签署保密承诺书',
    en: 'Confidentiality undertaking signed',
    category: 'security',
    data: z.strictObject({ version: z.string(), signatureId: z.string(), recordHash: z.string() }),
  },
  'training.reminder.sent': {
    zh: '发送培训到期提醒',
    en: 'Training expiry reminder sent',
    category: 'system',
    data: z.strictObject({ courseCode: z.string(), kind: z.enum(['due', 'expired']), expiresAt: z.string() }),
  },
} as const;

/** Course codes: lower-case words joined by hyphens (`security-basics`). */
export const CourseCode = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens')
  .max(40);

/** Quiz attempts per user and course in any rolling 24 hours: stops guessing the answers by brute force. */
export const TRAINING_ATTEMPTS_PER_DAY = 5;
/** Reminders go out this many days before a completion expires. */
export const TRAINING_REMINDER_DAYS = 30;

/**
 * Where a user stands on one course: never passed, passed and current, current but expiring within
 * {@link TRAINING_REMINDER_DAYS}, or lapsed.
 */
export const TRAINING_STATES = ['not_started', 'current', 'expiring', 'expired'] as const;
export type TrainingState = (typeof TRAINING_STATES)[number];

export const QUESTION_KINDS = ['single', 'multiple'] as const;

const Title = z.string().trim().min(1).max(200);
const Body = z.string().trim().min(1).max(50_000);
const OptionText = z.string().trim().min(1).max(500);

const CourseRef = z.object({ code: z.string(), titleZh: z.string(), titleEn: z.string() });

const MyStatus = z.object({
  state: z.enum(TRAINING_STATES),
  /** The version the latest valid (or last) completion was for. */
  completedVersion: z.number().int().nullable(),
  completedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  score: z.number().int().nullable(),
});

/** `GET /api/v1/training/my`: every active course, whether it is required of me, and my standing. */
export const MyTrainingResponse = z.object({
  courses: z.array(
    CourseRef.extend({
      version: z.number().int(),
      passMark: z.number().int(),
      validityMonths: z.number().int(),
      required: z.boolean(),
      status: MyStatus,
      attemptsLeftToday: z.number().int(),
    }),
  ),
  undertaking: z.object({
    version: z.string(),
    signedAt: z.string().nullable(),
  }),
});
export type MyTrainingResponse = z.infer<typeof MyTrainingResponse>;

/** A quiz question as the learner sees it: never the correct answers. */
export const LearnerQuestion = z.object({
  id: z.string(),
  kind: z.enum(QUESTION_KINDS),
  promptZh: z.string(),
  promptEn: z.string(),
  options: z.array(z.object({ id: z.string(), textZh: z.string(), textEn: z.string() })),
});

/** `GET /api/v1/training/courses/:code`: the current version to read and the quiz to take. */
export const LearnerCourseResponse = z.object({
  course: CourseRef.extend({
    version: z.number().int(),
    bodyZh: z.string(),
    bodyEn: z.string(),
    passMark: z.number().int(),
    validityMonths: z.number().int(),
  }),
  questions: z.array(LearnerQuestion),
  status: MyStatus,
  attemptsLeftToday: z.number().int(),
});
export type LearnerCourseResponse = z.infer<typeof LearnerCourseResponse>;

export const CourseCodeParams = z.strictObject({ code: CourseCode });

/**
 * `POST /api/v1/training/courses/:code/attempts`: one answer per question of the version read.
 * Graded on the server; the response says the score only, never which answers were right.
 */
export const SubmitAttemptInput = z.strictObject({
  version: z.number().int().min(1),
  answers: z
    .array(
      z.strictObject({
        questionId: z.string().min(1).max(64),
        optionIds: z.array(z.string().min(1).max(16)).min(1).max(10),
      }),
    )
    .min(1)
    .max(100),
});
export type SubmitAttemptInput = z.infer<typeof SubmitAttemptInput>;

export const AttemptResult = z.object({
  attemptId: z.string(),
  score: z.number().int(),
  correctCount: z.number().int(),
  questionCount: z.number().int(),
  passMark: z.number().int(),
  passed: z.boolean(),
  attemptsLeftToday: z.number().int(),
  completion: z.object({ id: z.string(), completedAt: z.string(), expiresAt: z.string() }).nullable(),
});
export type AttemptResult = z.infer<typeof AttemptResult>;

/** A certificate: one passed completion, with the holder's name for the printed view. */
export const TrainingCertificate = CourseRef.extend({
  id: z.string(),
  version: z.number().int(),
  score: z.number().int(),
  completedAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
  holderName: z.string(),
  holderLogin: z.string(),
});
export const MyCertificatesResponse = z.object({ certificates: z.array(TrainingCertificate) });
export type MyCertificatesResponse = z.infer<typeof MyCertificatesResponse>;

/** `GET /api/v1/training/undertaking`: the current text and the caller's signature of it, if any. */
export const UndertakingResponse = z.object({
  version: z.string(),
  textZh: z.string(),
  textEn: z.string(),
  signature: z
    .object({ id: z.string(), signedAt: z.string(), signerName: z.string(), recordHash: z.string() })
    .nullable(),
});
export type UndertakingResponse = z.infer<typeof UndertakingResponse>;

/** Signing the undertaking is an electronic signature: the signer re-authenticates with a fresh code. */
export const SignUndertakingInput = z.strictObject({
  version: z.string().min(1).max(40),
  /** An authenticator code; left out, a passkey confirmation from the last two minutes is used. */
  code: z
    .string()
    .regex(/^\d{6}$/, 'six digits')
    .optional(),
});

const QuestionInput = z.strictObject({
  kind: z.enum(QUESTION_KINDS),
  promptZh: OptionText,
  promptEn: OptionText,
  options: z
    .array(z.strictObject({ textZh: OptionText, textEn: OptionText, correct: z.boolean() }))
    .min(2)
    .max(8),
});

/** The content of one course version (management). Pass mark in percent, validity in months. */
export const CourseVersionInput = z.strictObject({
  titleZh: Title,
  titleEn: Title,
  bodyZh: Body,
  bodyEn: Body,
  passMark: z.number().int().min(1).max(100),
  validityMonths: z.number().int().min(1).max(36),
  questions: z.array(QuestionInput).min(1).max(50),
});
export type CourseVersionInput = z.infer<typeof CourseVersionInput>;

export const CreateCourseInput = CourseVersionInput.extend({ code: CourseCode });

export const ManagedCourse = CourseRef.extend({
  version: z.number().int(),
  passMark: z.number().int(),
  validityMonths: z.number().int(),
  questionCount: z.number().int(),
  active: z.boolean(),
  publishedAt: z.string(),
});
export const ManagedCoursesResponse = z.object({ courses: z.array(ManagedCourse) });
export type ManagedCoursesResponse = z.infer<typeof ManagedCoursesResponse>;
export const ManagedCourseResponse = z.object({ course: ManagedCourse });

/** Who a course is assigned to: everyone, holders of a role (by name), or one user. */
export const AssignmentTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({
    kind: z.literal('role'),
    role: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._/-]*$/u, 'letters, digits, spaces and . _ / -'),
  }),
  z.strictObject({ kind: z.literal('user'), userId: z.uuid() }),
]);
export const CreateAssignmentInput = z.strictObject({ courseCode: CourseCode, target: AssignmentTarget });
export type CreateAssignmentInput = z.infer<typeof CreateAssignmentInput>;

export const TrainingAssignment = z.object({
  id: z.string(),
  courseCode: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  targetKind: z.enum(['all', 'role', 'user']),
  targetRole: z.string().nullable(),
  targetUser: z.object({ id: z.string(), login: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
});
export const AssignmentListResponse = z.object({ assignments: z.array(TrainingAssignment) });
export type AssignmentListResponse = z.infer<typeof AssignmentListResponse>;
export const AssignmentResponse = z.object({ assignment: TrainingAssignment });

/** `GET /api/v1/training/report`: required training per active user × course. */
export const TrainingReportQuery = z.strictObject({
  state: z.enum(['all', ...TRAINING_STATES]).optional(),
});
export const TrainingReportResponse = z.object({
  rows: z.array(
    z.object({
      user: z.object({ id: z.string(), login: z.string(), name: z.string() }),
      course: CourseRef,
      status: MyStatus,
    }),
  ),
});
export type TrainingReportResponse = z.infer<typeof TrainingReportResponse>;
