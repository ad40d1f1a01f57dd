/**
 * Entry point of the unprivileged child: connect to the parent (descriptor 3), take the
 * resources, load the daemon's child module and run its `main(ctx)`. A failure is reported to
 * the parent (which prints it, even when daemonized) and ends the child.
 */
import { connect, type ChildContext } from './child.js';

const fd = Number(process.env.LINKLAB_PRIVSEP_FD ?? 3);
const { ctx, module, fail } = await connect(fd);
try {
  const mod = (await import(module)) as { main?: (ctx: ChildContext) => unknown };
  if (typeof mod.main !== 'function') throw new Error(`${module} does not export main(ctx)`);
  await mod.main(ctx);
} catch (err) {
  const message = (err as Error).message;
  fail(message);
  process.stderr.write(`linklab: unprivileged child: ${message}\n`);
  process.exit(1);
}
