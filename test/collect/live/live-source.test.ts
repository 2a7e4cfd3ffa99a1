/**
 * The collector over the real Graph module (LiveGraphSource: the Graph client library, the limiter,
 * `$batch`) against a local HTTPS stand-in that answers from the fake tenant: the `$filter`s survive
 * the library and fetch intact, pacing happens on the injected clock, and the folder is the one the
 * in-memory fake produces.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphFailure } from '../../../src/collect/graph/index.js';
import { collectTenant, graphQueries } from '../../../src/collect/live/index.js';
import type { Harness, SeenRequest } from '../graph/graph-test-server.js';
import { harness, json } from '../graph/graph-test-server.js';
import { tempFolders } from '../temp-files.js';
import { optionsFor, readTree } from './collect-helpers.js';
import { FAKE_HOST, FakeGraphSource } from './fake-graph-source.js';
import { HAND_BUILT_NOW, handBuiltTenant } from './tenants.js';

const temp = tempFolders();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await temp.cleanup();
});

function graphError(res: ServerResponse, err: unknown): void {
  if (!(err instanceof GraphFailure)) throw err;
  json(res, err.status, { error: { code: err.data.code ?? 'Error', message: err.message } });
}

/** Answers Graph requests (and `$batch`) from a FakeGraphSource whose nextLinks point at this server. */
async function liveHarness(pageSize: number): Promise<{ h: Harness; fake: () => FakeGraphSource }> {
  // Made once the server's URL is known (its nextLinks point at it).
  const holder: { fake?: FakeGraphSource } = {};
  const handler = (req: SeenRequest, res: ServerResponse): void => {
    const url = decodeURIComponent(req.url);
    const source = holder.fake!;
    if (req.method === 'POST' && url.endsWith('/$batch')) {
      const version = url.split('/')[1];
      const { requests } = JSON.parse(req.body) as { requests: { id: string; url: string }[] };
      const responses = requests.map((r) => {
        try {
          const { body } = source.answer(`/${version}${decodeURIComponent(r.url)}`);
          return { id: r.id, status: 200, headers: { 'Content-Type': 'application/json' }, body };
        } catch (err) {
          if (!(err instanceof GraphFailure)) throw err;
          return {
            id: r.id,
            status: err.status,
            body: { error: { code: err.data.code, message: err.message } },
          };
        }
      });
      json(res, 200, { responses });
      return;
    }
    try {
      json(res, 200, source.answer(url).body);
    } catch (err) {
      graphError(res, err);
    }
  };
  const made = await harness(handler);
  holder.fake = new FakeGraphSource(handBuiltTenant(), { pageSize, host: made.server.url });
  return { h: made, fake: () => holder.fake! };
}

describe('collectTenant over LiveGraphSource', () => {
  it('sends the filters intact, paces the reports bucket on the injected clock, writes the same folder', async () => {
    const live = await liveHarness(2);
    h = live.h;
    const out = await temp.make();
    const result = await collectTenant(h.source, optionsFor(out, { clock: h.clock }));
    expect(result.parts.filter((p) => p.status.state === 'failed')).toEqual([]);

    const received = h.server.seen.map((r) => decodeURIComponent(r.url));
    const since = new Date(HAND_BUILT_NOW.getTime() - 30 * 86_400_000);
    expect(received).toContain(`/v1.0${graphQueries.directoryAudits(since).combined.path}`);
    // The apps' non-interactive sign-ins: the whole 30-day retention.
    expect(received).toContain(`/beta${graphQueries.nonInteractiveSignIns(since).combined.path}`);
    expect(h.server.seen.find((r) => r.url.includes('$count=true'))?.headers.consistencylevel).toBe(
      'eventual',
    );
    expect(h.server.seen.filter((r) => r.url.endsWith('/$batch')).length).toBeGreaterThan(0);

    // Reports pages, audits, sign-ins and 8 methods calls exceed 5 per 10 s: the limiter waited, on the clock.
    expect(result.stats?.requestsByBucket.reports).toBeGreaterThan(10);
    expect(result.stats?.throttleWaitMs).toBeGreaterThan(0);
    expect(result.stats?.throttled).toBe(0);

    const viaFake = await temp.make();
    await collectTenant(new FakeGraphSource(handBuiltTenant(), { pageSize: 2 }), optionsFor(viaFake));
    const liveFiles = new Map(
      [...(await readTree(out))].map(([f, text]) => [f, text.replaceAll(h!.server.url, FAKE_HOST)]),
    );
    expect(liveFiles).toEqual(await readTree(viaFake));
  });
});
