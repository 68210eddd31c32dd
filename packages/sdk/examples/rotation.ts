import { verify } from '@herald/sdk';

// While Herald rotates an endpoint's secret, requests carry a signature for the old
// secret and one for the new. Accept both, deploy, then drop the old one.
export function verifyDuringRotation(body: string, headers: Record<string, string>) {
  return verify(body, headers, [process.env.HERALD_SECRET_NEW!, process.env.HERALD_SECRET_OLD!]);
}
