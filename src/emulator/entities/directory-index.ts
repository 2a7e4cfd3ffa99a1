/**
 * Lookups over the synthetic tenant's directory (users by id or UPN, registration rows, groups),
 * built once on first use. The tenant's lists are small records per user, fine at 300,000 users.
 */
import type { SyntheticTenant } from '../../demo/generate-tenant.js';
import type {
  GraphAuthenticationMethod,
  GraphGroup,
  GraphUser,
  UserRegistrationDetails,
} from '../../demo/graph-types.js';
import type { MemberRef } from './directory-writes.js';
import { DirectoryWrites } from './directory-writes.js';
import { methodsWithWrites, registrationWithWrites } from './method-writes.js';

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

  /** A registration-report row, with the method writes applied. */
  registration(id: string): UserRegistrationDetails | undefined {
    this.registrationById ??= new Map(this.tenant.registration.map((r) => [r.id.toLowerCase(), r]));
    const row = this.registrationById.get(id.toLowerCase());
    return row === undefined ? undefined : this.withWrites(row);
  }

  /** Every registration-report row, with the method writes applied. */
  *registrationRows(): Generator<UserRegistrationDetails> {
    if (!this.writes.hasMethodWrites) {
      yield* this.tenant.registration;
      return;
    }
    for (const row of this.tenant.registration) yield this.withWrites(row);
  }

  /** A user's authentication methods as Graph lists them now (writes applied); undefined for an unknown user. */
  methodsOf(idOrUpn: string): GraphAuthenticationMethod[] | undefined {
    const user = this.user(idOrUpn);
    const base = this.tenant.methodsOf(user?.id ?? idOrUpn);
    if (user === undefined || base === undefined) return base;
    const changes = this.writes.methods(user.id);
    return changes === undefined ? base : methodsWithWrites(base, changes, this.now());
  }

  /** The tenant's "now" (collectedAt), ms: what a TAP's usability is judged against. */
  now(): number {
    return Date.parse(this.tenant.options.collectedAt);
  }

  private withWrites(row: UserRegistrationDetails): UserRegistrationDetails {
    const changes = this.writes.methods(row.id);
    if (changes === undefined) return row;
    return registrationWithWrites(row, changes, this.methodsOf(row.id) ?? []);
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
      base = new Set(this.baseOf(group.id).map((r) => r.id.toLowerCase()));
      this.baseMembers.set(key, base);
    }
    return base.has(objectId.toLowerCase());
  }

  /** Direct members of a group, with the membership writes applied. */
  members(groupId: string): readonly MemberRef[] {
    const group = this.group(groupId);
    if (group === undefined) return [];
    return this.writes.apply(group.id, this.baseOf(group.id));
  }

  /**
   * Members of a group and of the groups nested in it, each once, groups included (as Graph's
   * transitiveMembers lists them, https://learn.microsoft.com/graph/api/group-list-transitivemembers); a cycle is walked once.
   */
  transitiveMembers(groupId: string): MemberRef[] {
    const start = this.group(groupId);
    if (start === undefined) return [];
    const seen = new Set<string>([start.id.toLowerCase()]);
    const out: MemberRef[] = [];
    const queue = [start.id];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const ref of this.members(next)) {
        const key = ref.id.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(ref);
        if (ref['@odata.type'] === '#microsoft.graph.group') queue.push(ref.id);
      }
    }
    return out;
  }

  /** Whether `objectId` is in the group directly or through nested groups. */
  isTransitiveMember(groupId: string, objectId: string): boolean {
    const key = objectId.toLowerCase();
    return this.transitiveMembers(groupId).some((m) => m.id.toLowerCase() === key);
  }

  /** Members before writes: the generated ones, or an extra group's initial ones with their types resolved. */
  private baseOf(groupId: string): readonly MemberRef[] {
    const extra = this.writes.extraMembers(groupId);
    if (extra === undefined) return this.tenant.groupMembers.get(groupId) ?? [];
    return extra.flatMap((m) => this.directoryObject(m.id) ?? []);
  }
}
