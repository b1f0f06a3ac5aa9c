import { describe, expect, it } from 'vitest';
import { Denylist } from '../src/index.js';
import { candidateName, EXPOSED_NAME_PATTERN, fitName } from '../src/naming/exposed-names.js';
import { assignNames } from '../src/naming/name-table.js';
import { ResourceUriCodec } from '../src/naming/resource-uris.js';

describe('exposed names', () => {
  it('are x_<prefix>_<tool>, not doubled, transparent for an empty prefix', () => {
    expect(candidateName('x', 'github', 'search')).toBe('x_github_search');
    expect(candidateName('x', 'github', 'github_search')).toBe('x_github_search');
    expect(candidateName('x', 'github', 'githubsearch')).toBe('x_github_githubsearch');
    expect(candidateName('x', '', 'search')).toBe('search');
    expect(candidateName('', 'core', 'service_list')).toBe('core_service_list');
    expect(candidateName('', 'core', 'core_service_list')).toBe('core_service_list');
  });

  it('fit 64 characters and the pattern, deterministically and distinctly', () => {
    const long = `x_server_${'a'.repeat(80)}`;
    const longer = `x_server_${'a'.repeat(80)}b`;
    const fitted = fitName(long);
    expect(fitted).toMatch(EXPOSED_NAME_PATTERN);
    expect(fitted).toHaveLength(64);
    expect(fitName(long)).toBe(fitted);
    expect(fitName(longer)).not.toBe(fitted);
    expect(fitted.startsWith('x_server_aaaa')).toBe(true);

    const dotted = fitName('x_fs_read.file/v2');
    expect(dotted).toMatch(EXPOSED_NAME_PATTERN);
    expect(dotted.startsWith('x_fs_read_file_v2_')).toBe(true);
    expect(fitName('x_fs_read:file/v2')).not.toBe(dotted);
    expect(fitName('x_fs_ok-name_1')).toBe('x_fs_ok-name_1');
  });

  it('keep every colliding item reachable under its own stable name', () => {
    const claim = (owner: string, original: string, candidate: string) => ({
      owner,
      original,
      candidate,
      value: `${owner}/${original}`,
    });
    // Server `a` tool `b_c` and server `a_b` tool `c` both want x_a_b_c.
    const one = claim('a', 'b_c', candidateName('x', 'a', 'b_c'));
    const two = claim('a_b', 'c', candidateName('x', 'a_b', 'c'));
    const other = claim('z', 'q', candidateName('x', 'z', 'q'));
    const first = assignNames([one, two, other]);
    const again = assignNames([other, two, one]);
    const names = (r: typeof first) =>
      Object.fromEntries(r.assigned.map((a) => [a.claim.value, a.name]));
    expect(names(first)).toEqual(names(again));
    const byValue = names(first);
    expect(byValue['z/q']).toBe('x_z_q');
    expect(byValue['a/b_c']).not.toBe(byValue['a_b/c']);
    expect(byValue['a/b_c']).toMatch(/^x_a_b_c_[0-9a-f]{8}$/);
    expect(byValue['a_b/c']).toMatch(/^x_a_b_c_[0-9a-f]{8}$/);
    expect(first.collisions).toEqual([
      {
        name: 'x_a_b_c',
        claimants: [
          { owner: 'a', original: 'b_c', name: byValue['a/b_c'] },
          { owner: 'a_b', original: 'c', name: byValue['a_b/c'] },
        ],
      },
    ]);
    // A disambiguated name does not depend on who else collides.
    const third = claim('a_b_c', 'x', 'x_a_b_c');
    expect(names(assignNames([one, two, third]))['a/b_c']).toBe(byValue['a/b_c']);
    // Reserved names are never given to a source.
    const reserved = assignNames([claim('t', 'list_tools', 'list_tools')], new Set(['list_tools']));
    expect(reserved.assigned[0]?.name).toMatch(/^list_tools_[0-9a-f]{8}$/);
  });
});

