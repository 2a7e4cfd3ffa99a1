/**
 * A pure function of a string, remembered. Logs and reports spell a handful of values (activity names,
 * method names, reason texts) over and over, hundreds of thousands of times on a large tenant: each is
 * worked out once. Forgets everything when full, should a field ever carry free text.
 */
export function memoByText<T>(work: (text: string) => T, capacity = 256): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    const hit = known.get(text);
    if (hit !== undefined || known.has(text)) return hit as T;
    const value = work(text);
    if (known.size >= capacity) known.clear();
    known.set(text, value);
    return value;
  };
}
