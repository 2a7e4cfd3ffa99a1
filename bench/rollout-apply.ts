/** bench/rollout.ts apply: needs the emulator's group writes (helper "graph-writes"); filled in once merged. */
export async function benchApply(
  _wave: number,
  _record: (r: Record<string, unknown>) => void,
  _gitHead: () => string,
): Promise<void> {
  console.log('apply: not available yet');
}
