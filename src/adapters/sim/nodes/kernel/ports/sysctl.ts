/**
 * SysctlPort over the kernel model's table. Each port remembers the first value it overwrote for
 * every key and puts those back on `restore`; a crash loses that memory with the process, as it
 * does on Linux (the values stay as written).
 */
import type { SysctlPort } from '../../../../../core/ports.js';
import type { Stack } from '../stack.js';

export class SimSysctlPort implements SysctlPort {
  private readonly saved = new Map<string, string>();

  constructor(private readonly s: Stack) {}

  read(key: string): string | null {
    return this.s.sysctl.get(key);
  }

  write(key: string, value: string): void {
    const old = this.s.sysctl.get(key);
    this.s.sysctl.set(key, value);
    if (old !== null && !this.saved.has(key)) this.saved.set(key, old);
    this.s.trace('sysctl.write', () => ({ key, value }));
  }

  restore(): void {
    for (const [key, value] of this.saved) {
      if (this.s.sysctl.has(key)) this.s.sysctl.set(key, value);
    }
    this.saved.clear();
  }
}
