import { describe, expect, it } from 'vitest';
import { auditSearchParams } from '../../api/audit';
import { actionInfo, actionOptions, shortHash } from './audit-format';
import { toAuditFilters, type PickedTime } from './audit-filter-form';

/** Stands in for the picker's date object: whole seconds, as the picker shows them. */
function picked(date: Date): PickedTime {
  return {
    toISOString: () => date.toISOString(),
    endOf: () => picked(new Date(Math.floor(date.getTime() / 1000) * 1000 + 999)),
  };
}

describe('audit filters', () => {
  it('leaves out blank values and converts the range to ISO instants with an exclusive end', () => {
    const filters = toAuditFilters({
      actor: '  ',
      action: 'keys.key.rotated',
      outcome: undefined,
      resourceType: ' device ',
      resourceId: '',
      range: [picked(new Date('2026-11-01T00:00:00Z')), picked(new Date('2026-11-02T12:30:45Z'))],
    });
    expect(filters).toEqual({
      action: 'keys.key.rotated',
      resourceType: 'device',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T12:30:46.000Z',
    });
  });

  it('allows an open-ended range', () => {
    expect(toAuditFilters({ range: [null, picked(new Date('2026-11-02T00:00:00Z'))] })).toEqual({
      to: '2026-11-02T00:00:01.000Z',
    });
    expect(toAuditFilters({ range: [picked(new Date('2026-11-01T00:00:00Z')), null] })).toEqual({
      from: '2026-11-01T00:00:00.000Z',
    });
    expect(toAuditFilters({ range: null })).toEqual({});
  });

  it('builds a query string of set keys only, in a fixed order, with the cursor last', () => {
    expect(auditSearchParams({}).toString()).toBe('');
    expect(auditSearchParams({ actor: '', outcome: undefined }, null).toString()).toBe('');
    expect(
      auditSearchParams(
        { to: '2026-11-02T00:00:00.000Z', actor: '张 三', resourceId: 'A&B=1', action: 'http.request.denied' },
        '1234',
      ).toString(),
    ).toBe(
      'actor=%E5%BC%A0+%E4%B8%89&action=http.request.denied&resourceId=A%26B%3D1&to=2026-11-02T00%3A00%3A00.000Z&before=1234',
    );
  });
});

describe('audit labels', () => {
  it('labels catalogue actions in the current language and keeps unknown names as they are', () => {
    expect(actionInfo('audit.chain.broken', 'zh-CN')).toEqual({
      label: '审计日志完整性校验失败',
      category: 'security',
      alert: true,
    });
    expect(actionInfo('backup.backup.created', 'en')).toEqual({
      label: 'Encrypted backup created',
      category: 'system',
      alert: false,
    });
    expect(actionInfo('inventory.lot.recalled', 'en')).toEqual({
      label: 'inventory.lot.recalled',
      category: null,
      alert: false,
    });
    expect(actionOptions('en')).toContainEqual({ value: 'keys.key.rotated', label: 'Data key rotated' });
  });

  it('shortens long hashes only', () => {
    expect(shortHash('abc')).toBe('abc');
    expect(shortHash('0123456789abcdef0123456789abcdef')).toBe('0123456789ab…89abcdef');
  });
});
