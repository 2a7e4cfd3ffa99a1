import { lowerCase } from './lower-case.js';

/**
 * Finds the user an event belongs to. Events name users by object id or by UPN, in whatever case the
 * service chose; both are matched case-insensitively against the assessed population.
 */
export class UserResolver {
  /**
   * Lower-case id → position of the user in `ids`, and lower-case UPN → position. Two maps rather
   * than one, so that the lookup nearly every event makes (by id) searches the smaller table; an id
   * always wins over a UPN that happens to collide with it, as the id map is asked first.
   */
  private readonly byId = new Map<string, number>();
  private readonly byUpn = new Map<string, number>();
  private readonly ids: string[] = [];

  add(id: string, userPrincipalName: string | undefined): void {
    const position = this.ids.length;
    this.ids.push(id);
    this.byId.set(lowerCase(id), position);
    if (userPrincipalName !== undefined && userPrincipalName !== '') {
      const upn = lowerCase(userPrincipalName);
      if (!this.byUpn.has(upn)) this.byUpn.set(upn, position);
    }
  }

  /** The user id for an id or UPN, if the user is known. */
  resolve(key: string | null | undefined): string | undefined {
    const position = this.positionOf(key);
    return position === undefined ? undefined : this.ids[position];
  }

  /**
   * Where the user an id or UPN names was added (0 for the first `add`), if the user is known: a dense
   * number, so that indexes over a whole log can group by user without a map lookup per event.
   */
  positionOf(key: string | null | undefined): number | undefined {
    if (key === undefined || key === null || key === '') return undefined;
    // Keys are stored lower-case and events mostly spell them so: a direct hit is the same answer
    // without lower-casing every one of a tenant's hundreds of thousands of events.
    return this.lookUp(key) ?? this.lookUp(lowerCase(key));
  }

  private lookUp(key: string): number | undefined {
    return this.byId.get(key) ?? this.byUpn.get(key);
  }

  /** The user id `resolve` gives for the user at `position`. */
  idAt(position: number): string {
    const id = this.ids[position];
    if (id === undefined) throw new RangeError(`no user at position ${position}`);
    return id;
  }

  /** How many users were added: every position is below it. */
  get size(): number {
    return this.ids.length;
  }
}
