/**
 * Groups and their members. The generator gives the properties the export reads; a few more of
 * Graph's group properties are filled in so that `$select` of common ones works. Members are served
 * as Graph serves directoryObjects: `@odata.type` plus the user's default properties.
 */
import type { GraphGroup } from '../../demo/graph-types.js';

export const GROUP_TYPE = 'microsoft.graph.group';

export const GROUP_PROPERTIES = [
  'id',
  'displayName',
  'description',
  'groupTypes',
  'mailEnabled',
  'securityEnabled',
  'onPremisesSyncEnabled',
  'mail',
  'mailNickname',
  'visibility',
  'isAssignableToRole',
  'membershipRule',
  'createdDateTime',
] as const;

/** `anchor`: a fixed day of the tenant's past (RouteContext.rolloutStart), so createdDateTime never moves. */
export function fullGroup(g: GraphGroup, anchor: number): Record<string, unknown> {
  return {
    ...g,
    mail: null,
    mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, ''),
    visibility: null,
    isAssignableToRole: null,
    membershipRule: null,
    createdDateTime: new Date(anchor - 800 * 86_400_000).toISOString().replace('.000Z', 'Z'),
  };
}
