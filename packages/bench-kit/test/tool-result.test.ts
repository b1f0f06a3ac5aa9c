import { describe, expect, it } from 'vitest';
import { toolResultText } from '../src/index.js';

describe('toolResultText', () => {
  it('reads the text of the first content item', () => {
    const result = {
      content: [
        { type: 'text', text: 'x' },
        { type: 'text', text: 'y' },
      ],
    };
    expect(toolResultText(result)).toBe('x');
  });

  it('is empty for anything else, so a wrong answer fails the check instead of throwing', () => {
    expect(toolResultText(undefined)).toBe('');
    expect(toolResultText({ content: [] })).toBe('');
    expect(toolResultText({ content: 'x' })).toBe('');
    expect(toolResultText({ content: [{ type: 'image', data: 'x' }] })).toBe('');
    expect(toolResultText({ content: [{ type: 'text', text: 1 }] })).toBe('');
  });
});
