/**
 * `--queue redis://[USER:PASSWORD@]HOST[:PORT][/DB]` (or rediss:// for TLS) as ioredis options,
 * and the same URL with the password replaced, which is the only form that is ever printed.
 */
import type { RedisOptions } from 'ioredis';
import { QueueError } from './errors.js';

export interface RedisTarget {
  options: RedisOptions;
  /** The URL with any password shown as ***. */
  shown: string;
}

const FORM = 'redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://... for TLS';

/** The URL with the password (between "USER:" and the last "@") replaced, even when it does not parse. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:).*@/is, '$1***@');
}

export function parseRedisUrl(text: string): RedisTarget {
  const shown = redact(text);
  const bad = (why: string): QueueError => new QueueError(`${JSON.stringify(shown)}: ${why}`, 'queue');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad(`not a URL (expected ${FORM})`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`the scheme must be redis:// or rediss:// (expected ${FORM})`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw bad(`no host (expected ${FORM})`);
  const port = url.port === '' ? 6379 : Number(url.port);
  if (port === 0) throw bad('port 0 is not a port');
  const path = url.pathname === '/' ? '' : url.pathname;
  if (path !== '' && !/^\/[0-9]{1,5}$/.test(path)) throw bad(`the path must be a database number, such as /0, got ${JSON.stringify(path)}`);
  if (url.search || url.hash) throw bad('the URL takes no "?" or "#" part');
  const options: RedisOptions = { host, port };
  if (path) options.db = Number(path.slice(1));
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  // rediss: the server's certificate is checked against Node's CAs (NODE_EXTRA_CA_CERTS adds a
  // private CA) and the host name; an IP address is checked against the certificate's IP names.
  if (url.protocol === 'rediss:') options.tls = /^[0-9.]+$|:/.test(host) ? {} : { servername: host };
  return { options, shown };
}
