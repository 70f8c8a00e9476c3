/**
 * The documents behind the local knowledge base's citations, on the platform's port:
 *   GET /kb/{locale}/{file}   the document as indexed, `text/plain; charset=utf-8` with
 *                             `x-content-type-options: nosniff` and a CSP that allows nothing, so
 *                             HTML or a script inside a document is shown as text, never run.
 * Only documents in the current index are served (looked up by name, never by path: no
 * traversal); anything else under /kb is a 404. Everything else goes to the platform's router.
 */
import { join } from 'node:path';
import type { Handler } from '../dual-protocol';
import type { LocalKnowledgeBase } from './engine';

export const KB_PATH = '/kb';
/** The sample documents (knowledge/ in the repository): KNOWLEDGE_DIR's default. */
export const DEFAULT_KNOWLEDGE_DIR = join(__dirname, '..', '..', 'knowledge');

export function withKnowledgeRoutes(kb: LocalKnowledgeBase | undefined, next: Handler): Handler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!kb || (path !== KB_PATH && !path.startsWith(`${KB_PATH}/`))) {
      next(req, res);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const [locale, file, ...rest] = path.slice(KB_PATH.length + 1).split('/');
    let doc;
    try {
      doc = rest.length === 0 && locale && file ? kb.document(locale, decodeURIComponent(file)) : undefined;
    } catch {
      doc = undefined; // malformed escape
    }
    if (!doc || (method !== 'GET' && method !== 'HEAD')) {
      const body = JSON.stringify({ message: 'Not Found' });
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const body = Buffer.from(doc.raw, 'utf8');
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': body.length,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : body);
  };
}
