/** Colours of shields.io's palette, so the badge sits well beside the others of a README. */
export const BADGE_COLOURS = {
  green: '#4c1',
  yellowgreen: '#a4a61d',
  yellow: '#dfb317',
  red: '#e05d44',
  grey: '#9f9f9f',
} as const;

/** A colour of {@link BADGE_COLOURS}. */
export type BadgeColour = keyof typeof BADGE_COLOURS;

/** What a badge says: `label` on the left in grey, `message` on the right in `colour`. */
export interface Badge {
  readonly label: string;
  readonly message: string;
  readonly colour: BadgeColour;
}

/** Characters narrower or wider than the average in 11 px Verdana, so short words are not padded with air. */
const NARROW = /[ijlI.,:;!|'()[\]1 ]/;
const WIDE = /[mwMW%@]/;

/** About how wide `text` is in 11 px Verdana (shields measures exactly; this is close enough for a few words). */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += NARROW.test(char) ? 3.8 : WIDE.test(char) ? 10 : 7;
  return Math.ceil(width);
}

/** `text` safe inside an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A flat shields-style badge as SVG: two rectangles and two words, with a `<title>` for screen readers and
 * tooltips. Every text is escaped; nothing in it can run (no script, no link, no external reference).
 */
export function renderBadge({ label, message, colour }: Badge): string {
  const left = textWidth(label) + 12;
  const right = textWidth(message) + 12;
  const width = left + right;
  const title = escapeXml(`${label}: ${message}`);
  const [l, m] = [escapeXml(label), escapeXml(message)];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${left}" height="20" fill="#555"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${BADGE_COLOURS[colour]}"/>`,
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
    `<text x="${left / 2}" y="14">${l}</text>`,
    `<text x="${left + right / 2}" y="14">${m}</text>`,
    '</g>',
    '</svg>',
  ].join('');
}

/** The colour of an overall status. */
export function statusColour(status: string): BadgeColour {
  return status === 'healthy' ? 'green' : status === 'degraded' ? 'yellow' : status === 'unhealthy' ? 'red' : 'grey';
}

/** The colour of an uptime percentage: green from 99.9, yellow-green from 99, yellow from 95, red below; grey unknown. */
export function uptimeColour(percent: number | null): BadgeColour {
  if (percent === null) return 'grey';
  return percent >= 99.9 ? 'green' : percent >= 99 ? 'yellowgreen' : percent >= 95 ? 'yellow' : 'red';
}
