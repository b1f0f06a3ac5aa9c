// Logging is deprecated as of the 2026-07-28 revision; the aggregator still passes it through.
/* eslint-disable @typescript-eslint/no-deprecated */
import { deferred, waitFor } from '@corral/testing';
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAll,
  connect,
  fixture,
  gateway,
  reference,
  type TestClient,
  textOf,
  WAIT,
  waitForTool,
} from './helpers.js';

afterEach(closeAll);

const asker = { sampling: {}, elicitation: { form: {} }, roots: {} };

/** A client that answers sampling as `who`, elicitation with a name, roots with one root. */
async function answeringClient(url: string, who: string): Promise<TestClient> {
  const client = await connect(url, { capabilities: asker });
  answer(client, who);
  return client;
}

function answer(client: Client, who: string): void {
  client.setRequestHandler('sampling/createMessage', (request) =>
    Promise.resolve({
      role: 'assistant',
      model: 'test-model',
      content: {
        type: 'text',
        text: `${who} sampled: ${JSON.stringify(request.params.messages[0]?.content)}`,
      },
    }),
  );
  client.setRequestHandler('elicitation/create', () =>
    Promise.resolve({ action: 'accept', content: { name: who } }),
  );
  client.setRequestHandler('roots/list', () =>
    Promise.resolve({ roots: [{ uri: `file:///home/${who}`, name: who }] }),
  );
}

async function cancelledCount(client: Client): Promise<number> {
  const stats = await client.callTool({ name: 'x_fx_stats', arguments: {} });
  const value = (stats.structuredContent as { cancelled?: unknown } | undefined)?.cancelled;
  return typeof value === 'number' ? value : -1;
}

describe('progress, cancellation and timeouts', () => {
  it('passes progress through under the client’s token, the last report before the result', async () => {
    const g = await gateway({ fx: fixture() });
    const client = await connect(g.url);
    for (let i = 0; i < 20; i++) {
      const reports: { progress: number; total?: number }[] = [];
      const result = await client.callTool(
        { name: 'x_fx_progress', arguments: { steps: 3, intervalMs: 0 } },
        { onprogress: (p) => reports.push({ progress: p.progress, total: p.total }) },
      );
      expect(textOf(result)).toBe('done 3');
      expect(reports).toEqual([
        { progress: 1, total: 3 },
        { progress: 2, total: 3 },
        { progress: 3, total: 3 },
      ]);
    }
  });

  it('passes server-everything’s long-running progress through', async () => {
    const g = await gateway({ everything: reference('everything') });
    const client = await connect(g.url);
    const reports: number[] = [];
    const result = await client.callTool(
      { name: 'x_everything_trigger-long-running-operation', arguments: { duration: 1, steps: 4 } },
      { onprogress: (p) => reports.push(p.progress) },
    );
    expect(textOf(result)).toContain('completed');
    expect(reports).toEqual([1, 2, 3, 4]);
  });

  it('sends the client’s cancellation on to the server', async () => {
    const g = await gateway({ fx: fixture() });
    const client = await connect(g.url);
    expect(await cancelledCount(client)).toBe(0);
    const controller = new AbortController();
    let reports = 0;
    const call = client.callTool(
      { name: 'x_fx_progress', arguments: { steps: 1_000, intervalMs: 20 } },
      {
        signal: controller.signal,
        onprogress: () => {
          if (++reports === 2) controller.abort(new Error('enough'));
        },
      },
    );
    await expect(call).rejects.toThrow();
    await waitFor(async () => (await cancelledCount(client)) === 1, {
      ...WAIT,
      description: 'the server to see the cancellation',
    });
  });

  it('lets progress keep a call alive past the server’s timeout', async () => {
    // The server's timeout is 2 s; the call takes 3 s but never 2 s without progress. The same
    // 2 s bound the start, which a loaded machine can miss once: wait for the retry to bring the
    // server up rather than call it while it is starting.
    const g = await gateway({ fx: fixture({}, { timeout: 2 }) });
    const client = await connect(g.url);
    await waitForTool(client, 'x_fx_progress');
    const result = await client.callTool({
      name: 'x_fx_progress',
      arguments: { steps: 12, intervalMs: 250 },
    });
    expect(textOf(result)).toBe('done 12');
  });
});

