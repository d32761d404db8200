/** Row types of the training module's tables, merged into the one `Database` type. */

export type TrainingCourseTable = {
  code: string;
  currentVersion: number;
  /** 1 while the course is offered; completions of an inactive course still count until they expire. */
  active: number;
  createdAt: string;
  updatedAt: string;
};

export type TrainingCourseVersionTable = {
  courseCode: string;
  version: number;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  /** Percent of questions answered correctly needed to pass. */
  passMark: number;
  validityMonths: number;
  publishedBy: string | null;
  publishedAt: string;
};

export type TrainingQuestionTable = {
  id: string;
  courseCode: string;
  version: number;
  position: number;
  kind: 'single' | 'multiple';
  promptZh: string;
  promptEn: string;
  /** JSON `[{ id, textZh, textEn }]`. */
  options: string;
  /** JSON array of the correct option ids. Server-side only: never selected for a learner. */
  correct: string;
};

export type AssignmentTargetKind = 'all' | 'role' | 'user';

export type TrainingAssignmentTable = {
  id: string;
  courseCode: string;
  targetKind: AssignmentTargetKind;
  /** A role name, resolved by the access module (roles are not known here). */
  targetRole: string | null;
  targetUserId: string | null;
  createdBy: string | null;
  createdAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
};

export type TrainingAttemptTable = {
  id: string;
  userId: string;
  courseCode: string;
  version: number;
  correctCount: number;
  questionCount: number;
  score: number;
  passed: number;
  submittedAt: string;
};

export type TrainingCompletionTable = {
  id: string;
  userId: string;
  courseCode: string;
  version: number;
  attemptId: string;
  score: number;
  completedAt: string;
  expiresAt: string;
};

export type TrainingReminderTable = {
  id: string;
  completionId: string;
  kind: 'due' | 'expired';
  sentAt: string;
};

export type TrainingUndertakingTable = {
  version: string;
  textZh: string;
  textEn: string;
  current: number;
  createdAt: string;
};

export type TrainingUndertakingSignatureTable = {
  id: string;
  userId: string;
  version: string;
  signatureId: string;
  recordHash: string;
  signedAt: string;
};

declare module '../../platform/db/database.js' {
  interface Database {
    training_course: TrainingCourseTable;
    training_course_version: TrainingCourseVersionTable;
    training_question: TrainingQuestionTable;
    training_assignment: TrainingAssignmentTable;
    training_attempt: TrainingAttemptTable;
    training_completion: TrainingCompletionTable;
    training_reminder: TrainingReminderTable;
    training_undertaking: TrainingUndertakingTable;
    training_undertaking_signature: TrainingUndertakingSignatureTable;
  }
}
