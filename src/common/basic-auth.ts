/**
 * Takes the user name and password out of `url` (which is changed) and answers them as an HTTP Basic `authorization`
 * header, as curl sends them; no header when the URL has none. The clients neither put credentials in a request line
 * nor let `fetch` name them in its errors.
 */
export function basicAuthFrom(url: URL): Record<string, string> {
  if (!url.username && !url.password) return {};
  const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`);
  url.username = '';
  url.password = '';
  return { authorization: `Basic ${basic.toString('base64')}` };
}
