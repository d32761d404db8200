/**
 * training (layer 3): staff security training (TRN-01): courses with quizzes graded on the server,
 * completions that expire, assignments, expiry reminders and the signed confidentiality
 * undertaking. Other modules ask whether a user's training is current (TRN-02).
 */
import './training.tables.js';

/** The training centre's HTTP routes, for the composition root. */
export { trainingRoutes } from './training.routes.js';
/**
 * TRN-02: `trainingStatus(ctx, userId, courseCode, now)` says whether the user holds a current
 * (passed, unexpired) completion of any version of the course, when it expires, and names the
 * course for a denial message; `isTrainingCurrent` is the boolean shorthand. An unknown course
 * throws `not_found` (fail closed).
 */
export { trainingStatus, isTrainingCurrent, addMonths, type TrainingStatus } from './training.status.js';
/** The active courses required of a user, given the role names they hold (resolved by access). */
export { requiredCourseCodes } from './training.status.js';
/** TRN-01: the scheduled job (hourly) that sends expiry reminders 30 days ahead and on expiry. */
export { sendTrainingReminders } from './training.reminders.js';
/** The team report with a role source; the access module passes its own role resolution. */
export { trainingReport, bootstrapRoleSource, type RoleSource } from './training.manage.js';
