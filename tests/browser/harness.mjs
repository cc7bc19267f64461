// Shared set-up for the browser tests: serves the repo with scripts/serve.py on a free port,
// launches Debian's headless Chromium through playwright-core, records console errors and page
// errors, and saves screenshots under tests/browser/artifacts/ (git-ignored).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..');
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Starts the dev server on an ephemeral port (`root`: serve that folder, e.g. the built dist/);
// resolves with { url, stop }.
export function startServer({ root = null } = {}) {
  return new Promise((resolve, reject) => {
    const args = [join(repo, 'scripts', 'serve.py'), '--port', '0', ...(root ? ['--root', root] : [])];
    const proc = spawn('python3', args, {
      env: { ...process.env, ADVLAB_SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ url: m[0], stop: () => proc.kill() });
    });
    proc.on('exit', (code) => reject(new Error(`serve.py exited with ${code}: ${out}`)));
  });
}

export const launch = () => chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });

// Launches Chromium and opens the lab; returns { browser, page, errors, shot(name), close() }.
// `deviceScaleFactor` is the page's devicePixelRatio (2 emulates a high-density screen);
// `offline` aborts every request that is not for a file:// URL; `touch` emulates a phone's touch screen.
export async function openLab(url, { viewport = { width: 1280, height: 900 }, deviceScaleFactor = 1, offline = false, permissions = [], touch = false } = {}) {
  const browser = await launch();
  const context = await browser.newContext({ viewport, deviceScaleFactor, acceptDownloads: true, hasTouch: touch, isMobile: touch });
  if (permissions.length) await context.grantPermissions(permissions);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  if (offline) await page.route('**/*', (r) => (r.request().url().startsWith('file:') ? r.continue() : r.abort()));
  await page.goto(url);
  const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  return { browser, page, errors, shot, close: () => browser.close() };
}

// Waits until the engine status says ready (the worker answered with a Ready event).
export async function waitReady(page, timeout = 30000) {
  await page.waitForSelector('#engine-status[data-state="ready"]', { timeout });
}
