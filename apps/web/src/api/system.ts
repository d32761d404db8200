import { SystemInfoResponse } from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import { apiJson } from './client';

export function useSystemInfo(enabled: boolean) {
  return useQuery({
    queryKey: ['system', 'info'],
    queryFn: ({ signal }) => apiJson('/system/info', SystemInfoResponse, { signal }),
    enabled,
  });
}
