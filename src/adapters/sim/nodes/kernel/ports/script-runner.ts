/**
 * ScriptRunner over the simulated host: a run is recorded as a `script.run` trace event (path,
 * arguments, stdin) and "exits" after a small delay with the code the host's config gives for
 * that path (0 unless told). Nothing is executed.
 */
import type { ScriptRun, ScriptRunner } from '../../../../../core/ports.js';
import type { Stack } from '../stack.js';

export class SimScriptRunner implements ScriptRunner {
  /** Every run, in order, for queries. */
  static readonly runs = new WeakMap<Stack, ScriptRun[]>();

  constructor(private readonly s: Stack) {}

  run(r: ScriptRun, done?: (exitCode: number | null, error?: string) => void): void {
    const s = this.s;
    if (!s.alive) return;
    const record: ScriptRun = { path: r.path, args: [...r.args], stdin: r.stdin };
    let list = SimScriptRunner.runs.get(s);
    if (!list) {
      list = [];
      SimScriptRunner.runs.set(s, list);
    }
    list.push(record);
    s.tracer.emit({ event: 'script.run', node: s.name, path: record.path, args: record.args, stdin: record.stdin ?? '' });
    const cfg = s.config.scripts.get(r.path);
    const exit = cfg?.exit ?? 0;
    const delay = cfg?.delay ?? 10_000;
    s.clock.at(s.clock.now() + delay, () => {
      if (s.alive && done) done(exit);
    });
  }
}
