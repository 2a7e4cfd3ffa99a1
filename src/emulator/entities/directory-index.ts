/**
 * Lookups over the synthetic tenant's directory (users by id or UPN, registration rows, groups),
 * built once on first use. The tenant's lists are small records per user, fine at 300,000 users.
 */
import type { SyntheticTenant } from '../../demo/generate-tenant.js';
import type { GraphGroup, GraphUser, UserRegistrationDetails } from '../../demo/graph-types.js';
import type { MemberRef } from './directory-writes.js';
import { DirectoryWrites } from './directory-writes.js';

export class DirectoryIndex {
  private usersById?: Map<string, GraphUser>;
  private usersByUpn?: Map<string, GraphUser>;
  private registrationById?: Map<string, UserRegistrationDetails>;
  private groupsById?: Map<string, GraphGroup>;
  private readonly baseMembers = new Map<string, Set<string>>();

  /** `writes`: what Graph writes changed, shared by every day's index (it outlives advanceDay()). */
  constructor(
    readonly tenant: SyntheticTenant,
    readonly writes: DirectoryWrites = new DirectoryWrites(),
  ) {}

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
    this.groupsById ??= new Map(this.groups().map((g) => [g.id.toLowerCase(), g]));
    return this.groupsById.get(id.toLowerCase());
  }

  /** The tenant's groups, then the emulator's extra groups (EmulatorOptions.extraGroups). */
  groups(): readonly GraphGroup[] {
    return this.writes.groups.length === 0
      ? this.tenant.groups
      : [...this.tenant.groups, ...this.writes.groups];
  }

  /** A user or group by object id (what `…/directoryObjects/{id}` names; no UPN). */
  directoryObject(id: string): MemberRef | undefined {
    const user = this.user(id);
    if (user !== undefined && user.id.toLowerCase() === id.toLowerCase())
      return { '@odata.type': '#microsoft.graph.user', id: user.id };
    const group = this.group(id);
    return group === undefined ? undefined : { '@odata.type': '#microsoft.graph.group', id: group.id };
  }

  /** Whether `objectId` is a direct member of the group now (writes applied), without listing it. */
  isMember(groupId: string, objectId: string): boolean {
    const group = this.group(groupId);
    if (group === undefined) return false;
    const written = this.writes.written(group.id, objectId);
    if (written !== undefined) return written;
    const key = group.id.toLowerCase();
    let base = this.baseMembers.get(key);
    if (base === undefined) {
      const refs = this.writes.extraMembers(group.id) ?? this.tenant.groupMembers.get(group.id) ?? [];
      base = new Set(refs.map((r) => r.id.toLowerCase()));
      this.baseMembers.set(key, base);
    }
    return base.has(objectId.toLowerCase());
  }

  /** Direct members of a group, with the membership writes applied. */
  members(groupId: string): readonly MemberRef[] {
    const group = this.group(groupId);
    if (group === undefined) return [];
    const base = this.writes.extraMembers(group.id) ?? this.tenant.groupMembers.get(group.id) ?? [];
    return this.writes.apply(group.id, base);
  }
}