describe('requests from a server to the client whose call caused them', () => {
  it('round-trips server-everything’s sampling request through the client’s handler', async () => {
    const g = await gateway({ everything: reference('everything') });
    const client = await answeringClient(g.url, 'ada');
    const result = await client.callTool({
      name: 'x_everything_trigger-sampling-request',
      arguments: { prompt: 'What is 2+2?', maxTokens: 20 },
    });
    expect(textOf(result)).toContain('ada sampled');
    expect(textOf(result)).toContain('What is 2+2?');
  });

  it('round-trips elicitation and roots, each to the client that made the call', async () => {
    const g = await gateway({ fx: fixture() });
    const ada = await answeringClient(g.url, 'ada');
    const bob = await answeringClient(g.url, 'bob');
    for (const [client, who] of [
      [ada, 'ada'],
      [bob, 'bob'],
      [ada, 'ada'],
    ] as const) {
      const sampled = await client.callTool({ name: 'x_fx_sample', arguments: { prompt: 'hi' } });
      expect(textOf(sampled)).toContain(`${who} sampled`);
      const elicited = await client.callTool({ name: 'x_fx_elicit', arguments: {} });
      expect(JSON.parse(textOf(elicited))).toEqual({ action: 'accept', content: { name: who } });
      const roots = await client.callTool({ name: 'x_fx_roots', arguments: {} });
      expect(JSON.parse(textOf(roots))).toEqual([{ uri: `file:///home/${who}`, name: who }]);
    }
  });

  it('refuses a request it cannot attribute to one client, and says why', async () => {
    const g = await gateway({ fx: fixture() });
    const ada = await answeringClient(g.url, 'ada');
    const bob = await answeringClient(g.url, 'bob');
    const controller = new AbortController();
    const progressing = deferred<undefined>();
    const slow = ada
      .callTool(
        { name: 'x_fx_progress', arguments: { steps: 1_000, intervalMs: 20 } },
        {
          signal: controller.signal,
          onprogress: () => {
            progressing.resolve(undefined);
          },
        },
      )
      .catch(() => undefined);
    await progressing.promise;
    // Ada's call is in flight on the same server: whose is bob's sampling request?
    const outcome = await bob.callTool({ name: 'x_fx_sample', arguments: { prompt: 'hi' } }).then(
      (result) => JSON.stringify(result),
      (error: unknown) => String(error),
    );
    expect(outcome).toContain('cannot tell which client');
    expect(outcome).not.toContain('sampled');
    controller.abort();
    await slow;
  });
});

describe('logging and subscriptions', () => {
  it('sets log levels per client and forwards the messages each one wants', async () => {
    const g = await gateway({ everything: reference('everything') });
    const verbose = await connect(g.url);
    const quiet = await connect(g.url);
    const heard = (client: Client): { level: string; logger?: string }[] => {
      const messages: { level: string; logger?: string }[] = [];
      client.setNotificationHandler('notifications/message', (n) => {
        messages.push({
          level: n.params.level,
          ...(n.params.logger ? { logger: n.params.logger } : {}),
        });
      });
      return messages;
    };
    const loud = heard(verbose);
    const soft = heard(quiet);
    await verbose.setLoggingLevel('debug');
    await quiet.setLoggingLevel('emergency');
    await verbose.callTool({ name: 'x_everything_toggle-simulated-logging', arguments: {} });
    // A message every 5 s at a random level: two of them, and one below emergency.
    await waitFor(() => loud.length >= 2 && loud.some((m) => m.level !== 'emergency'), {
      timeoutMs: 60_000,
      description: 'log messages below emergency',
    });
    expect(loud.every((m) => m.logger === 'everything')).toBe(true);
    expect(soft.every((m) => m.level === 'emergency')).toBe(true);
  }, 90_000);

  it('subscribes clients to resources and forwards resources/updated under their URI', async () => {
    const g = await gateway({ everything: reference('everything') });
    const subscriber = await connect(g.url);
    const updates: string[] = [];
    subscriber.setNotificationHandler('notifications/resources/updated', (n) => {
      updates.push(n.params.uri);
    });
    const uri = 'x-everything+demo://resource/static/document/architecture.md';
    await subscriber.subscribeResource({ uri });
    await subscriber.callTool({ name: 'x_everything_toggle-subscriber-updates', arguments: {} });
    await waitFor(() => updates.length > 0, { ...WAIT, description: 'resources/updated' });
    expect(new Set(updates)).toEqual(new Set([uri]));
    await subscriber.unsubscribeResource({ uri });
    await expect(subscriber.subscribeResource({ uri: 'x-nobody+demo://nothing' })).rejects.toThrow(
      /not found/i,
    );
  });
});
