import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A display name and a group name that would run script if a page ever rendered them as HTML. */
export const MARKUP_USER = '<img src=x onerror=alert(1)>';
export const MARKUP_GROUP = '"><script>window.__pwned=1</script>';

async function rename(file: string, name: string): Promise<void> {
  const page = JSON.parse(await readFile(file, 'utf8')) as { value: { displayName: string }[] };
  page.value[0]!.displayName = name;
  await writeFile(file, JSON.stringify(page));
}

/** The bundled demo export copied into `dir`, its first user and first group named as above. */
export async function writeMarkupTenant(dir: string): Promise<void> {
  await cp('demo/tenant', dir, { recursive: true });
  await rename(join(dir, 'users.json'), MARKUP_USER);
  await rename(join(dir, 'groups.json'), MARKUP_GROUP);
}
