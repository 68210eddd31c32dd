import { BUILT_IN_EVENT_TYPES } from '../../src/event-types/built-in/index.ts';

/** A deep copy of a built-in event type's example payload (the seeds' documents). */
export function builtInExample(name: string): Record<string, any> {
  const type = BUILT_IN_EVENT_TYPES.find((t) => t.name === name);
  if (!type) throw new Error(`no built-in event type ${name}`);
  return structuredClone(type.example) as Record<string, any>;
}
