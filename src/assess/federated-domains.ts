import type { DomainInfo } from '../domain/tenant.js';
import { lowerCase } from './lower-case.js';

export function isFederatedDomain(d: DomainInfo): boolean {
  return d.authenticationType?.toLowerCase() === 'federated';
}

/** How many UPN domains `entryOf` remembers: tenants have a handful, each with many users. */
const REMEMBERED_DOMAINS = 8;

/** Which UPN domains sign in at a federated IdP (AD FS and the like). */
export class FederatedDomains {
  private readonly byName = new Map<string, DomainInfo>();
  /** `@domain` endings of UPNs looked up before, as written, with their answers. */
  private readonly tails: string[] = [];
  private readonly answers: (DomainInfo | undefined)[] = [];

  constructor(domains: readonly DomainInfo[] | undefined) {
    for (const d of domains ?? []) this.byName.set(d.id.toLowerCase(), d);
  }

  /**
   * The federated domain a UPN belongs to, if any. A subdomain without its own entry inherits its
   * parent's authentication type, as Entra subdomains do; an entry of its own always decides.
   */
  federatedDomainOf(userPrincipalName: string): DomainInfo | undefined {
    const d = this.entryOf(userPrincipalName);
    return d !== undefined && isFederatedDomain(d) ? d : undefined;
  }

  /** The domains.json entry that decides a UPN's domain (its own, or its nearest parent's), if any. */
  entryOf(userPrincipalName: string): DomainInfo | undefined {
    // The answer depends only on what follows the last '@'. A UPN that ends in a remembered '@domain'
    // (which holds no other '@') has that very domain: no slicing, lower-casing and hashing per user.
    for (let i = 0; i < this.tails.length; i++) {
      if (userPrincipalName.endsWith(this.tails[i]!)) return this.answers[i];
    }
    const at = userPrincipalName.lastIndexOf('@');
    if (at < 0) return undefined;
    const answer = this.domainOf(lowerCase(userPrincipalName.slice(at + 1)));
    if (this.tails.length === REMEMBERED_DOMAINS) {
      this.tails.length = 0;
      this.answers.length = 0;
    }
    this.tails.push(userPrincipalName.slice(at));
    this.answers.push(answer);
    return answer;
  }

  private domainOf(domain: string): DomainInfo | undefined {
    let name = domain;
    for (;;) {
      const d = this.byName.get(name);
      if (d !== undefined) return d;
      const dot = name.indexOf('.');
      if (dot < 0) return undefined;
      name = name.slice(dot + 1);
    }
  }
}

/**
 * Token issuers that are Microsoft Entra ID itself (its backup authentication service among them) or
 * not an identity provider of the user's (the NPS extension): a claim they carry was not issued by a
 * federated IdP. tokenIssuerType values: https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta
 */
const NOT_FEDERATED_ISSUERS: ReadonlySet<string> = new Set([
  'azuread',
  'azureadbackupauth',
  'npsextension',
  'unknownfuturevalue',
]);

/** Whether a sign-in's token was issued by a federated IdP (AD FS or another non-Entra issuer). */
export function isFederatedIssuer(tokenIssuerType: string | undefined): boolean {
  if (tokenIssuerType === undefined || tokenIssuerType === '') return false;
  return !NOT_FEDERATED_ISSUERS.has(lowerCase(tokenIssuerType));
}

/**
 * Whether the user's (federated) domain tells Entra to refuse the MFA its federated IdP did
 * (`federatedIdpMfaBehavior` `rejectMfaByFederatedIdp`: Entra always performs MFA itself). Unset
 * means accept, the default. https://learn.microsoft.com/graph/api/resources/internaldomainfederation
 */
export function rejectsFederatedMfa(domain: DomainInfo | undefined): boolean {
  return (
    domain !== undefined &&
    isFederatedDomain(domain) &&
    domain.federatedIdpMfaBehavior?.toLowerCase() === 'rejectmfabyfederatedidp'
  );
}

/**
 * What makes a claim sign-in's federation evident, if anything, given the domains.json entry of the
 * user's domain (FederatedDomains.entryOf): the domain is federated (`domain`), or, when domains.json
 * does not list it (exports often lack the file), the sign-in's token came from a federated IdP
 * (`issuer`). Undefined when the domain rejects the IdP's MFA, or is listed as managed (a domain
 * converted from federation: old AD FS tokens say nothing of the Entra MFA enforcement will ask for);
 * the claim then proves only what the earlier sign-in it carries over proves.
 */
export function federationEvidence(
  tokenIssuerType: string | undefined,
  domain: DomainInfo | undefined,
): 'domain' | 'issuer' | undefined {
  if (domain !== undefined) {
    if (!isFederatedDomain(domain) || rejectsFederatedMfa(domain)) return undefined;
    return 'domain';
  }
  return isFederatedIssuer(tokenIssuerType) ? 'issuer' : undefined;
}
