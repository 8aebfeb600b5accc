// The operator dashboard. It polls the service's JSON routes and builds
// the page with DOM calls only: every value from the server is inserted as
// text (textContent or text nodes), never parsed as HTML.
'use strict';

const REFRESH_MS = 5000;
const TOKEN_KEY = 'parlay-settler.admin-token';
const SVG_NS = 'http://www.w3.org/2000/svg';

const state = {
  health: null,
  activity: null,
  games: null,
  list: null,  // the game list shown: awaiting or an attention category
  lookup: null,  // {kind: 'parlay' | 'game', id}
  timer: null,
};

// ---- DOM helpers -------------------------------------------------------

function $(id) {
  return document.getElementById(id);
}

// Creates an element. `attributes` are set with setAttribute, except
// `className`. `children` are nodes, or values inserted as text.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === 'className') {
      node.className = value;
    } else {
      node.setAttribute(name, value);
    }
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

function setText(id, value) {
  $(id).textContent = value === null || value === undefined ? '–' : value;
}

function formatCount(value) {
  return Number(value).toLocaleString('en-US');
}

function formatPercent(fraction, digits) {
  if (fraction === null || fraction === undefined) return '–';
  return (fraction * 100).toFixed(digits) + '%';
}

function formatScore(home, away) {
  if (home === null && away === null) return '–';
  const one = (score) => (score === null ? '?' : String(score));
  return one(home) + '–' + one(away);
}

// "2023-11-14T22:13:20Z" -> "2023-11-14 22:13:20 UTC".
function formatTime(iso) {
  if (!iso) return '–';
  return iso.replace('T', ' ').replace('Z', ' UTC');
}

function hashLink(kind, id) {
  return el('a', {href: '#' + kind + '=' + encodeURIComponent(id)}, id);
}

function badge(status) {
  return el('span', {className: 'badge status-' + String(status).toLowerCase()},
            status);
}

function table(headers, rows) {
  const head = el('tr', {}, ...headers.map((name) => el('th', {}, name)));
  const body = el('tbody');
  for (const cells of rows) {
    body.append(el('tr', {}, ...cells.map((cell) => el('td', {}, cell))));
  }
  return el('div', {className: 'scroll'}, el('table', {}, el('thead', {}, head), body));
}

// ---- HTTP --------------------------------------------------------------

// Returns {status, body}, where body is the parsed JSON or null.
async function request(path, options) {
  const response = await fetch(path, Object.assign({cache: 'no-store'}, options));
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null;
  }
  return {status: response.status, body};
}

function errorText(reply) {
  if (reply.body && reply.body.error && reply.body.error.message) {
    return 'HTTP ' + reply.status + ': ' + reply.body.error.message;
  }
  return 'HTTP ' + reply.status;
}

function adminToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

