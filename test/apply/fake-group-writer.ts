/**
 * A GraphWriter over in-memory groups, answering as Graph documents membership writes
 * (https://learn.microsoft.com/graph/api/group-post-members, group-delete-members): 204, 400 "already
 * exist", 404 for a non-member, 400 for a synced group; `$batch`es of 20, each answered through
 * onAnswered. `crashAfterBatches` throws after that many round trips, as a process dying would.
 */
import type { GraphWriter, WriteRequest, WriteResponse } from '../../src/collect/graph/writes.js';

export class FakeGroupWriter implements GraphWriter {
  readonly groups = new Map<string, Set<string>>();
  readonly synced = new Set<string>();
  /** Every write that reached "Graph", in order: `POST g u` / `DELETE g u`. */
  readonly log: string[] = [];
  roundTrips = 0;
  crashAfterBatches: number | undefined;

  members(group: string): Set<string> {
    let m = this.groups.get(group);
    if (m === undefined) this.groups.set(group, (m = new Set()));
    return m;
  }

  async write(
    requests: readonly WriteRequest[],
    opts: { onAnswered?: (a: readonly WriteResponse[]) => void } = {},
  ) {
    const all: WriteResponse[] = [];
    for (let i = 0; i < requests.length; i += 20) {
      if (this.crashAfterBatches !== undefined && this.roundTrips >= this.crashAfterBatches)
        throw new Error('simulated crash between two $batches');
      this.roundTrips += 1;
      const answers = requests.slice(i, i + 20).map((r) => this.answer(r));
      await Promise.resolve();
      opts.onAnswered?.(answers);
      all.push(...answers);
    }
    return all;
  }

  private answer(r: WriteRequest): WriteResponse {
    const post = /^\/groups\/([^/]+)\/members\/\$ref$/.exec(r.url);
    const del = /^\/groups\/([^/]+)\/members\/([^/]+)\/\$ref$/.exec(r.url);
    const group = decodeURIComponent((post ?? del)![1]!);
    const user =
      post !== null
        ? String((r.body as { '@odata.id': string })['@odata.id'])
            .split('/')
            .pop()!
        : decodeURIComponent(del![2]!);
    this.log.push(`${r.method} ${group} ${user}`);
    const fail = (status: number, code: string, message: string): WriteResponse => ({
      id: r.id,
      status,
      body: { error: { code, message } },
    });
    if (this.synced.has(group))
      return fail(
        400,
        'Request_BadRequest',
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
      );
    const m = this.members(group);
    if (r.method === 'POST') {
      if (m.has(user))
        return fail(
          400,
          'Request_BadRequest',
          "One or more added object references already exist for the following modified properties: 'members'.",
        );
      m.add(user);
    } else {
      if (!m.has(user))
        return fail(
          404,
          'Request_ResourceNotFound',
          `Resource '${user}' does not exist or one of its queried reference-property objects are not present.`,
        );
      m.delete(user);
    }
    return { id: r.id, status: 204, body: null };
  }
}
