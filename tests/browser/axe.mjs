// axe-core (npm) run inside the page: resolves with its violations, each as "rule (impact): the
// elements' selectors". The source is evaluated through the browser's devtools connection, which
// the page's Content-Security-Policy does not cover, so the page's own policy stays as it ships.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function axeViolations(pageOrFrame) {
  await pageOrFrame.evaluate(axeSource);
  const result = await pageOrFrame.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
