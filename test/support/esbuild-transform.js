/**
 * Jest transformer: TypeScript -> CommonJS with esbuild (already a dependency for Lambda bundling).
 * Transpile only; `npm run build` (tsc --noEmit) does the type-checking. esbuild's native binary
 * ships inside its npm package, so this needs no install script and no extra platform package.
 */
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');

// The cache key covers esbuild's version and this file, so editing the options invalidates old output.
const salt = require('esbuild/package.json').version + require('node:fs').readFileSync(__filename, 'utf8');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('x') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
      // jest runs CommonJS: turn import() into require() as tsc would for module commonjs
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(salt).update(filename).update('\0').update(source).digest('hex');
  },
};
