import type { classificationZhCN } from './classification.zh-CN';

/** Data classification screen (AC-07), English. */
export const classificationEn: typeof classificationZhCN = {
  menu: 'Data classification',
  title: 'Data classification',
  intro:
    'Every personal or sensitive item MedLedger stores, with its level 1–5 under GB/T 39725 (health and medical data security) and its category: personal information, sensitive personal information, health data, business confidential. One access policy decides who sees a value in clear, and every look is recorded in the audit trail.',
  rule: 'Level 4 and above (health data that identifies a person directly): the permission, current training and a declared purpose are all needed; up to level 3 the permission decides.',
  field: 'Item',
  key: 'Code',
  level: 'Level',
  category: 'Category',
  otherwise: 'Shown by default',
  required: 'To see it in clear',
  sealed: 'Encrypted at rest',
  sealedYes: 'Encrypted',
  otherwiseMasked: 'Masked',
  otherwiseOmitted: 'Not shown',
  otherwiseNever: 'Never shown',
  neverInClear: 'Nobody sees it in clear',
  permission: 'Permission: {{permission}}',
  training: 'Training: {{course}} (current, no grace period)',
  purpose: 'A declared purpose',
  breakGlass: 'Break-glass: {{permission}}',
  count: '{{count}} items',
  forbiddenTitle: 'No access',
  forbiddenDescription:
    'The data classification needs the permission “View roles, role assignments and pending approvals”. Ask your security administrator for access.',
};
