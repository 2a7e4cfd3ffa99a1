/**
 * Fixed reference data the synthetic tenant draws on: first-party applications seen in sign-ins,
 * directory role templates, device models, and fictional names. Application ids are Microsoft's
 * public first-party ids (community first-party app lists); the two the rules depend on come from
 * src/domain/well-known.ts so there is one place to correct them.
 */
import { AUTHENTICATOR_APP_ID, MY_SIGNINS_APP_ID } from '../domain/well-known.js';

export interface SignInApp {
  appId: string;
  appDisplayName: string;
  resourceDisplayName: string;
  clientAppUsed: 'Browser' | 'Mobile Apps and Desktop clients';
}

export const APPS = {
  exchange: {
    appId: '00000002-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 Exchange Online',
    resourceDisplayName: 'Office 365 Exchange Online',
    clientAppUsed: 'Browser',
  },
  officeHome: {
    appId: '4765445b-32c6-49b0-83e6-1d93765276ca',
    appDisplayName: 'OfficeHome',
    resourceDisplayName: 'OfficeHome',
    clientAppUsed: 'Browser',
  },
  teams: {
    appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
    appDisplayName: 'Microsoft Teams',
    resourceDisplayName: 'Microsoft Teams Services',
    clientAppUsed: 'Mobile Apps and Desktop clients',
  },
  office: {
    appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
    appDisplayName: 'Microsoft Office',
    resourceDisplayName: 'Office 365 SharePoint Online',
    clientAppUsed: 'Mobile Apps and Desktop clients',
  },
  outlookMobile: {
    appId: '27922004-5251-4030-b22d-91ecd9a37ea4',
    appDisplayName: 'Outlook Mobile',
    resourceDisplayName: 'Office 365 Exchange Online',
    clientAppUsed: 'Mobile Apps and Desktop clients',
  },
  windowsSignIn: {
    appId: '38aa3b87-a06d-4817-b275-7a316988d93b',
    appDisplayName: 'Windows Sign In',
    resourceDisplayName: 'Windows Azure Active Directory',
    clientAppUsed: 'Mobile Apps and Desktop clients',
  },
  azurePortal: {
    appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    appDisplayName: 'Azure Portal',
    resourceDisplayName: 'Windows Azure Service Management API',
    clientAppUsed: 'Browser',
  },
  mySignins: {
    appId: MY_SIGNINS_APP_ID,
    appDisplayName: 'My Signins',
    resourceDisplayName: 'Microsoft Graph',
    clientAppUsed: 'Browser',
  },
  authenticator: {
    appId: AUTHENTICATOR_APP_ID,
    appDisplayName: 'Microsoft Authenticator App',
    resourceDisplayName: 'Microsoft Graph',
    clientAppUsed: 'Mobile Apps and Desktop clients',
  },
} as const satisfies Record<string, SignInApp>;

/** Apps an ordinary interactive sign-in goes to. */
export const INTERACTIVE_APPS: readonly SignInApp[] = [
  APPS.exchange,
  APPS.exchange,
  APPS.officeHome,
  APPS.teams,
  APPS.office,
  APPS.windowsSignIn,
];

/** Apps that refresh tokens in the background (non-interactive sign-ins). */
export const BACKGROUND_APPS: readonly SignInApp[] = [
  APPS.teams,
  APPS.office,
  APPS.outlookMobile,
  APPS.exchange,
];

/** The Windows Azure Service Management API, the resource a CA policy for Azure management targets. */
export const AZURE_MANAGEMENT_RESOURCE_ID = '797f4846-ba00-4fd7-ba43-dac1f8f63013';

/** Directory role template ids (the same in every tenant). */
export const ROLE_TEMPLATES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
} as const;

export interface PhoneModel {
  name: string;
  platform: 'ios' | 'android';
}

export const PHONE_MODELS: readonly PhoneModel[] = [
  { name: 'iPhone 14 Pro Max', platform: 'ios' },
  { name: 'iPhone 15', platform: 'ios' },
  { name: 'iPhone 13', platform: 'ios' },
  { name: 'iPhone SE', platform: 'ios' },
  { name: 'iPhone 16 Pro', platform: 'ios' },
  { name: 'SM-S918B', platform: 'android' },
  { name: 'SM-A546B', platform: 'android' },
  { name: 'Pixel 8', platform: 'android' },
  { name: 'Pixel 7a', platform: 'android' },
];

export const AUTHENTICATOR_VERSIONS = ['6.7.12', '6.8.14', '6.8.21', '6.8.30', '6.8.38', '6.8.41'] as const;

export interface Fido2Model {
  model: string;
  displayName: string;
  aaGuid: string;
}

export const FIDO2_MODELS: readonly Fido2Model[] = [
  {
    model: 'YubiKey 5 Series with NFC',
    displayName: 'YubiKey 5 NFC',
    aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8',
  },
  { model: 'YubiKey 5 Series', displayName: 'Blue key', aaGuid: 'ee882879-721c-4913-9775-3dfcce97072a' },
  {
    model: 'Security Key by Yubico',
    displayName: 'Backup key',
    aaGuid: 'f8a011f3-8c0a-4d15-8006-17111f9edc7d',
  },
];

export const FIRST_NAMES = [
  'Amelia',
  'Noah',
  'Priya',
  'Lukas',
  'Sofia',
  'Mateo',
  'Aisha',
  'Oliver',
  'Mei',
  'Jonas',
  'Chloé',
  'Ravi',
  'Hannah',
  'Kwame',
  'Elena',
  'Tomás',
  'Yuki',
  'Freya',
  'Omar',
  'Isla',
  'Daniel',
  'Zara',
  'Henrik',
  'Leila',
  'Samuel',
  'Ingrid',
  'Diego',
  'Nadia',
  'Felix',
  'Amara',
  'Ethan',
  'Siobhan',
  'Arjun',
  'Lena',
  'Malik',
  'Greta',
  'Caleb',
  'Anouk',
  'Bruno',
  'Ivy',
  'Kenji',
  'Maya',
  'Pavel',
  'Rosa',
  'Theo',
  'Yasmin',
  'Adrian',
  'Beatriz',
] as const;

export const LAST_NAMES = [
  'Clarke',
  'Okafor',
  'Nair',
  'Schmidt',
  'Rossi',
  'García',
  'Haddad',
  'Bennett',
  'Chen',
  'Lindqvist',
  'Dubois',
  'Patel',
  'Müller',
  'Mensah',
  'Popescu',
  'Silva',
  'Tanaka',
  'Larsen',
  'Farouk',
  'Murray',
  'Kowalski',
  'Ahmed',
  'Johansson',
  'Rahimi',
  'Osei',
  'Novak',
  'Fernández',
  'Costa',
  'Weber',
  'Adeyemi',
  'Walsh',
  "O'Brien",
  'Iyer',
  'Becker',
  'Diallo',
  'Nilsen',
  'Ward',
  'Jansen',
  'Moreau',
  'Brooks',
  'Sato',
  'Kaur',
  'Horvat',
  'Ibarra',
  'Young',
] as const;

export const DEPARTMENTS = [
  'Finance',
  'Admissions',
  'Library',
  'Engineering',
  'Facilities',
  'Research',
] as const;
export type Department = (typeof DEPARTMENTS)[number];
