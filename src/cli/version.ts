/** mfa-ready's version: what `--version` prints and what each stored run records as its writer. Keep it equal to package.json's. */
export const TOOL_VERSION = '0.1.0';
