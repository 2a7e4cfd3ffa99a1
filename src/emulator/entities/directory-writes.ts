/**
 * What writes changed in the emulated directory, kept apart from the generated tenant so that it
 * survives `advanceDay()` (which generates the tenant afresh): groups added by the emulator's
 * options (not in the demo's data, so the bundled demo's output stays as it is), group membership
 * added or removed through Graph, and per-user authentication-method changes (a Temporary Access
 * Pass created, an Authenticator entry deleted, the preferred method set). DirectoryIndex reads the
 * tenant through this overlay. A TAP's value is never kept: Graph shows it only in the create answer.
 */
import { createHash } from 'node:crypto';
import type { GraphGroup } from '../../demo/graph-types.js';

export interface MemberRef {
  '@odata.type': string;
  id: string;
}

/** A group the emulator adds to the generated tenant (EmulatorOptions.extraGroups). */
export interface ExtraGroup {
  /** Object id; default: a stable id derived from the display name. */
  id?: string;
  displayName: string;
  description?: string;
  /** `onPremisesSyncEnabled: true`: Graph refuses membership writes on it. */
  synced?: boolean;
  /** Direct members at the start: user ids, or ids of other groups (nested groups). */
  members?: readonly string[];
}

/**
 * Two empty cloud security groups to roll out with through Graph (the demo tenant's own
 * MFA_Required and MFA_ProofUpBypass are synced from on-premises, as in
 * test/fixtures/incidents/incident-2, so Graph cannot change them).
 */
export const CLOUD_ROLLOUT_GROUPS: readonly ExtraGroup[] = [
  {
    displayName: 'MFA_Enforced_Cloud',
    description: 'Cloud group targeted by the MFA Conditional Access policy, filled wave by wave',
  },
  {
    displayName: 'MFA_Bypass_Cloud',
    description: 'Cloud group excluded from the MFA policy while its members register',
  },
];

/** A stable GUID-shaped id for an extra group without one (same name, same id, across runs). */
export function extraGroupId(displayName: string): string {
  const h = createHash('sha256').update(`emulator-extra-group:${displayName}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A Temporary Access Pass created through Graph, without its value. */
export interface StoredTap {
  id: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

/** One user's method writes. */
export interface MethodChanges {
  /** Ids (lower case) of generated methods deleted or replaced. */
  removed: Set<string>;
  /** The user's TAP, when one was created (it replaces any earlier one). */
  tap?: StoredTap;
  /** signInPreferences.userPreferredMethodForSecondaryAuthentication as written; null: none. */
  preferred?: string | null;
  isSystemPreferredAuthenticationMethodEnabled?: boolean;
}

/** The Temporary Access Pass policy the emulator applies (EmulatorOptions.temporaryAccessPassPolicy). */
export interface TapPolicyOverride {
  state?: 'enabled' | 'disabled';
  /** Group ids the policy targets (default: what the tenant's policy says, all users). */
  includeGroups?: readonly string[];
  excludeGroups?: readonly string[];
  defaultLifetimeInMinutes?: number;
  minimumLifetimeInMinutes?: number;
  maximumLifetimeInMinutes?: number;
  isUsableOnce?: boolean;
  defaultLength?: number;
}

interface MembershipChange {
  added: Map<string, MemberRef>;
  removed: Set<string>;
}

export class DirectoryWrites {
  readonly groups: readonly GraphGroup[];
  private readonly initialMembers = new Map<string, MemberRef[]>();
  private readonly changes = new Map<string, MembershipChange>();
  private readonly methodWrites = new Map<string, MethodChanges>();
  /** Bumped by every method write: indexes cache nothing derived from them across a change. */
  methodVersion = 0;

  constructor(
    extra: readonly ExtraGroup[] = [],
    readonly tapPolicy: TapPolicyOverride = {},
  ) {
    const groups: GraphGroup[] = extra.map((g) => ({
      id: g.id ?? extraGroupId(g.displayName),
      displayName: g.displayName,
      description: g.description ?? '',
      groupTypes: [],
      mailEnabled: false,
      securityEnabled: true,
      onPremisesSyncEnabled: g.synced === true ? true : null,
    }));
    const ids = new Set(groups.map((g) => g.id.toLowerCase()));
    if (ids.size !== groups.length) throw new RangeError('extraGroups: two groups have the same id');
    extra.forEach((g, i) => {
      const id = (groups[i] as GraphGroup).id.toLowerCase();
      // The type of each initial member is resolved when read (DirectoryIndex.members): a tenant's own
      // group may be nested in an extra one.
      this.initialMembers.set(
        id,
        (g.members ?? []).map((m) => ({ '@odata.type': '#microsoft.graph.directoryObject', id: m })),
      );
    });
    this.groups = groups;
  }

  /** The initial members of an extra group (undefined for the tenant's own groups). */
  extraMembers(groupId: string): readonly MemberRef[] | undefined {
    return this.initialMembers.get(groupId.toLowerCase());
  }

  /** `base` (the generated members) with the writes applied: removals first, then additions in order. */
  apply(groupId: string, base: readonly MemberRef[]): readonly MemberRef[] {
    const change = this.changes.get(groupId.toLowerCase());
    if (change === undefined) return base;
    const kept = base.filter((m) => !change.removed.has(m.id.toLowerCase()));
    const present = new Set(kept.map((m) => m.id.toLowerCase()));
    for (const [key, ref] of change.added) if (!present.has(key)) kept.push(ref);
    return kept;
  }

  /** Whether a write decided `memberId`'s membership: true added, false removed, undefined untouched. */
  written(groupId: string, memberId: string): boolean | undefined {
    const change = this.changes.get(groupId.toLowerCase());
    if (change === undefined) return undefined;
    const key = memberId.toLowerCase();
    if (change.added.has(key)) return true;
    if (change.removed.has(key)) return false;
    return undefined;
  }

  add(groupId: string, ref: MemberRef): void {
    const change = this.change(groupId);
    const key = ref.id.toLowerCase();
    change.removed.delete(key);
    change.added.set(key, ref);
  }

  remove(groupId: string, memberId: string): void {
    const change = this.change(groupId);
    const key = memberId.toLowerCase();
    change.added.delete(key);
    change.removed.add(key);
  }

  /** The method writes of a user (by object id), if any. */
  methods(userId: string): MethodChanges | undefined {
    return this.methodWrites.get(userId.toLowerCase());
  }

  /** The method writes of a user, created empty on first use (the caller then changes them). */
  methodsForWrite(userId: string): MethodChanges {
    this.methodVersion++;
    const key = userId.toLowerCase();
    let change = this.methodWrites.get(key);
    if (change === undefined) {
      change = { removed: new Set() };
      this.methodWrites.set(key, change);
    }
    return change;
  }

  get hasMethodWrites(): boolean {
    return this.methodWrites.size > 0;
  }

  private change(groupId: string): MembershipChange {
    const key = groupId.toLowerCase();
    let change = this.changes.get(key);
    if (change === undefined) {
      change = { added: new Map(), removed: new Set() };
      this.changes.set(key, change);
    }
    return change;
  }
}