describe('resource URIs', () => {
  const codec = new ResourceUriCodec([
    { key: 'fs', namespace: 'x', prefix: 'fs' },
    { key: 'My_Docs', namespace: 'x', prefix: 'My_Docs' },
    { key: 'my-docs', namespace: 'x', prefix: 'my-docs' },
    { key: 'core', namespace: '', prefix: 'core' },
  ]);

  it('round-trip through a scheme token, templates included', () => {
    const uri = codec.encode('fs', 'file:///tmp/a%20b.txt?x=1#frag');
    expect(uri).toBe('x-fs+file:///tmp/a%20b.txt?x=1#frag');
    expect(codec.decode(uri)).toEqual({
      sourceKey: 'fs',
      original: 'file:///tmp/a%20b.txt?x=1#frag',
    });
    expect(codec.encode('fs', 'fixture://item/{id}')).toBe('x-fs+fixture://item/{id}');
    expect(codec.decode('x-fs+fixture://item/42')).toEqual({
      sourceKey: 'fs',
      original: 'fixture://item/42',
    });
    expect(codec.decode('X-FS+fixture://item/42')?.sourceKey).toBe('fs');
    expect(codec.decode(codec.encode('core', 'notes'))).toEqual({
      sourceKey: 'core',
      original: 'notes',
    });
  });

  it('keeps sources whose tokens would clash apart', () => {
    const a = codec.encode('My_Docs', 'doc://1');
    const b = codec.encode('my-docs', 'doc://1');
    expect(a).not.toBe(b);
    expect(codec.decode(a)?.sourceKey).toBe('My_Docs');
    expect(codec.decode(b)?.sourceKey).toBe('my-docs');
  });

  it('leaves URIs of no known token alone', () => {
    expect(codec.decode('file:///tmp/a')).toBeUndefined();
    expect(codec.decode('x-nobody+file:///tmp/a')).toBeUndefined();
  });
});

describe('denylist', () => {
  const denylist = new Denylist({
    add: ['x_k8s_*', 'exec', 'x_db_get_secret'],
    allow: ['x_k8s_get_pods', 'safe_delete_preview'],
  });
  const check = (name: string, exposedName = `x_srv_${name}`) =>
    denylist.check({ name, exposedName })?.entry;

  it('refuses destructive words in any casing and inflection', () => {
    expect(check('delete_file')).toBe('delete');
    expect(check('deleteFile')).toBe('delete');
    expect(check('bulk-delete')).toBe('delete');
    expect(check('DeleteAllRecords')).toBe('delete');
    expect(check('deleted_items_purger')).toBe('delete');
    expect(check('apply_manifest')).toBe('apply');
    expect(check('scale_deployment')).toBe('scale');
    expect(check('uninstallPackage')).toBe('uninstall');
    expect(check('kill_process')).toBe('kill');
    expect(check('terminate_instance')).toBe('terminate');
    expect(check('drop_table')).toBe('drop');
    expect(check('dropped_rows')).toBe('drop');
    expect(check('remove-user')).toBe('remove');
    expect(check('truncate')).toBe('truncate');
  });

  it('does not refuse words that merely contain one', () => {
    for (const name of ['escalate_ticket', 'dropdown_options', 'read_graph', 'applyish']) {
      expect(check(name), name).toBeUndefined();
    }
    // A word of the name is enough, by design: allow such a tool by name.
    expect(check('get_scale_factor')).toBe('scale');
  });

  it('takes globs, words and exact names from config, and allow wins', () => {
    expect(check('get_logs', 'x_k8s_get_logs')).toBe('x_k8s_*');
    expect(check('get_pods', 'x_k8s_get_pods')).toBeUndefined();
    expect(check('exec_command')).toBe('exec');
    expect(check('get_secret', 'x_db_get_secret')).toBe('x_db_get_secret');
    expect(check('get_secret', 'x_other_get_secret')).toBeUndefined();
    expect(check('safe_delete_preview')).toBeUndefined();
  });
});
