/**
 * Jest transformer: TypeScript -> CommonJS with esbuild (already a dependency for Lambda bundling).
 * Transpile only; `npm run build` (tsc --noEmit) does the type-checking. esbuild's native binary
 * ships inside its npm package, so this needs no install script and no extra platform package.
 */
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');

const { version } = require('esbuild/package.json');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('x') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(version).update(filename).update('\0').update(source).digest('hex');
  },
};
