/** `--user NAME|UID`: the account the unprivileged half runs as, from /etc/passwd. */
import { readFileSync } from 'node:fs';

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export function lookupUser(user: string, passwd = '/etc/passwd'): Account {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${passwd} to look up user "${user}": ${(err as Error).message}`);
  }
  for (const line of text.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === undefined || uid === undefined || gid === undefined) continue;
    if (name === user || (/^\d+$/.test(user) && uid === user)) return { name, uid: Number(uid), gid: Number(gid) };
  }
  throw new Error(`unknown user "${user}" (not in ${passwd})`);
}
