import { describe, expect, it } from 'vitest';
import { listboxKey } from '../../src/ui/listbox';

describe('listboxKey', () => {
  it('moves down from nothing to the first option and wraps at the end', () => {
    expect(listboxKey('ArrowDown', -1, 3)).toEqual({ kind: 'move', index: 0 });
    expect(listboxKey('ArrowDown', 0, 3)).toEqual({ kind: 'move', index: 1 });
    expect(listboxKey('ArrowDown', 2, 3)).toEqual({ kind: 'move', index: 0 });
  });

  it('moves up from nothing to the last option and wraps at the start', () => {
    expect(listboxKey('ArrowUp', -1, 3)).toEqual({ kind: 'move', index: 2 });
    expect(listboxKey('ArrowUp', 2, 3)).toEqual({ kind: 'move', index: 1 });
    expect(listboxKey('ArrowUp', 0, 3)).toEqual({ kind: 'move', index: 2 });
  });

  it('selects the highlighted option on Enter, or the first', () => {
    expect(listboxKey('Enter', 1, 3)).toEqual({ kind: 'select', index: 1 });
    expect(listboxKey('Enter', -1, 3)).toEqual({ kind: 'select', index: 0 });
  });

  it('does nothing without options', () => {
    for (const key of ['ArrowDown', 'ArrowUp', 'Enter']) expect(listboxKey(key, -1, 0)).toEqual({ kind: 'none' });
  });

  it('closes on Escape and leaves text keys to the input', () => {
    expect(listboxKey('Escape', 1, 3)).toEqual({ kind: 'close' });
    for (const key of ['a', 'Home', 'End', 'Backspace', 'ArrowLeft', 'Tab']) {
      expect(listboxKey(key, 1, 3)).toEqual({ kind: 'none' });
    }
  });

  it('recovers from a stale highlight', () => {
    expect(listboxKey('ArrowDown', 7, 3)).toEqual({ kind: 'move', index: 0 });
    expect(listboxKey('Enter', 7, 3)).toEqual({ kind: 'select', index: 0 });
  });
});
