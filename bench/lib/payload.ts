/** The 1 KiB JSON event every target delivers (P, the peer and Herald alike). */
export const BODY_BYTES = 1024;

const FILL = 'x'.repeat(BODY_BYTES);

/** An event payload whose JSON is exactly BODY_BYTES long; `sentAt` lets the receiver time it. */
export function payload(sentAt?: number): Record<string, unknown> {
  const head: Record<string, unknown> = {
    type: 'certificate_completed',
    learner: 'usr_01HBENCH',
    course: 'crs_01HBENCH',
  };
  if (sentAt !== undefined) head.sentAt = sentAt;
  const overhead = JSON.stringify({ ...head, fill: '' }).length;
  return { ...head, fill: FILL.slice(0, Math.max(0, BODY_BYTES - overhead)) };
}

export const PAYLOAD_JSON = JSON.stringify(payload());
