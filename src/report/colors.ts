import picocolors from 'picocolors';
import type { Verdict } from '../domain/verdict.js';

export type Colors = ReturnType<typeof picocolors.createColors>;
type Paint = (s: string) => string;

/**
 * The caller decides colour (TTY, NO_COLOR, --no-color); renderers only honour the flag. With `false`,
 * picocolors returns its input untouched, so no escape sequence can appear.
 */
export function makeColors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}

/**
 * Red: locked out now or at enforcement. Yellow/magenta: interrupted. Cyan: not known, to be read.
 * Green: fine. Grey: not counted.
 */
export function verdictPaint(c: Colors, v: Verdict): Paint {
  const paints = {
    looping: (s: string) => c.bold(c.red(s)),
    'loop-risk': c.red,
    unverified: c.magenta,
    'policy-blocked': c.yellow,
    'not-registered': c.yellow,
    unknown: c.cyan,
    ready: c.green,
    excluded: c.gray,
  } as const satisfies Record<Verdict, Paint>;
  return paints[v];
}
