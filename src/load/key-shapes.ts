/**
 * Brings the key spellings of the different exporters to Graph's camelCase before validation.
 *
 * The Microsoft Graph PowerShell SDK (`Get-MgUser`, `Get-MgBetaUserAuthenticationMethod`, …) piped to
 * `ConvertTo-Json` writes PascalCase properties (`Id`, `UserPrincipalName`, `Status.ErrorCode`) and
 * puts everything its model does not declare under `AdditionalProperties`, itself in Graph's own
 * camelCase: `{"Id": "…", "AdditionalProperties": {"@odata.type": "…", "displayName": "…"}}`.
 */

/** True when an object has a key starting with an upper-case letter, the mark of PowerShell output. */
function looksPascalCase(o: Record<string, unknown>): boolean {
  for (const key in o) {
    const c = key.charCodeAt(0);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/**
 * Returns the entity with PowerShell's shape undone: keys lower-camel-cased (at every depth) and each
 * `AdditionalProperties` merged into its object. Graph's own JSON is returned as is, uncopied, since
 * checking the top-level keys is enough to tell the two apart.
 */
export function fromPowerShellShape(entity: unknown): unknown {
  if (!isPlainObject(entity) || !looksPascalCase(entity)) return entity;
  return camelCaseDeep(entity);
}

function camelCaseDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelCaseDeep);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  const extra = v['AdditionalProperties'] ?? v['additionalProperties'];
  if (isPlainObject(extra)) {
    for (const [key, value] of Object.entries(extra)) out[lowerFirst(key)] = camelCaseDeep(value);
  }
  for (const [key, value] of Object.entries(v)) {
    if (key === 'AdditionalProperties' || key === 'additionalProperties') continue;
    const name = lowerFirst(key);
    // The SDK's typed property wins over AdditionalProperties, unless the typed one is empty.
    if (value === null && out[name] !== undefined) continue;
    out[name] = camelCaseDeep(value);
  }
  return out;
}

/**
 * Renames keys that match `known` case-insensitively to their Graph spelling (the v1.0
 * directoryAudit docs spell `type` as `Type` in one example). A key already spelled right wins.
 */
export function withKnownKeys(v: unknown, known: readonly string[]): unknown {
  if (!isPlainObject(v)) return v;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(v)) {
    if (known.includes(key)) continue;
    const match = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (match === undefined || Object.hasOwn(v, match)) continue;
    out ??= { ...v };
    out[match] = v[key];
    delete out[key];
  }
  return out ?? v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lowerFirst(key: string): string {
  const c = key.charCodeAt(0);
  return c >= 65 && c <= 90 ? key.charAt(0).toLowerCase() + key.slice(1) : key;
}
