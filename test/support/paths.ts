/** Paths of the repository's files, for tests that read them (independent of where the test file sits). */
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/** A path under the repository root, e.g. repoPath('docs', 'nag.md'). */
export const repoPath = (...segments: string[]): string => join(REPO_ROOT, ...segments);
