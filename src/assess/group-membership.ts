import type { Group } from '../domain/tenant.js';
import { lowerCase } from './lower-case.js';

/**
 * Transitive group membership from `groups[].memberIds` (groupMembers/<id>.json holds transitive
 * members). A group whose members were not collected is *unknown*, which is not the same as empty.
 */
export class GroupMembership {
  private readonly members = new Map<string, Set<string>>();
  private readonly known = new Set<string>();
  private readonly byName = new Map<string, string[]>();
  private readonly names = new Map<string, string>();

  constructor(groups: readonly Group[] | undefined) {
    for (const g of groups ?? []) {
      const id = g.id.toLowerCase();
      this.known.add(id);
      if (g.displayName !== undefined) {
        this.names.set(id, g.displayName);
        const name = g.displayName.toLowerCase();
        this.byName.set(name, [...(this.byName.get(name) ?? []), id]);
      }
      if (g.memberIds !== undefined) this.members.set(id, new Set(g.memberIds.map((m) => m.toLowerCase())));
    }
  }

  /**
   * Group ids for an option value: an id, or (admins type what they see) a display name. Unknown values
   * are kept as given, so they still appear in evidence.
   */
  resolve(idOrName: string): string[] {
    const key = idOrName.toLowerCase();
    if (this.known.has(key)) return [key];
    return this.byName.get(key) ?? [key];
  }

  displayName(groupId: string): string | undefined {
    return this.names.get(groupId.toLowerCase());
  }

  /** The (transitive) member ids, lower case; undefined when the members were not collected. */
  membersOf(groupId: string): ReadonlySet<string> | undefined {
    return this.members.get(lowerCase(groupId));
  }

  /** true / false when the membership was collected; undefined when it was not. */
  isMember(userId: string, groupId: string): boolean | undefined {
    const set = this.members.get(lowerCase(groupId));
    return set === undefined ? undefined : set.has(lowerCase(userId));
  }
}
