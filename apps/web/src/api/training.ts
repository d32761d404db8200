import {
  AssignmentListResponse,
  AssignmentResponse,
  AttemptResult,
  LearnerCourseResponse,
  ManagedCoursesResponse,
  MyCertificatesResponse,
  MyTrainingResponse,
  TrainingReportResponse,
  UndertakingResponse,
  type CreateAssignmentInput,
  type SubmitAttemptInput,
  type TrainingState,
} from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiJson } from './client';

export const TRAINING_REPORT_PERMISSION = 'training.report.read';
export const TRAINING_MANAGE_PERMISSION = 'training.course.manage';

export const trainingKey = ['training'] as const;

export function useMyTraining() {
  return useQuery({
    queryKey: [...trainingKey, 'my'],
    queryFn: ({ signal }) => apiJson('/training/my', MyTrainingResponse, { signal }),
  });
}

export function useLearnerCourse(code: string) {
  return useQuery({
    queryKey: [...trainingKey, 'course', code],
    queryFn: ({ signal }) =>
      apiJson(`/training/courses/${encodeURIComponent(code)}`, LearnerCourseResponse, { signal }),
  });
}

export function submitAttempt(code: string, input: SubmitAttemptInput) {
  return apiJson(`/training/courses/${encodeURIComponent(code)}/attempts`, AttemptResult, {
    method: 'POST',
    body: input,
  });
}

export function useMyCertificates() {
  return useQuery({
    queryKey: [...trainingKey, 'certificates'],
    queryFn: ({ signal }) => apiJson('/training/certificates', MyCertificatesResponse, { signal }),
  });
}

export function useUndertaking() {
  return useQuery({
    queryKey: [...trainingKey, 'undertaking'],
    queryFn: ({ signal }) => apiJson('/training/undertaking', UndertakingResponse, { signal }),
  });
}

/** Signs with an authenticator code, or (code left out) with a passkey confirmation made just before. */
export function signUndertaking(version: string, code?: string) {
  return apiJson('/training/undertaking/sign', UndertakingResponse, {
    method: 'POST',
    body: code === undefined ? { version } : { version, code },
  });
}

export function useTrainingReport(state: 'all' | TrainingState) {
  return useQuery({
    queryKey: [...trainingKey, 'report', state],
    queryFn: ({ signal }) =>
      apiJson(`/training/report${state === 'all' ? '' : `?state=${state}`}`, TrainingReportResponse, { signal }),
  });
}

export function useManagedCourses() {
  return useQuery({
    queryKey: [...trainingKey, 'admin', 'courses'],
    queryFn: ({ signal }) => apiJson('/training/admin/courses', ManagedCoursesResponse, { signal }),
  });
}

export function useAssignments() {
  return useQuery({
    queryKey: [...trainingKey, 'admin', 'assignments'],
    queryFn: ({ signal }) => apiJson('/training/admin/assignments', AssignmentListResponse, { signal }),
  });
}

export function createAssignment(input: CreateAssignmentInput) {
  return apiJson('/training/admin/assignments', AssignmentResponse, { method: 'POST', body: input });
}

export function revokeAssignment(id: string) {
  return apiJson(
    `/training/admin/assignments/${encodeURIComponent(id)}/revoke`,
    z.object({ revoked: z.literal(true) }),
    {
      method: 'POST',
    },
  );
}
