import { describe, expect, test } from 'vitest';
import { expandVariables } from '../../src/config/expand-variables.js';
import { jsoncToJson } from '../../src/config/jsonc.js';

describe('JSONC', () => {
  test('comments and trailing commas become spaces; strings are untouched; offsets stay', () => {
    const text = '{\n  // a comment\n  "url": "http://x/*y*/", /* block\n  */ "a": [1, 2,],\n}';
    const json = jsoncToJson(text);
    expect(json).toHaveLength(text.length);
    expect(json.split('\n')).toHaveLength(text.split('\n').length);
    expect(JSON.parse(json)).toEqual({ url: 'http://x/*y*/', a: [1, 2] });
  });

  test('an escaped quote does not end a string', () => {
    expect(JSON.parse(jsoncToJson('{ "a": "say \\"hi\\" // not a comment", }'))).toEqual({
      a: 'say "hi" // not a comment',
    });
  });
});

describe('variables', () => {
  const context = { env: { HOME: '/home/me', EMPTY: '', X: 'x' }, baseDir: '/work/proj/.vscode' };

  test.each([
    ['${X}', 'x'],
    ['${env:X}', 'x'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET:-a b:c}', 'a b:c'],
    ['$${X}', '${X}'],
    ['${workspaceFolder}/f', '/work/proj/f'],
    ['${configDir}', '/work/proj/.vscode'],
    ['${userHome}/.x', '/home/me/.x'],
    ['$X and $ alone', '$X and $ alone'],
  ])('%s → %s', (input, output) => {
    expect(expandVariables(input, 'p', context)).toEqual({ value: output, problems: [] });
  });

  test.each([
    [
      '${UNSET}',
      '${UNSET} is not set: export UNSET=… before starting corral, or give a default: ${UNSET:-value}',
    ],
    [
      '${env:UNSET}',
      '${UNSET} is not set: export UNSET=… before starting corral, or give a default: ${UNSET:-value}',
    ],
    [
      '${command:pick}',
      'uses ${command:pick}: "command:" references are VS Code\'s and corral does not support them; use ${NAME} or ${NAME:-default} from the environment',
    ],
    [
      '${1BAD}',
      '${1BAD} is not a variable reference corral understands: write ${NAME}, ${NAME:-default} or ${env:NAME} (and $${ for a literal "${")',
    ],
  ])('%s is a problem', (input, message) => {
    expect(expandVariables({ a: [input] }, 'p', context).problems).toEqual([
      { path: 'p.a[0]', message },
    ]);
  });
});
