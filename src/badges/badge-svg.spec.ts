import { escapeXml, renderBadge, statusColour, uptimeColour } from './badge-svg';

describe('badges', () => {
  it('draws the label and the message, with a title for screen readers', () => {
    const svg = renderBadge({ label: 'health', message: 'healthy', colour: 'green' });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="20" role="img"/);
    expect(svg).toContain('aria-label="health: healthy"');
    expect(svg).toContain('<title>health: healthy</title>');
    expect(svg).toContain('>health</text>');
    expect(svg).toContain('>healthy</text>');
    expect(svg).toContain('fill="#4c1"');
  });

  it('escapes every text it is given, so nothing can become markup or leave an attribute', () => {
    const hostile = `<script>alert("x")</script>&'`;
    const svg = renderBadge({ label: hostile, message: hostile, colour: 'red' });
    expect(svg).not.toContain('<script');
    expect(svg).not.toMatch(/"x"|'/);
    expect(svg).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;');
    expect(escapeXml('a<b>&"\'')).toBe('a&#60;b&#62;&#38;&#34;&#39;');
  });

  it('grows with its text', () => {
    const width = (message: string) =>
      Number(/width="(\d+)"/.exec(renderBadge({ label: 'uptime 30d', message, colour: 'green' }))![1]);
    expect(width('99.99%')).toBeGreaterThan(width('100%'));
    expect(width('unknown')).toBeGreaterThan(width('0%'));
  });

  it('colours a status and an uptime as shields does', () => {
    expect(['healthy', 'degraded', 'unhealthy', 'other'].map(statusColour)).toEqual(['green', 'yellow', 'red', 'grey']);
    expect([100, 99.9, 99.5, 97, 12, null].map(uptimeColour)).toEqual([
      'green',
      'green',
      'yellowgreen',
      'yellow',
      'red',
      'grey',
    ]);
  });
});
