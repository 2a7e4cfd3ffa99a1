/**
 * Finds the user an event belongs to. Events name users by object id or by UPN, in whatever case the
 * service chose; both are matched case-insensitively against the assessed population.
 */
export class UserResolver {
  private readonly byKey = new Map<string, string>();

  add(id: string, userPrincipalName: string | undefined): void {
    this.byKey.set(id.toLowerCase(), id);
    if (userPrincipalName !== undefined && userPrincipalName !== '') {
      const upn = userPrincipalName.toLowerCase();
      // An id always wins over a UPN that happens to collide with it.
      if (!this.byKey.has(upn)) this.byKey.set(upn, id);
    }
  }

  /** The user id for an id or UPN, if the user is known. */
  resolve(key: string | null | undefined): string | undefined {
    if (key === undefined || key === null || key === '') return undefined;
    return this.byKey.get(key.toLowerCase());
  }
}
