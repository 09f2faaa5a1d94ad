import { candidateNames, createMaintenance } from '../../src/health/maintenance';
import { specFor } from './spec-fixture';

test('candidate file names in the reference order', () => {
  expect(candidateNames('127.0.0.5', 80, 'web1.example.org')).toEqual([
    '127.0.0.5:80',
    '127.0.0.5',
    'web1.example.org:80',
    'web1.example.org',
    'web1:80',
    'web1',
  ]);
  expect(candidateNames('fd00::5', 0)).toEqual(['[fd00::5]:0', '[fd00::5]']);
  expect(candidateNames('127.0.0.5', 80, 'Web1.example.org')).toHaveLength(4); // short name must be lowercase
});

test('flag files force maintenance; names resolved once; the directory listed at most once per period', async () => {
  let now = 0;
  let files: string[] = ['web1'];
  let listings = 0;
  let lookups = 0;
  const m = createMaintenance({
    dir: '/maint',
    clock: { now: () => now },
    readdir: () => {
      listings += 1;
      return files;
    },
    reverse: async (a) => {
      lookups += 1;
      if (a === '127.0.0.5') return ['web1.example.org.'];
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    },
  });
  await m.resolveNames(['127.0.0.5', '127.0.0.6', '127.0.0.5']);
  expect(lookups).toBe(2);
  const a = specFor({ address: '127.0.0.5', realPort: 80 });
  const b = specFor({ address: '127.0.0.6', realPort: 80 });
  for (let i = 0; i < 100; i += 1) {
    expect(m.inMaintenance(a)).toBe(true);
    expect(m.inMaintenance(b)).toBe(false);
  }
  expect(listings).toBe(1);
  expect(lookups).toBe(2);
  files = ['127.0.0.6:80'];
  now = 999;
  expect(m.inMaintenance(a)).toBe(true); // listing still trusted
  now = 1000;
  expect(m.inMaintenance(a)).toBe(false);
  expect(m.inMaintenance(b)).toBe(true);
  expect(listings).toBe(2);
});

test('an unreadable directory means no maintenance and one error message', () => {
  const errors: string[] = [];
  let now = 0;
  const m = createMaintenance({
    dir: '/nope',
    clock: { now: () => now },
    readdir: () => {
      throw new Error('ENOENT: no such file or directory');
    },
    onError: (e) => errors.push(e),
  });
  expect(m.inMaintenance(specFor())).toBe(false);
  now = 5000;
  expect(m.inMaintenance(specFor())).toBe(false);
  expect(errors).toEqual(['maintenancedir /nope: ENOENT: no such file or directory']);
});
