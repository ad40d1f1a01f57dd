// Builds namespaces with the harness and then dies in the way MODE says: "throw" (an uncaught
// error), "sigterm" (waits for SIGTERM), "sigkill" (waits; no handler can run), "noop" (just
// loads the harness, which reaps what dead runs left, and lists what remains).
import { Netns, listNamespaces } from '../harness.js';

const mode = process.argv[2];
if (mode === 'noop') {
  process.stdout.write(JSON.stringify({ remaining: listNamespaces() }) + '\n');
} else {
  const a = Netns.create();
  const b = Netns.create();
  a.veth('x0', 'y0', b);
  a.hosts('192.0.2.9 crash-test\n');
  const sleeper = a.spawn(['sleep', '300']);
  await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(JSON.stringify({ names: [a.name, b.name], sleeper: sleeper.pid }) + '\n');
  if (mode === 'throw') throw new Error('a test failing half-way');
  setInterval(() => undefined, 60_000);
}
