/**
 * Lookups over the synthetic tenant's directory (users by id or UPN, registration rows, groups),
 * built once on first use. The tenant's lists are small records per user, fine at 300,000 users.
 */
import type { SyntheticTenant } from '../../demo/generate-tenant.js';
import type { GraphGroup, GraphUser, UserRegistrationDetails } from '../../demo/graph-types.js';

export class DirectoryIndex {
  private usersById?: Map<string, GraphUser>;
  private usersByUpn?: Map<string, GraphUser>;
  private registrationById?: Map<string, UserRegistrationDetails>;
  private groupsById?: Map<string, GraphGroup>;

  constructor(readonly tenant: SyntheticTenant) {}

  /** Builds every lookup and the tenant's directory lists now (startEmulator, before it listens). */
  warm(): void {
    this.user('');
    this.registration('');
    this.group('');
    void this.tenant.groupMembers;
  }

  /** A user by object id or UPN (case-insensitive), as Graph resolves `/users/{id | userPrincipalName}`. */
  user(idOrUpn: string): GraphUser | undefined {
    if (this.usersById === undefined || this.usersByUpn === undefined) {
      this.usersById = new Map(this.tenant.users.map((u) => [u.id.toLowerCase(), u]));
      this.usersByUpn = new Map(this.tenant.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
    }
    const key = idOrUpn.toLowerCase();
    return this.usersById.get(key) ?? this.usersByUpn.get(key);
  }

  registration(id: string): UserRegistrationDetails | undefined {
    this.registrationById ??= new Map(this.tenant.registration.map((r) => [r.id.toLowerCase(), r]));
    return this.registrationById.get(id.toLowerCase());
  }

  group(id: string): GraphGroup | undefined {
    this.groupsById ??= new Map(this.tenant.groups.map((g) => [g.id.toLowerCase(), g]));
    return this.groupsById.get(id.toLowerCase());
  }

  /** Direct members of a group; the synthetic tenant has no nested groups, so transitive = direct. */
  members(groupId: string): readonly { '@odata.type': string; id: string }[] {
    const group = this.group(groupId);
    if (group === undefined) return [];
    return this.tenant.groupMembers.get(group.id) ?? [];
  }
}
