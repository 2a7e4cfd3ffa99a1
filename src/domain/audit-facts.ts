import type { MethodKind } from './tenant.js';

/**
 * What one directory-audit event says about MFA registration, independent of whose it is (worked out by
 * assess/audit-facts.ts). Here in domain/ because the export reader keeps them on slimmed events
 * (AuditEvent.facts), in place of the property values they are read from.
 */

/** One device in a `StrongAuthenticationPhoneAppDetail` value. Only what the rules and the drill-down need. */
export interface PhoneAppDevice {
  /** The Authenticator method id Graph lists for this device. */
  id: string;
  deviceName?: string;
  deviceTag?: string;
  phoneAppVersion?: string;
}

/** One entry of a `StrongAuthenticationMethod` value, MethodType resolved to its name. */
export interface StrongAuthMethod {
  methodType: string;
  isDefault: boolean;
}

/** The method a security-info audit event is about, read from its reason text. */
export interface ReasonMethod {
  kind: MethodKind;
  phoneType?: string;
  notMfa?: true;
}

/** An event can say several things (an `Update user` may change both MFA properties), and most say nothing. */
export type AuditFact =
  | {
      kind: 'phone-app-devices';
      /** Devices whose `Id` is new in `newValue`: a QR code was scanned. */
      added: PhoneAppDevice[];
      /** Devices whose `Id` left the value. */
      removed: PhoneAppDevice[];
      /** Devices already there before (ids in `oldValue`): they predate this event. */
      before: PhoneAppDevice[];
    }
  | { kind: 'strong-auth-methods'; before: StrongAuthMethod[]; after: StrongAuthMethod[] }
  | { kind: 'registration-started'; method?: ReasonMethod }
  | { kind: 'registered'; method?: ReasonMethod; byAdmin: boolean; allRequired: boolean }
  | { kind: 'registration-cancelled'; method?: ReasonMethod }
  /** A registration that was tried and did not complete: never a registered method. */
  | { kind: 'registration-failed'; method?: ReasonMethod; byAdmin: boolean }
  | { kind: 'deleted'; method?: ReasonMethod; byAdmin: boolean }
  /** Another, already registered method became the default: not a registration. */
  | { kind: 'default-changed'; method?: ReasonMethod; byAdmin: boolean }
  /** A registration event whose reason text no known phrase matches: kept as unknown, never a completion. */
  | { kind: 'unknown-reason'; method?: ReasonMethod };

export type AuditFactKind = AuditFact['kind'];
