/** A media type or range: type and subtype lower-cased (they are case-insensitive), parameter names too. */
interface MediaType {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
}

/** One element of an Accept header with its weight. */
interface MediaRange extends MediaType {
  readonly q: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** Splits `text` at `separator`, except inside quoted strings (a parameter value may hold a comma or semicolon). */
function split(text: string, separator: ',' | ';'): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '\\' && i + 1 < text.length) {
      current += char + text[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;
}

/** Parses `type/subtype; a=b; q=0.5`; undefined when malformed. The weight ends the media type's parameters. */
function parseElement(element: string): MediaRange | undefined {
  const [range = '', ...rawParams] = split(element, ';');
  const slash = range.indexOf('/');
  const type = range.slice(0, slash).toLowerCase();
  const subtype = range.slice(slash + 1).toLowerCase();
  if (slash < 0 || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) return undefined;
  const params = new Map<string, string>();
  let q = 1;
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    const name = raw.slice(0, eq).trim().toLowerCase();
    const value = unquote(raw.slice(eq + 1).trim());
    if (eq < 1 || !TOKEN.test(name)) return undefined;
    if (name === 'q') {
      if (!QVALUE.test(value)) return undefined;
      q = Number(value);
      break; // what follows a weight are extensions, not parameters of the media type
    }
    params.set(name, value.toLowerCase());
  }
  return { type, subtype, params, q };
}

/**
 * How specifically `range` names `offered`, or -1 when it does not match: a full type beats `type/*` beats `*\/*`,
 * and among those, more parameters beat fewer. Every parameter of the range must be one of the offered type's,
 * except `charset` on a type that has none: JSON is UTF-8 by definition and defines no charset parameter.
 */
function specificity(range: MediaType, offered: MediaType): number {
  let level: number;
  if (range.type === '*') level = 0;
  else if (range.type !== offered.type) return -1;
  else if (range.subtype === '*') level = 1;
  else if (range.subtype === offered.subtype) level = 2;
  else return -1;
  let matched = 0;
  for (const [name, value] of range.params) {
    if (name === 'charset' && !offered.params.has(name)) continue;
    if (offered.params.get(name) !== value) return -1;
    matched++;
  }
  return level * 100 + matched;
}

/**
 * Content negotiation on the Accept header per RFC 9110 (section 12.5.1): `offered` are the route's representations,
 * in the server's order of preference. Types, subtypes and parameter names are case-insensitive; each offered type
 * takes the weight of the most specific range that matches it, so `application/health+json;q=0, *\/*` refuses only
 * health+json; the highest weight wins, ties go to the server's order. When no range names an offered type at all
 * (`Accept: text/html`), the first one the header does not refuse is sent, as the RFC allows: a monitor with an odd
 * Accept header should get the report, not a 4xx it would read as "down". Answers undefined (send 406) only when
 * every offered type is refused with `q=0`. No header, an empty one or only malformed elements accept anything.
 */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  const ranges = split(accept ?? '', ',')
    .filter(Boolean)
    .map(parseElement)
    .filter((range) => range !== undefined);
  let best: { type: string; q: number } | undefined;
  let unmentioned: string | undefined;
  for (const type of offered) {
    const media = parseElement(type);
    if (!media) throw new Error(`not a media type: ${type}`);
    let level = -1;
    let q = 0;
    for (const range of ranges) {
      const s = specificity(range, media);
      if (s > level || (s === level && range.q > q)) [level, q] = [s, range.q];
    }
    if (level < 0) unmentioned ??= type;
    else if (q > 0 && (!best || q > best.q)) best = { type, q };
  }
  return best?.type ?? unmentioned;
}
