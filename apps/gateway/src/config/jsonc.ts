/**
 * JSONC (VS Code's `mcp.json`, and what people paste into Claude's config) to JSON: comments and
 * trailing commas become spaces, so every offset — and so every line:column — stays where it was.
 */
export function jsoncToJson(text: string): string {
  return blankTrailingCommas(blankComments(text));
}

function blankComments(text: string): string {
  const out = text.split('');
  forEachOutsideStrings(text, (char, i) => {
    if (char !== '/') return i;
    if (text[i + 1] === '/') {
      let end = i;
      for (; end < text.length && text[end] !== '\n'; end++) out[end] = blank(text[end]);
      return end;
    }
    if (text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const stop = close === -1 ? text.length : close + 2;
      for (let k = i; k < stop; k++) out[k] = blank(text[k]);
      return stop - 1;
    }
    return i;
  });
  return out.join('');
}

function blankTrailingCommas(text: string): string {
  const out = text.split('');
  forEachOutsideStrings(text, (char, i) => {
    if (char === ',') {
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next] ?? '')) next++;
      if (text[next] === '}' || text[next] === ']') out[i] = ' ';
    }
    return i;
  });
  return out.join('');
}

/**
 * Calls `visit` for each character outside JSON strings (escapes inside strings skipped);
 * `visit` returns the index it handled up to, so it can consume a run (a comment).
 */
function forEachOutsideStrings(text: string, visit: (char: string, i: number) => number): void {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else {
      i = visit(char, i);
    }
  }
}

/** Keeps line breaks (so lines stay numbered as in the file); everything else becomes a space. */
function blank(char: string | undefined): string {
  return char === '\n' || char === '\r' ? char : ' ';
}