async function adminPost(path, body) {
  return request(path, {
    method: 'POST',
    headers: {
      'Authorization': 'Bearer ' + adminToken(),
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

// ---- health ------------------------------------------------------------

function renderHealth(health) {
  state.health = health;
  const status = $('health-status');
  status.textContent = health.status;
  status.className = 'badge health-' + health.status;
  setText('health-message', health.message || '');
  setText('flag-state', health.feature_enabled ? 'on' : 'off');
  const breaker = health.worker.circuit_breaker;
  setText('breaker-state', breaker.open ? 'open' : 'closed');
  $('breaker-state').className = breaker.open ? 'bad' : '';
  setText('breaker-errors', formatCount(breaker.consecutive_errors));
  setText('breaker-opened', breaker.opened_at ? formatTime(breaker.opened_at) : '–');
  const age = health.heartbeat.seconds_since_beat;
  setText('heartbeat-age', age === null ? 'no heartbeat' : age.toFixed(1) + ' s');

  const rows = [];
  const own = health.heartbeat;
  rows.push(['this process', formatTime(own.last_beat),
             own.seconds_since_beat === null ? '–' : own.seconds_since_beat.toFixed(1) + ' s',
             own.meta ? formatCount(own.meta.parlays_settled) : '–']);
  for (const worker of health.other_workers || []) {
    rows.push([worker.worker_id, formatTime(worker.last_beat),
               worker.seconds_since_beat.toFixed(1) + ' s',
               formatCount(worker.meta.parlays_settled)]);
  }
  const body = $('workers').querySelector('tbody');
  body.replaceChildren(...rows.map((cells) =>
    el('tr', {}, ...cells.map((cell) => el('td', {}, cell)))));

  $('flip-flag').textContent = health.feature_enabled
    ? 'Switch settlement off' : 'Switch settlement on';
}

// ---- activity ----------------------------------------------------------

function moneyText(money, field) {
  const parts = Object.entries(money).map(([currency, amounts]) =>
    currency + ' ' + amounts[field]);
  return parts.length ? parts.join(', ') : '0';
}

function renderRatio(totals) {
  const outcomes = [
    ['won', totals.parlays_won],
    ['lost', totals.parlays_lost],
    ['push', totals.parlays_push],
    ['void', totals.parlays_void],
  ];
  const settled = totals.parlays_settled;
  const bar = $('ratio-bar');
  const legend = [];
  bar.replaceChildren();
  for (const [name, count] of outcomes) {
    const fraction = settled ? count / settled : 0;
    const part = el('span', {className: 'part ' + name, title: name + ': ' + count});
    part.style.width = (fraction * 100).toFixed(3) + '%';
    bar.append(part);
    legend.push(name + ' ' + formatPercent(settled ? fraction : null, 1) +
                ' (' + formatCount(count) + ')');
  }
  $('ratio-legend').textContent = legend.join(' · ');
}

// Rounds a chart's top up to 1, 2 or 5 times a power of ten.
function niceMax(value) {
  if (value <= 0) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

// Draws one bar per series and hour into `container` as inline SVG, at
// the container's width so that its text keeps its size on any screen.
// The page draws it again when the window resizes.
function drawBars(container, hours, series, height) {
  const width = Math.max(280, container.clientWidth || 720);
  const left = 48;
  const bottom = 20;
  const top = 8;
  const plotWidth = width - left - 4;
  const plotHeight = height - bottom - top;
  let max = 0;
  for (const hour of hours) {
    for (const item of series) max = Math.max(max, item.value(hour));
  }
  max = niceMax(max);
  const chart = svg('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img',
                            'aria-label': series.map((item) => item.label).join(' and ') +
                              ' per hour'});
  for (const fraction of [0, 0.5, 1]) {
    const y = top + plotHeight * (1 - fraction);
    chart.append(svg('line', {x1: left, x2: width - 4, y1: y, y2: y, class: 'grid'}));
    // Counts are whole, so a half-way line of an odd maximum has no label.
    if (Number.isInteger(max * fraction)) {
      chart.append(svg('text', {x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end'},
                       formatCount(max * fraction)));
    }
  }
  const slot = plotWidth / hours.length;
  // One label every 6 hours, or every 12 when the chart is narrow.
  const labelEvery = width < 500 ? 12 : 6;
  const barWidth = Math.max(1, (slot - 2) / series.length);
  hours.forEach((hour, index) => {
    const x0 = left + index * slot + 1;
    series.forEach((item, position) => {
      const value = item.value(hour);
      const barHeight = plotHeight * value / max;
      const bar = svg('rect', {x: x0 + position * barWidth, y: top + plotHeight - barHeight,
                               width: barWidth, height: barHeight, class: item.cls});
      bar.append(svg('title', {}, formatTime(hour.hour) + ': ' + formatCount(value) +
                                  ' ' + item.label));
      chart.append(bar);
    });
    const start = hour.hour.slice(11, 16);
    if (index % labelEvery === 0 || index === hours.length - 1) {
      // The last label ends at the chart's edge instead of running past it.
      const last = index === hours.length - 1;
      chart.append(svg('text', {x: last ? width - 2 : x0 + slot / 2, y: height - 4,
                                class: 'axis', 'text-anchor': last ? 'end' : 'middle'},
                       start));
    }
  });
  container.replaceChildren(chart);
}

function renderActivity(activity) {
  state.activity = activity;
  const totals = activity.totals;
  setText('legs-settled', formatCount(totals.legs_settled));
  setText('parlays-settled', formatCount(totals.parlays_settled));
  setText('staked', moneyText(totals.money, 'staked'));
  setText('paid', moneyText(totals.money, 'paid'));
  setText('error-rate', formatPercent(totals.error_rate, 2));
  setText('cycles-failed', formatCount(totals.cycles_failed));
  renderRatio(totals);
  drawBars($('chart-settled'), activity.hours, [
    {label: 'legs settled', cls: 'legs', value: (hour) => hour.legs_settled},
    {label: 'parlays settled', cls: 'parlays', value: (hour) => hour.parlays_settled},
  ], 200);
  drawBars($('chart-errors'), activity.hours, [
    {label: 'errors', cls: 'errors',
     value: (hour) => hour.games_failed + hour.cycles_failed},
  ], 120);
}

// ---- games -------------------------------------------------------------

const LIST_TITLES = {
  awaiting: 'Games awaiting settlement',
  attention: 'Games needing attention',
  missing_score: 'Final games missing a score',
  correction_held: 'Score corrections held outside the window',
  unknown_status: 'Games with an unknown status',
};

function renderGames(games) {
  state.games = games;
  setText('awaiting-count', formatCount(games.awaiting.count));
  setText('attention-count', formatCount(games.attention.count));
  const categories = games.attention.categories;
  setText('missing-score-count', formatCount(categories.missing_score));
  setText('correction-held-count', formatCount(categories.correction_held));
  setText('unknown-status-count', formatCount(categories.unknown_status));
  renderGameList();
}

function renderGameList() {
  const section = $('game-list');
  if (!state.list || !state.games || !LIST_TITLES[state.list]) {
    section.hidden = true;
    return;
  }
  const awaiting = state.list === 'awaiting';
  const source = awaiting ? state.games.awaiting : state.games.attention;
  let games = source.games;
  if (!awaiting && state.list !== 'attention') {
    games = games.filter((game) => game.category === state.list);
  }
  setText('game-list-title', LIST_TITLES[state.list]);
  const body = $('game-list-table').querySelector('tbody');
  body.replaceChildren(...games.map((game) => el('tr', {},
    el('td', {}, hashLink('game', game.id)),
    el('td', {}, game.away + ' at ' + game.home),
    el('td', {}, game.status),
    el('td', {}, formatScore(game.home_score, game.away_score)),
    el('td', {}, awaiting ? 'pending legs' : (game.attention || game.category)))));
  const shown = games.length;
  $('game-list-note').textContent = shown === 0 ? 'None.'
    : (source.count > source.games.length
       ? 'The first ' + source.games.length + ' of ' + source.count + ' games.' : '');
  section.hidden = false;
}

// ---- lookups -----------------------------------------------------------

function showLookupError(message) {
  const node = $('lookup-error');
  node.textContent = message;
  node.hidden = !message;
}

function betText(leg) {
  let text = leg.market + ' ' + leg.selection_text;
  if (leg.period && leg.period !== 'game') text = leg.period + ' ' + text;
  if (leg.line !== null) text += ' ' + leg.line;
  return text + ' @ ' + leg.odds;
}

// Formats minor units with the decimals of `sample`, an amount of the
// same currency such as the stake.
function minorText(minor, sample) {
  if (minor === null || minor === undefined) return '–';
  const decimals = (String(sample).split('.')[1] || '').length;
  return (minor / Math.pow(10, decimals)).toFixed(decimals);
}

async function showParlay(id) {
  const reply = await request('/v1/parlays/' + encodeURIComponent(id));
  if (reply.status !== 200) {
    showLookupError('Parlay ' + id + ': ' + errorText(reply));
    $('lookup-result').replaceChildren();
    return;
  }
  showLookupError('');
  const parlay = reply.body;
  const facts = el('dl', {className: 'facts'},
    el('dt', {}, 'Status'), el('dd', {}, badge(parlay.status)),
    el('dt', {}, 'Account'), el('dd', {}, parlay.account),
    el('dt', {}, 'Stake'), el('dd', {id: 'parlay-stake'}, parlay.currency + ' ' + parlay.stake),
    el('dt', {}, 'Payout'), el('dd', {id: 'parlay-payout'},
                               parlay.payout === null ? '–' : parlay.currency + ' ' + parlay.payout),
    el('dt', {}, 'Placed'), el('dd', {}, formatTime(parlay.placed_at)),
    el('dt', {}, 'Settled'), el('dd', {}, formatTime(parlay.settled_at)));
  const legs = table(['#', 'Game', 'Bet', 'Status', 'Reason', 'Scores used (home–away)'],
    parlay.legs.map((leg) => [leg.index, hashLink('game', leg.game), betText(leg),
                              badge(leg.status), leg.reason || '–',
                              formatScore(leg.home_score, leg.away_score)]));
  const audit = table(['When', 'What', 'Change', 'Payout', 'Scores', 'Reason'],
    parlay.audit.map((event) => [
      formatTime(event.at),
      event.entity + (event.leg_index === null ? '' : ' ' + event.leg_index),
      event.old_status + ' → ' + event.new_status,
      minorText(event.payout_minor, parlay.stake),
      formatScore(event.home_score, event.away_score),
      event.reason || '–']));
  $('lookup-result').replaceChildren(
    el('h3', {id: 'parlay-title'}, 'Parlay ' + parlay.id), facts,
    el('h4', {}, 'Legs'), legs, el('h4', {}, 'Audit history'), audit);
}

async function showGame(id) {
  const reply = await request('/v1/dashboard/games/' + encodeURIComponent(id));
  if (reply.status !== 200) {
    showLookupError('Game ' + id + ': ' + errorText(reply));
    $('lookup-result').replaceChildren();
    return;
  }
  showLookupError('');
  const game = reply.body.game;
  const facts = el('dl', {className: 'facts'},
    el('dt', {}, 'Teams'), el('dd', {}, game.away + ' at ' + game.home),
    el('dt', {}, 'Status'), el('dd', {}, game.status),
    el('dt', {}, 'Score (home–away)'), el('dd', {}, formatScore(game.home_score, game.away_score)),
    el('dt', {}, 'Start'), el('dd', {}, formatTime(game.start_time)),
    el('dt', {}, 'First settled'), el('dd', {}, formatTime(game.first_settled_at)));
  if (game.void_reason) facts.append(el('dt', {}, 'Void reason'), el('dd', {}, game.void_reason));
  if (game.attention) facts.append(el('dt', {}, 'Attention'), el('dd', {}, game.attention));
  const legs = table(['Parlay', '#', 'Bet', 'Status', 'Reason', 'Scores used (home–away)'],
    reply.body.legs.map((leg) => [hashLink('parlay', leg.parlay_id), leg.index, betText(leg),
                                  badge(leg.status), leg.reason || '–',
                                  formatScore(leg.home_score, leg.away_score)]));
  const parts = [el('h3', {id: 'game-title'}, 'Game ' + game.id), facts];
  if (adminToken()) {
    const voidButton = el('button', {type: 'button', className: 'danger', id: 'void-game'}, 'Void game');
    voidButton.addEventListener('click', () => voidGame(game.id));
    const resettleButton = el('button', {type: 'button', id: 'resettle-game'}, 'Re-settle game');
    resettleButton.addEventListener('click', () => resettleGame(game.id));
    parts.push(el('p', {className: 'admin-buttons'}, voidButton, ' ', resettleButton));
  }
  parts.push(el('h4', {}, 'Legs (' + reply.body.legs.length + (reply.body.truncated ? ', more not shown' : '') + ')'), legs);
  $('lookup-result').replaceChildren(...parts);
}

function runLookup() {
  const lookup = state.lookup;
  if (!lookup) return;
  const shown = lookup.kind === 'parlay' ? showParlay(lookup.id) : showGame(lookup.id);
  shown.catch((error) => showLookupError('Lookup failed: ' + error.message));
}

// Reads "#parlay=ID", "#game=ID" or "#list=NAME".
function applyHash() {
  const match = /^#(parlay|game|list)=(.*)$/.exec(location.hash);
  if (!match) return;
  const value = decodeURIComponent(match[2]);
  if (match[1] === 'list') {
    state.list = value;
    renderGameList();
    $('game-list').scrollIntoView({block: 'nearest'});
    return;
  }
  state.lookup = {kind: match[1], id: value};
  $(match[1] + '-id').value = value;
  runLookup();
  $('lookup').scrollIntoView({block: 'start'});
}

// ---- admin -------------------------------------------------------------

// Shows the confirmation dialog. `reason` is 'required', 'optional' or
// 'none'. Resolves to {confirmed, reason}.
function confirmAction(text, reason) {
  return new Promise((resolve) => {
    const dialog = $('confirm-dialog');
    const input = $('confirm-reason');
    $('confirm-text').textContent = text;
    $('confirm-reason-row').hidden = reason === 'none';
    $('confirm-reason-label').textContent = reason === 'required' ? 'Reason (required)' : 'Reason (optional)';
    input.value = '';
    input.required = reason === 'required';
    const finish = (confirmed) => {
      $('confirm-ok').onclick = null;
      $('confirm-cancel').onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve({confirmed, reason: input.value.trim()});
    };
    $('confirm-ok').onclick = () => {
      if (reason === 'required' && !input.value.trim()) {
        input.focus();
        input.setCustomValidity('A reason is required.');
        input.reportValidity();
        return;
      }
      input.setCustomValidity('');
      finish(true);
    };
    $('confirm-cancel').onclick = () => finish(false);
    dialog.onclose = () => finish(false);
    dialog.showModal();
  });
}

function showAdminResult(message, ok) {
  const node = $('admin-result');
  node.textContent = message;
  node.className = ok ? 'ok' : 'error';
}

async function flipFlag() {
  const enable = !(state.health && state.health.feature_enabled);
  const choice = await confirmAction(
    enable ? 'Switch settlement on? The worker starts settling at once.'
           : 'Switch settlement off? Nothing settles until it is switched on again.',
    'optional');
  if (!choice.confirmed) return;
  const body = {enabled: enable};
  if (choice.reason) body.reason = choice.reason;
  const reply = await adminPost('/v1/admin/settlement', body);
  if (reply.status === 200) {
    showAdminResult('Settlement is now ' + (reply.body.feature_enabled ? 'on' : 'off') + '.', true);
  } else {
    showAdminResult('Switching settlement failed: ' + errorText(reply), false);
  }
  refresh();
}

async function voidGame(id) {
  const choice = await confirmAction(
    'Void game ' + id + '? Its pending legs are settled as void.', 'required');
  if (!choice.confirmed) return;
  const reply = await adminPost('/v1/admin/games/' + encodeURIComponent(id) + '/void',
                                {reason: choice.reason});
  if (reply.status === 200) {
    showAdminResult('Game ' + id + ' voided: ' + reply.body.legs_voided + ' legs voided, ' +
                    reply.body.parlays_settled + ' parlays settled.', true);
  } else {
    showAdminResult('Voiding game ' + id + ' failed: ' + errorText(reply), false);
  }
  runLookup();
  refresh();
}

async function resettleGame(id) {
  const choice = await confirmAction(
    'Re-settle game ' + id + '? Its settled legs are graded again from the stored result.',
    'optional');
  if (!choice.confirmed) return;
  const body = choice.reason ? {reason: choice.reason} : {};
  const reply = await adminPost('/v1/admin/games/' + encodeURIComponent(id) + '/resettle', body);
  if (reply.status === 200) {
    showAdminResult('Game ' + id + ' re-settled: ' + reply.body.legs_corrected + ' legs corrected, ' +
                    reply.body.legs_settled + ' legs settled.', true);
  } else {
    showAdminResult('Re-settling game ' + id + ' failed: ' + errorText(reply), false);
  }
  runLookup();
  refresh();
}

function renderAdmin() {
  const hasToken = Boolean(adminToken());
  $('admin-actions').hidden = !hasToken;
  $('forget-token').hidden = !hasToken;
  $('admin-token').placeholder = hasToken ? 'token set for this tab' : '';
}

// ---- refresh loop ------------------------------------------------------

async function refresh() {
  clearTimeout(state.timer);
  try {
    const [health, activity, games] = await Promise.all([
      request('/health/settlement'),
      request('/v1/dashboard/activity?hours=24'),
      request('/v1/dashboard/games'),
    ]);
    // /health/settlement answers 503 with a body when the worker is unwell.
    if (!health.body || !health.body.status) throw new Error('/health/settlement: ' + errorText(health));
    if (activity.status !== 200) throw new Error('/v1/dashboard/activity: ' + errorText(activity));
    if (games.status !== 200) throw new Error('/v1/dashboard/games: ' + errorText(games));
    renderHealth(health.body);
    renderActivity(activity.body);
    renderGames(games.body);
    setText('updated', 'updated ' + formatTime(activity.body.generated_at));
    $('fetch-error').hidden = true;
  } catch (error) {
    const node = $('fetch-error');
    node.textContent = 'Refresh failed: ' + error.message;
    node.hidden = false;
  }
  // Cleared again here, so that a refresh started by an admin action while
  // another was in flight leaves one timer, not two.
  clearTimeout(state.timer);
  if (!document.hidden) state.timer = setTimeout(refresh, REFRESH_MS);
}

function start() {
  $('parlay-form').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = 'parlay=' + encodeURIComponent($('parlay-id').value.trim());
  });
  $('game-form').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = 'game=' + encodeURIComponent($('game-id').value.trim());
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('admin-token').value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    $('admin-token').value = '';
    renderAdmin();
    runLookup();
  });
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    renderAdmin();
    runLookup();
  });
  $('flip-flag').addEventListener('click', flipFlag);
  window.addEventListener('hashchange', applyHash);
  window.addEventListener('resize', () => {
    if (state.activity) renderActivity(state.activity);
  });
  // A hidden tab stops polling and catches up when it is shown again.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      clearTimeout(state.timer);
    } else {
      refresh();
    }
  });
  renderAdmin();
  applyHash();
  refresh();
}

document.addEventListener('DOMContentLoaded', start);
