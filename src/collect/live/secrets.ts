/**
 * Keys whose values are secrets when Graph fills them. Graph documents each as null on GET
 * (https://learn.microsoft.com/graph/api/resources/authenticationmethod: a TAP's `temporaryAccessPass` is returned only on create, `password` and
 * `secretKey` are always null, `publicKeyCredential` is write-only), so stripping them never changes
 * what the rules read; it only makes sure a service change or a mis-configured proxy cannot put a
 * secret into an export folder that admins copy around.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'temporaryAccessPass',
  'password',
  'secretKey',
  'publicKeyCredential',
]);

/** A quick test on the serialised text: most entities (every sign-in) have none of these keys. */
const MAY_HOLD_SECRET = /"(temporaryAccessPass|password|secretKey|publicKeyCredential)"\s*:\s*(?!null\b)/;

function redactSecrets(key: string, value: unknown): unknown {
  return SECRET_KEYS.has(key) && value !== null && value !== undefined ? null : value;
}

/**
 * JSON text of a Graph entity or page as received, except that secret-bearing keys are set to null.
 * One `JSON.stringify` in the common case; a second, redacting pass only when a secret key holds a value.
 */
export function serialiseWithoutSecrets(value: unknown): string {
  const text = JSON.stringify(value);
  return MAY_HOLD_SECRET.test(text) ? JSON.stringify(value, redactSecrets) : text;
}
