// The operator dashboard in headless Chromium, driven by playwright-core.
//
// Loads real NFL games with `parlay-settler demo --no-settle`, starts the
// real `serve` on a free loopback port so that its worker settles them,
// then checks the numbers the page shows against the JSON API, clicks
// from a game to one of its parlays, flips the settlement flag through
// the admin dialog and saves screenshots.
//
// Environment: PARLAY_BINARY (required), PARLAY_ARTIFACT_DIR (where the
// screenshots go, default a temporary folder), CHROMIUM (default
// /usr/bin/chromium).

import assert from 'node:assert/strict';
import {spawn, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repository = path.resolve(here, '..', '..');
const binary = process.env.PARLAY_BINARY;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const adminToken = 'browser-test-admin-token-0123456789';
// 200 parlays on the 2023 season keep the whole test at about 10 seconds.
const parlayCount = 200;
const timeoutMs = 30_000;

let workDir;
let artifactDir;
let server;
let baseUrl;
let context;
let page;
const pageErrors = [];

async function getJson(urlPath) {
  const response = await fetch(baseUrl + urlPath);
  return {status: response.status, body: await response.json()};
}

// Calls `check` every 100 ms until it returns a truthy value, which it
// returns; fails after `timeoutMs`.
async function waitFor(what, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Starts `serve` on a free port and resolves to its base URL, read from
// the line it prints once it listens.
function startServer(database) {
  const environment = {
    PATH: process.env.PATH,
    FEATURE_SETTLEMENT: 'true',
    SETTLEMENT_ADMIN_TOKEN: adminToken,
    BIND_ADDRESS: '127.0.0.1',
    PORT: '0',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
  };
  server = spawn(binary, ['--db', database, 'serve'],
                 {env: environment, stdio: ['ignore', 'pipe', 'pipe']});
  let stderr = '';
  server.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    let stdout = '';
    server.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => {
      reject(new Error('serve exited with ' + code + ' before listening: ' + stderr));
    });
  });
}

function text(selector) {
  return page.locator(selector).textContent();
}

before(async () => {
  assert.ok(binary, 'PARLAY_BINARY must name the parlay-settler binary');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parlay-dashboard-'));
  artifactDir = process.env.PARLAY_ARTIFACT_DIR || path.join(workDir, 'artifacts');
  fs.mkdirSync(artifactDir, {recursive: true});

  const database = path.join(workDir, 'demo.db');
  execFileSync(binary, ['--db', database, 'demo', '--fresh', '--no-settle',
                        '--data', path.join(repository, 'data', 'nfl'),
                        '--from-season', '2023', '--to-season', '2023',
                        '--parlays', String(parlayCount)],
               {stdio: ['ignore', 'ignore', 'inherit']});
  baseUrl = await startServer(database);

  // The worker settles the whole demo in a few cycles.
  await waitFor('the demo to settle', async () => {
    const activity = await getJson('/v1/dashboard/activity');
    return activity.body.totals.parlays_settled === parlayCount;
  });

  context = await chromium.launchPersistentContext(
    path.join(workDir, 'chromium-profile'), {
      executablePath: chromiumPath,
      headless: true,
      viewport: {width: 1280, height: 900},
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
             '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync'],
    });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (error) => pageErrors.push('page error: ' + error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push('console error: ' + message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      pageErrors.push('HTTP ' + response.status() + ' for ' + response.url());
    }
  });
});

