import type { EventTypeSeed } from '../types.ts';
import { CERTIFICATE_EVENT_TYPES } from './badge-user.ts';
import { BEGINI_EVENT_TYPES } from './begini.ts';
import { OPERATIONAL_EVENT_TYPES } from './operational.ts';
import { SEABLY_EVENT_TYPES } from './seably.ts';

/** The catalog every Herald starts with. Seeded once; admin edits are kept across restarts. */
export const BUILT_IN_EVENT_TYPES: EventTypeSeed[] = [
  ...CERTIFICATE_EVENT_TYPES,
  ...SEABLY_EVENT_TYPES,
  ...BEGINI_EVENT_TYPES,
  ...OPERATIONAL_EVENT_TYPES,
];
