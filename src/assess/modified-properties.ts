import type { PhoneAppDevice, StrongAuthMethod } from '../domain/audit-facts.js';
import type { ModifiedProperty } from '../domain/tenant.js';
import { STRONG_AUTH_METHOD_TYPES } from '../domain/well-known.js';
import { memoByText } from './memo.js';

export type { PhoneAppDevice, StrongAuthMethod } from '../domain/audit-facts.js';

const APP_METHOD_TYPES: ReadonlySet<string> = new Set(['PhoneAppNotification', 'PhoneAppOTP']);

/** Authenticator methods (notification or code): their presence means the app was verified. */
export function isAppMethodType(methodType: string): boolean {
  return APP_METHOD_TYPES.has(methodType);
}

const KNOWN_METHOD_TYPES: ReadonlySet<string> = new Set(STRONG_AUTH_METHOD_TYPES);

/** Voice and SMS methods: every well-known MethodType that is not the app's. */
export function isPhoneMethodType(methodType: string): boolean {
  return KNOWN_METHOD_TYPES.has(methodType) && !APP_METHOD_TYPES.has(methodType);
}

/**
 * Graph sends old/new values as JSON encoded in a string. Some exports encode it twice (a JSON string
 * holding the JSON text), so a string result that still looks like JSON is parsed once more. Anything
 * unparseable is `undefined`: a garbled property is no evidence either way.
 */
export function parseJsonValue(raw: string | null | undefined): unknown {
  if (raw === null || raw === undefined) return undefined;
  let value: unknown = raw;
  for (let depth = 0; depth < 2 && typeof value === 'string'; depth++) {
    const text = value.trim();
    if (text === '') return undefined;
    if (!/^[[{"]/.test(text)) return depth === 0 ? undefined : value;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return value;
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return [value];
  return [];
}

/** Case-insensitive property read: captures spell `Id`, `id`, `DeviceName`, `deviceName`. */
function prop(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const record = obj as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** The devices in one `StrongAuthenticationPhoneAppDetail` value; entries without an `Id` are skipped. */
export function parsePhoneAppDevices(raw: string | null | undefined): PhoneAppDevice[] {
  const devices: PhoneAppDevice[] = [];
  for (const entry of asArray(parseJsonValue(raw))) {
    const id = text(prop(entry, 'Id'));
    if (id === undefined) continue;
    const device: PhoneAppDevice = { id };
    const deviceName = text(prop(entry, 'DeviceName'));
    const deviceTag = text(prop(entry, 'DeviceTag'));
    const phoneAppVersion = text(prop(entry, 'PhoneAppVersion'));
    if (deviceName !== undefined) device.deviceName = deviceName;
    if (deviceTag !== undefined) device.deviceTag = deviceTag;
    if (phoneAppVersion !== undefined) device.phoneAppVersion = phoneAppVersion;
    devices.push(device);
  }
  return devices;
}

/** MethodType as a name: numbers 0–7 (or numeric strings) map to the well-known names, names stay. */
export function methodTypeName(value: unknown): string | undefined {
  if (typeof value === 'number') return STRONG_AUTH_METHOD_TYPES[value] ?? `MethodType${String(value)}`;
  if (typeof value === 'string' && value !== '') return methodTypeOfText(value);
  return undefined;
}

/** A numeric or named MethodType, as text. Events repeat a handful: each is worked out once. */
const methodTypeOfText = memoByText((text) => {
  if (/^\d+$/.test(text)) return STRONG_AUTH_METHOD_TYPES[Number(text)] ?? `MethodType${text}`;
  const lower = text.toLowerCase();
  return STRONG_AUTH_METHOD_TYPES.find((n) => n.toLowerCase() === lower) ?? text;
});

/** The methods in one `StrongAuthenticationMethod` value. */
export function parseStrongAuthMethods(raw: string | null | undefined): StrongAuthMethod[] {
  const methods: StrongAuthMethod[] = [];
  for (const entry of asArray(parseJsonValue(raw))) {
    const methodType = methodTypeName(prop(entry, 'MethodType'));
    if (methodType === undefined) continue;
    const isDefault = prop(entry, 'Default');
    methods.push({
      methodType,
      isDefault: isDefault === true || isDefault === 'true' || isDefault === 'True',
    });
  }
  return methods;
}

/** Events name a handful of properties over and over: each name is lower-cased once. */
const lowerCaseName = memoByText((name) => name.toLowerCase());

/** The modified property with this name (case-insensitive), if the target carries it. */
export function findProperty(props: readonly ModifiedProperty[], name: string): ModifiedProperty | undefined {
  const lower = lowerCaseName(name);
  return props.find((p) => lowerCaseName(p.displayName) === lower);
}
