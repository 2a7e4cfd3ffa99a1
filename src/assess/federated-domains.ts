import type { DomainInfo } from '../domain/tenant.js';

/** Which UPN domains sign in at a federated IdP (AD FS and the like). */
export class FederatedDomains {
  private readonly byName = new Map<string, DomainInfo>();

  constructor(domains: readonly DomainInfo[] | undefined) {
    for (const d of domains ?? []) this.byName.set(d.id.toLowerCase(), d);
  }

  /**
   * The federated domain a UPN belongs to, if any. A subdomain without its own entry inherits its
   * parent's authentication type, as Entra subdomains do; an entry of its own always decides.
   */
  federatedDomainOf(userPrincipalName: string): DomainInfo | undefined {
    const at = userPrincipalName.lastIndexOf('@');
    if (at < 0) return undefined;
    let name = userPrincipalName.slice(at + 1).toLowerCase();
    for (;;) {
      const d = this.byName.get(name);
      if (d !== undefined) return d.authenticationType?.toLowerCase() === 'federated' ? d : undefined;
      const dot = name.indexOf('.');
      if (dot < 0) return undefined;
      name = name.slice(dot + 1);
    }
  }
}
