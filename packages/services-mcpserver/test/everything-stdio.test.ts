import { isProcessAlive, processGroupMembers } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { everythingStdio, harness, stopAll } from './helpers.js';

afterEach(stopAll);

describe('server-everything over stdio', () => {
  it('starts, lists, calls, reads, prompts and stops leaving no process', async () => {
    const h = await harness({ everything: everythingStdio() });
    await h.corral.start();
    expect(h.corral.orchestrator.getServiceInfo('everything').state).toBe('running');
    const service = h.service('everything');
    expect(service.listTools()).toHaveLength(13);
    expect(service.listResources()).toHaveLength(7);
    expect(service.listPrompts()).toHaveLength(4);

    const echo = await service.callTool('echo', { message: 'hello corral' });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: hello corral' }]);

    const [first] = service.listResources();
    expect(first).toBeDefined();
    const read = await service.readResource(first?.uri ?? '');
    expect(read.contents[0]?.['uri']).toBe(first?.uri);

    const prompt = await service.getPrompt('args-prompt', { city: 'Lisbon' });
    expect(JSON.stringify(prompt.messages)).toContain('Lisbon');

    const templates = await service.listResourceTemplates();
    expect(templates.map((t) => t.uriTemplate)).toEqual([
      'demo://resource/dynamic/text/{resourceId}',
      'demo://resource/dynamic/blob/{resourceId}',
    ]);
    const completion = await service.complete({
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'department', value: 'Eng' },
    });
    expect(completion['completion']).toMatchObject({
      values: expect.arrayContaining(['Engineering']) as unknown,
    });
    await service.setLoggingLevel('debug');
    await service.subscribeResource(first?.uri ?? '');
    await service.unsubscribeResource(first?.uri ?? '');

    const pid = h.pidOf('everything');
    expect(isProcessAlive(pid)).toBe(true);
    await h.corral.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
    expect(h.corral.orchestrator.getServiceInfo('everything').state).toBe('stopped');
  });
});

describe('the environment of a stdio server', () => {
  it('is a safe default plus the configured env, not all of ours', async () => {
    process.env['CORRAL_PARENT_ONLY'] = 'must-not-leak';
    try {
      const h = await harness({ everything: everythingStdio({ env: { GIVEN: 'yes' } }) });
      await h.corral.start();
      const result = await h.service('everything').callTool('get-env', {});
      const text = result.content[0]?.['text'];
      expect(typeof text).toBe('string');
      const env: unknown = JSON.parse(typeof text === 'string' ? text : '{}');
      expect(env).toMatchObject({ GIVEN: 'yes', PATH: process.env['PATH'] });
      expect(env).not.toHaveProperty('CORRAL_PARENT_ONLY');
    } finally {
      delete process.env['CORRAL_PARENT_ONLY'];
    }
  });
});
