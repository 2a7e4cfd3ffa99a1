/**
 * Writes a response, possibly faulted on the way out: held back (slow) or cut mid-JSON with
 * consistent framing (truncated: the client reads a complete 200 whose JSON does not parse).
 */
import type { ServerResponse } from 'node:http';

export interface Outgoing {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  text?: string;
}

export interface Delivery {
  /** Cut the body to this fraction of its length (0 < f < 1). */
  truncateAt?: number;
}

export function serialize(out: Outgoing): string {
  if (out.text !== undefined) return out.text;
  return out.body === undefined ? '' : JSON.stringify(out.body);
}

export function writeResponse(res: ServerResponse, out: Outgoing, delivery: Delivery = {}): void {
  let text = serialize(out);
  if (delivery.truncateAt !== undefined && text.length > 1) {
    // Somewhere inside the document, never the whole of it: the JSON must not parse.
    const cut = Math.min(text.length - 1, Math.max(1, Math.floor(text.length * delivery.truncateAt)));
    text = text.slice(0, cut);
  }
  const bytes = Buffer.from(text, 'utf8');
  if (res.headersSent || res.destroyed) return;
  res.writeHead(out.status, { ...out.headers, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}
