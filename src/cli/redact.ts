/**
 * The last line of defence for secrets: whatever error leaves a command that held a credential
 * passes through the credential's redactor, message, hint and stack alike, before run.ts prints it.
 * The Graph module and the credential wrapper already redact what they raise; this also covers errors
 * from anywhere else (a file system message quoting a path the secret was pasted into, a bug).
 */
export function redactError(err: unknown, redact: (text: string) => string): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? redact(err) : err;
  err.message = redact(err.message);
  if (err.stack !== undefined) err.stack = redact(err.stack);
  const withHint = err as Error & { hint?: unknown };
  if (typeof withHint.hint === 'string') {
    // `hint` is readonly in the error classes' types, not at run time.
    Object.defineProperty(err, 'hint', { value: redact(withHint.hint), configurable: true });
  }
  return err;
}