after(async () => {
  if (context) await context.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.on('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (workDir) fs.rmSync(workDir, {recursive: true, force: true});
});

test('numbers on the page match the JSON API', async () => {
  await page.goto(baseUrl + '/');
  await page.waitForFunction(
    () => document.getElementById('legs-settled').textContent !== '…');

  const activity = (await getJson('/v1/dashboard/activity')).body;
  const games = (await getJson('/v1/dashboard/games')).body;
  const health = (await getJson('/health/settlement')).body;
  const totals = activity.totals;
  assert.equal(totals.parlays_settled, parlayCount);
  assert.ok(totals.legs_settled >= parlayCount);

  assert.equal(await text('#legs-settled'), totals.legs_settled.toLocaleString('en-US'));
  assert.equal(await text('#parlays-settled'), totals.parlays_settled.toLocaleString('en-US'));
  assert.equal(await text('#staked'), 'USD ' + totals.money.USD.staked);
  assert.equal(await text('#paid'), 'USD ' + totals.money.USD.paid);
  assert.equal(await text('#cycles-failed'), '0');
  assert.equal(await text('#error-rate'), '0.00%');
  assert.equal(await text('#awaiting-count'), String(games.awaiting.count));
  assert.equal(await text('#attention-count'), String(games.attention.count));
  assert.equal(await text('#health-status'), health.status);
  assert.equal(health.status, 'healthy');
  assert.equal(await text('#flag-state'), 'on');

  // The won share in the legend, from the API's counts.
  const wonShare = (100 * totals.parlays_won / totals.parlays_settled).toFixed(1);
  assert.match(await text('#ratio-legend'), new RegExp('^won ' + wonShare + '% \\('));

  // One bar per hour for legs and one for parlays; all settled in the
  // current hour, whose bars carry its counts in their titles.
  assert.equal(await page.locator('#chart-settled svg rect').count(), 48);
  const titles = await page.locator('#chart-settled svg rect title').allTextContents();
  assert.match(titles[46], new RegExp(': ' + totals.legs_settled.toLocaleString('en-US') + ' legs settled$'));
  assert.match(titles[47], new RegExp(': ' + parlayCount + ' parlays settled$'));

  // Admin actions stay hidden without the token.
  assert.equal(await page.locator('#admin-actions').isVisible(), false);
});

test('game lookup clicks through to a parlay', async () => {
  const first = (await getJson('/v1/parlays?limit=1')).body.parlays[0];
  const gameId = first.legs[0].game;
  await page.fill('#game-id', gameId);
  await page.click('#game-form button');
  await page.waitForSelector('#game-title');
  assert.equal(await text('#game-title'), 'Game ' + gameId);
  assert.equal(await page.locator('#void-game').count(), 0);

  const game = (await getJson('/v1/dashboard/games/' + encodeURIComponent(gameId))).body;
  const rows = page.locator('#lookup-result table').last().locator('tbody tr');
  assert.equal(await rows.count(), game.legs.length);

  await page.locator('#lookup-result a', {hasText: first.id}).first().click();
  await page.waitForSelector('#parlay-title');
  assert.equal(await text('#parlay-title'), 'Parlay ' + first.id);
  const parlay = (await getJson('/v1/parlays/' + encodeURIComponent(first.id))).body;
  assert.equal(await text('#parlay-stake'), parlay.currency + ' ' + parlay.stake);
  assert.equal(await text('#parlay-payout'), parlay.currency + ' ' + parlay.payout);
  assert.equal(new URL(page.url()).hash, '#parlay=' + encodeURIComponent(first.id));
  const tables = page.locator('#lookup-result table');
  assert.equal(await tables.nth(0).locator('tbody tr').count(), parlay.legs.length);
  assert.equal(await tables.nth(1).locator('tbody tr').count(), parlay.audit.length);
  // The status badge of the first leg, and the scores its grade used.
  const firstLeg = tables.nth(0).locator('tbody tr').first().locator('td');
  assert.equal(await firstLeg.nth(3).textContent(), parlay.legs[0].status);
  assert.equal(await firstLeg.nth(5).textContent(),
               parlay.legs[0].home_score + '–' + parlay.legs[0].away_score);
});

test('screenshots of the page on a desktop and a phone', async () => {
  await page.goto(baseUrl + '/#game=' + encodeURIComponent(
    (await getJson('/v1/parlays?limit=1')).body.parlays[0].legs[0].game));
  await page.waitForSelector('#game-title');
  await page.waitForFunction(
    () => document.getElementById('legs-settled').textContent !== '…');
  const desktop = path.join(artifactDir, 'dashboard.png');
  await page.screenshot({path: desktop, fullPage: true});
  assert.ok(fs.statSync(desktop).size > 10_000);

  await page.setViewportSize({width: 390, height: 844});
  const phone = path.join(artifactDir, 'dashboard-phone.png');
  await page.screenshot({path: phone, fullPage: true});
  // Nothing is wider than the phone's screen.
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, 'page is ' + scrollWidth + ' px wide on a 390 px screen');
  await page.setViewportSize({width: 1280, height: 900});
});

test('admin token shows actions and the flag flips after confirmation', async () => {
  await page.fill('#admin-token', adminToken);
  await page.click('#token-form button[type=submit]');
  await page.waitForSelector('#admin-actions', {state: 'visible'});
  assert.equal(await text('#flip-flag'), 'Switch settlement off');

  // Cancelling the dialog changes nothing.
  await page.click('#flip-flag');
  await page.waitForSelector('#confirm-dialog', {state: 'visible'});
  await page.click('#confirm-cancel');
  await page.waitForSelector('#confirm-dialog', {state: 'hidden'});
  assert.equal((await getJson('/health/settlement')).body.feature_enabled, true);

  await page.click('#flip-flag');
  await page.fill('#confirm-reason', 'browser test');
  await page.click('#confirm-ok');
  await page.waitForFunction(
    () => document.getElementById('admin-result').textContent === 'Settlement is now off.');
  assert.equal((await getJson('/health/settlement')).body.feature_enabled, false);
  await page.waitForFunction(
    () => document.getElementById('flag-state').textContent === 'off');
  assert.equal(await text('#health-status'), 'disabled');

  // A game lookup now offers the game actions.
  await page.goto(baseUrl + '/#game=' + encodeURIComponent(
    (await getJson('/v1/parlays?limit=1')).body.parlays[0].legs[0].game));
  await page.waitForSelector('#void-game');
  assert.equal(await page.locator('#resettle-game').count(), 1);
});

test('no script errors or blocked resources', () => {
  assert.deepEqual(pageErrors, []);
});
