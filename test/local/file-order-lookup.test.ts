import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileOrderLookup } from '../../local/orders/file-order-lookup';

describe('local sample orders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orders-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN the sample file WHEN a known order is looked up (any case) THEN its status comes back; an unknown one is not-found', async () => {
    const orders = fileOrderLookup();
    await expect(orders.find('ab12345')).resolves.toEqual({
      kind: 'found',
      order: { orderNumber: 'AB12345', status: 'processing' },
    });
    await expect(orders.find('12345')).resolves.toMatchObject({
      kind: 'found',
      order: { status: 'shipped' },
    });
    await expect(orders.find('99999')).resolves.toEqual({ kind: 'not-found' });
  });

  test('GIVEN the file is edited while running WHEN looked up again THEN the new content answers', async () => {
    const file = join(dir, 'orders.json');
    writeFileSync(file, JSON.stringify({ '11111': { status: 'processing' } }));
    const orders = fileOrderLookup(file);
    await expect(orders.find('11111')).resolves.toMatchObject({ order: { status: 'processing' } });
    writeFileSync(file, JSON.stringify({ '11111': { status: 'delivered' } }));
    await expect(orders.find('11111')).resolves.toMatchObject({ order: { status: 'delivered' } });
  });

  test('GIVEN a missing or broken file, or an unknown status WHEN looked up THEN unavailable, never a status', async () => {
    await expect(fileOrderLookup(join(dir, 'absent.json')).find('1')).resolves.toEqual({
      kind: 'unavailable',
      reason: 'error',
    });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    await expect(fileOrderLookup(broken).find('1')).resolves.toMatchObject({ kind: 'unavailable' });
    const odd = join(dir, 'odd.json');
    writeFileSync(odd, JSON.stringify({ '22222': { status: 'lost-in-space' } }));
    await expect(fileOrderLookup(odd).find('22222')).resolves.toEqual({
      kind: 'unavailable',
      reason: 'invalid-response',
    });
  });
});
