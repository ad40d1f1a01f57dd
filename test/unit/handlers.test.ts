/** The one subscriber list (src/core/handlers.ts): order, changes during a call, one-time waiters. */
import { describe, expect, it } from 'vitest';
import { Handlers } from '../../src/core/handlers.js';

describe('Handlers', () => {
  it('calls handlers in subscription order, and not after they unsubscribe', () => {
    const h = new Handlers<number>();
    const seen: string[] = [];
    const offA = h.add((v) => seen.push(`a${v}`));
    h.add((v) => seen.push(`b${v}`));
    h.emit(1);
    offA();
    offA(); // harmless twice
    h.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(h.size).toBe(1);
  });

  it('a call in progress keeps the handlers it started with', () => {
    const h = new Handlers();
    const seen: string[] = [];
    let offB = (): void => undefined;
    h.add(() => {
      seen.push('a');
      offB(); // b still runs in this call: it was subscribed when the call began
      h.add(() => seen.push('late')); // and this one only from the next call
    });
    offB = h.add(() => seen.push('b'));
    h.emit();
    expect(seen).toEqual(['a', 'b']);
    h.emit();
    expect(seen).toEqual(['a', 'b', 'a', 'late']);
  });

  it('drain calls each waiter once and forgets them; one subscribed meanwhile waits for the next', () => {
    const h = new Handlers<string>();
    const seen: string[] = [];
    h.add((v) => {
      seen.push(`first ${v}`);
      h.add((w) => seen.push(`second ${w}`));
    });
    h.drain('x');
    expect(seen).toEqual(['first x']);
    h.drain('y');
    expect(seen).toEqual(['first x', 'second y']);
    expect(h.size).toBe(0);
  });
});
