interface PluginsView {
  isWebUrl(text: unknown): boolean;
}

/** The real plugins.view.js, a browser ES module (compiled to CommonJS for jest, see jest.config.js). */
const { isWebUrl } = jest.requireActual<PluginsView>('./plugins.view.js');

describe('isWebUrl: which docs lines the page links', () => {
  it.each(['https://nmap.org/download', 'http://example.com/x?y=1#z', 'HTTPS://EXAMPLE.COM'])('links %s', (url) => {
    expect(isWebUrl(url)).toBe(true);
  });

  it.each([
    ['the generic sentence', 'install "nmapx" and make sure it is on PATH'],
    ['a relative path', '/api/v1/health/history'],
    ['a protocol-relative URL', '//evil.example/x'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['http without slashes', 'http:evil.example'],
    ['an http URL that does not parse', 'https://exa mple.com'],
    ['another scheme', 'ftp://example.com'],
    ['not a string', 42],
  ])('does not link %s', (_case, text) => {
    expect(isWebUrl(text)).toBe(false);
  });
});
