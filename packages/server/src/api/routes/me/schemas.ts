import { Type } from '@sinclair/typebox';

/** Who the bearer token is: the operator, or one organization's API key. */
export const MeOut = Type.Union([
  Type.Object({ kind: Type.Literal('admin') }, { description: 'the admin token' }),
  Type.Object(
    {
      kind: Type.Literal('org'),
      orgId: Type.String({ description: 'the one organization this key sees' }),
      keyId: Type.String({ description: 'the API key, as listed by …/api-keys' }),
    },
    { description: 'an organization API key (hk_…)' },
  ),
]);
