import { measureWidget, WIDGET_BUDGET_GZIP_BYTES } from '../../bench/widget.bench';

test('GIVEN the web chat built as the stage deploys it WHEN its files are gzipped THEN together they stay within 80 KB, SigV4 signer included', () => {
  const size = measureWidget();
  expect(Object.keys(size.files).sort()).toEqual(['index.html', 'loader.js', 'widget.css', 'widget.js']);
  expect(size.signerBundled).toBe(true);
  expect(size.totalGzipBytes).toBe(Object.values(size.files).reduce((sum, f) => sum + f.gzipBytes, 0));
  expect(WIDGET_BUDGET_GZIP_BYTES).toBe(80 * 1024);
  expect(size.totalGzipBytes).toBeLessThanOrEqual(WIDGET_BUDGET_GZIP_BYTES);
  expect(size.withinBudget).toBe(true);
});
