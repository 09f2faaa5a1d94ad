import { applyHeapFlags } from '../../src/daemon/process/heap-flags';

test('the heap flags are applied unless LDIRECTORD_V8_DEFAULTS=1 asks for V8 defaults', () => {
  expect(applyHeapFlags({ LDIRECTORD_V8_DEFAULTS: '1' })).toBe(false);
  expect(applyHeapFlags({})).toBe(true);
});
