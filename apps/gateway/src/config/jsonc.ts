/**
 * JSONC (VS Code's `mcp.json`, and what people paste into Claude's config) to JSON: comments and
 * trailing commas become spaces, so every offset — and so every line:column — stays where it was.
 */
export function jsoncToJson(text: string): string {
  return blankTrailingCommas(blankComments(text));
}

function blankComments(text: string): string {
  const out = text.split('');
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
    } else if (char === '/' && text[i + 1] === '/') {
      for (; i < text.length && text[i] !== '\n'; i++) out[i] = blank(text[i]);
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (; i < stop; i++) out[i] = blank(text[i]);
      i--;
    }
  }
  return out.join('');
}

function blankTrailingCommas(text: string): string {
  const out = text.split('');
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === ',') {
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next] ?? '')) next++;
      if (text[next] === '}' || text[next] === ']') out[i] = ' ';
    }
  }
  return out.join('');
}

/** Keeps line breaks (so lines stay numbered as in the file); everything else becomes a space. */
function blank(char: string | undefined): string {
  return char === '\n' || char === '\r' ? char : ' ';
}
