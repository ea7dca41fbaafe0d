/**
 * Raw JSON token text, the way lightningd sees it. lightningd parses requests with jsmn and, for
 * `signmessage`/`checkmessage` (CLN v26.06, checked on a real node), hashes the bytes of the
 * `message` string token between its quotes without unescaping them. simnet does the same: it
 * finds the token in the request text instead of using the `JSON.parse`d value.
 */

function skipWs(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  return i;
}

/** End index (exclusive) of the string starting at `i` (which is a `"`), or -1. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j + 1;
  }
  return -1;
}

/** End index (exclusive) of the JSON value starting at `i`, or -1 when malformed. */
function valueEnd(s: string, i: number): number {
  if (s[i] === '"') return stringEnd(s, i);
  if (s[i] === '{' || s[i] === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '"') {
        j = stringEnd(s, j) - 1;
        if (j < 0) return -1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < s.length && !/[\s,}\]]/.test(s[j]!)) j++;
  return j > i ? j : -1;
}

/** Spans [start, end) of the members of the object at `i` (key text unescaped via JSON.parse), or null. */
function objectMembers(s: string, i: number): Map<string, [number, number]> | null {
  if (s[i] !== '{') return null;
  const out = new Map<string, [number, number]>();
  let j = skipWs(s, i + 1);
  if (s[j] === '}') return out;
  for (;;) {
    if (s[j] !== '"') return null;
    const kEnd = stringEnd(s, j);
    if (kEnd < 0) return null;
    const key = JSON.parse(s.slice(j, kEnd)) as string;
    j = skipWs(s, kEnd);
    if (s[j] !== ':') return null;
    j = skipWs(s, j + 1);
    const vEnd = valueEnd(s, j);
    if (vEnd < 0) return null;
    out.set(key, [j, vEnd]);
    j = skipWs(s, vEnd);
    if (s[j] === '}') return out;
    if (s[j] !== ',') return null;
    j = skipWs(s, j + 1);
  }
}

/** Spans of the elements of the array at `i`, or null. */
function arrayElements(s: string, i: number): [number, number][] | null {
  if (s[i] !== '[') return null;
  const out: [number, number][] = [];
  let j = skipWs(s, i + 1);
  if (s[j] === ']') return out;
  for (;;) {
    const vEnd = valueEnd(s, j);
    if (vEnd < 0) return null;
    out.push([j, vEnd]);
    j = skipWs(s, vEnd);
    if (s[j] === ']') return out;
    if (s[j] !== ',') return null;
    j = skipWs(s, j + 1);
  }
}

/**
 * The raw text inside the quotes of parameter `name` (object params) or position `index` (array
 * params) of a JSON-RPC request.
 * @returns the raw token text, or null when the parameter is absent or not a string.
 */
export function rawStringParam(request: string, name: string, index: number): string | null {
  const top = objectMembers(request, skipWs(request, 0));
  const params = top?.get('params');
  if (!params) return null;
  const span = request[params[0]] === '[' ? arrayElements(request, params[0])?.[index] : objectMembers(request, params[0])?.get(name);
  if (!span || request[span[0]] !== '"') return null;
  return request.slice(span[0] + 1, span[1] - 1);
}
