// The Sales Ledger dashboard (ADR 0036): signs in with the authorization code and PKCE, then shows each view from
// the query side's API with the signed-in user's token. Tables carry the API's numbers (data-col attributes name
// them); charts draw the same numbers with ECharts.
import { LABELS, STAGES } from './i18n.js';

const TOKEN_KEY = 'salesledger.token';
const PKCE_KEY = 'salesledger.pkce';
let lang = localStorage.getItem('salesledger.lang') || 'zh';
let config = null;
let token = null;
let me = null;
const charts = [];

const t = (key) => (LABELS[lang] && LABELS[lang][key]) || LABELS.en[key] || key;
const stageName = (s) => (STAGES[lang] && STAGES[lang][s]) || s;
const main = () => document.getElementById('main');

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

// ---------- signing in ----------

async function signIn() {
  if (location.hostname === 'localhost') {
    // the authorization server matches loopback redirects by address on any port (RFC 8252 §7.3)
    location.replace(location.href.replace('//localhost', '//127.0.0.1'));
    return false;
  }
  config = await (await fetch('/dashboard/config')).json();
  const params = new URLSearchParams(location.search);
  if (params.get('code')) {
    const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
    sessionStorage.removeItem(PKCE_KEY);
    if (!saved || saved.state !== params.get('state')) {
      throw new Error('the sign-in answer does not match the request (state); reload the page');
    }
    const response = await fetch(config.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: params.get('code'), redirect_uri: saved.redirectUri,
        client_id: config.clientId, code_verifier: saved.verifier,
      }),
    });
    if (!response.ok) {
      throw new Error('the token endpoint answered ' + response.status);
    }
    const answer = await response.json();
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({
      value: answer.access_token, expiresAt: Date.now() + (answer.expires_in - 30) * 1000,
    }));
    history.replaceState(null, '', '/' + (saved.hash || ''));
  }
  const stored = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null');
  if (stored && stored.expiresAt > Date.now()) {
    token = stored.value;
    return true;
  }
  const verifier = randomText();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomText();
  const redirectUri = location.origin + '/';
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, redirectUri, hash: location.hash }));
  const authorize = new URL(config.authorizeUrl);
  authorize.search = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri,
    code_challenge: challenge, code_challenge_method: 'S256', state,
  }).toString();
  location.assign(authorize.toString());
  return false;
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  location.assign('/');
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options, headers: { ...(options.headers || {}), Authorization: 'Bearer ' + token, Accept: 'application/json' },
  });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
    throw new ApiError(401, 'signed out');
  }
  if (!response.ok) {
    let message = response.statusText;
    try {
      const problem = await response.json();
      message = problem.detail || problem.message || message;
    } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }
  // decimals are kept as the exact text the API sent (a double would lose digits); whole numbers stay numbers
  return JSON.parse(await response.text(), (key, value, context) => (typeof value === 'number' && context
    && context.source && /[.eE]/.test(context.source) ? context.source : value));
}

// A decimal (number or exact text) rounded half up to `places` decimals, computed on its digits: no binary rounding.
function dec(value, places = 2) {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  let text = String(value);
  if (/[eE]/.test(text)) {
    text = Number(text).toFixed(places + 6);
  }
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const padded = (fraction + '0'.repeat(places + 1)).slice(0, places + 1);
  let digits = BigInt(whole + padded.slice(0, places));
  if (Number(padded[places]) >= 5) {
    digits += 1n;
  }
  const out = digits.toString().padStart(places + 1, '0');
  const result = places ? out.slice(0, out.length - places) + '.' + out.slice(out.length - places) : out;
  return negative && /[1-9]/.test(result) ? '-' + result : result;
}

// ---------- who may see what (contract §7) ----------

const ROLE_VIEWS = {
  funnel: ['rep', 'supervisor', 'director', 'admin', 'auditor', 'analyst'],
  lists: ['rep', 'supervisor', 'director', 'admin', 'auditor'],
  health: ['rep', 'supervisor', 'director', 'admin', 'auditor', 'analyst'],
  attribution: ['rep', 'supervisor', 'director', 'admin', 'auditor', 'analyst'],
  cost: ['admin', 'auditor', 'analyst'],
  customer: ['rep', 'supervisor', 'director', 'admin', 'auditor'],
  today: ['rep', 'supervisor', 'director', 'admin', 'auditor'],
};

const mayView = (view) => (ROLE_VIEWS[view] || []).some((role) => me.roles.includes(role));

// ---------- rendering helpers ----------

function applyLabels() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.getElementById('lang').textContent = t('lang');
  if (me) {
    document.getElementById('who').textContent = `${t('signedInAs')}: ${me.userId} (${me.roles.join(', ')})`;
  }
}

function disposeCharts() {
  while (charts.length) {
    charts.pop().dispose();
  }
}

function chart(id, option) {
  const el = document.getElementById(id);
  if (!el || !window.echarts) {
    return;
  }
  const c = window.echarts.init(el);
  c.setOption({ aria: { enabled: true }, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
  charts.push(c);
}

const pct = (num, den) => (den > 0 ? (100 * num / den).toFixed(1) : '—');

function table(id, columns, rows, rowAttrs) {
  const head = columns.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(t(c.label))}</th>`).join('');
  const body = rows.map((row) => `<tr ${rowAttrs ? rowAttrs(row) : ''}>${columns.map((c) => {
    const value = c.value(row);
    const html = c.html ? value : esc(value);
    return `<td data-col="${c.key}"${c.num ? ' class="num"' : ''}>${html}</td>`;
  }).join('')}</tr>`).join('');
  return `<div class="table-wrap"><table id="${id}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function field(id, label, value = '', type = 'text', extra = '') {
  return `<label for="${id}">${esc(t(label))}<input id="${id}" name="${id}" type="${type}" value="${esc(value)}" ${extra}></label>`;
}

function select(id, label, options, value) {
  return `<label for="${id}">${esc(t(label))}<select id="${id}" name="${id}">${options.map(([v, text]) =>
    `<option value="${esc(v)}"${v === value ? ' selected' : ''}>${esc(text)}</option>`).join('')}</select></label>`;
}

function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') q.set(k, v); });
  const s = q.toString();
  return s ? '?' + s : '';
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

const customerLink = (id, name) => `<a href="#customer/${encodeURIComponent(id)}" data-customer-link="${esc(id)}">${esc(name || id)}</a>`;

// ---------- views ----------

const state = { funnel: {}, lists: {}, attribution: { model: 'linear' }, cost: { model: 'linear', period: 'month' } };

async function funnelView(root) {
  const f = state.funnel;
  root.innerHTML = `<h1>${t('funnelTitle')}</h1>
  <form class="filters card" id="funnel-filters" aria-label="${esc(t('funnelTitle'))}">
    ${field('f-region', 'region', f.region)}${field('f-team', 'team', f.team)}${field('f-rep', 'rep', f.rep)}
    ${field('f-channel', 'channel', f.channel)}${field('f-from', 'from', f.from, 'date')}${field('f-to', 'to', f.to, 'date')}
    ${select('f-groupBy', 'groupBy', [['', t('none')], ['region', t('region')], ['team', t('team')], ['rep', t('rep')],
      ['channel', t('channel')], ['month', t('month')]], f.groupBy || '')}
    <button class="primary" type="submit" id="funnel-apply">${t('apply')}</button>
  </form>
  <div id="funnel-body"></div>`;
  root.querySelector('#funnel-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    state.funnel = { region: v['f-region'], team: v['f-team'], rep: v['f-rep'], channel: v['f-channel'],
      from: v['f-from'], to: v['f-to'], groupBy: v['f-groupBy'] };
    render();
  });
  const filter = { region: f.region, team: f.team, rep: f.rep, channel: f.channel, from: f.from, to: f.to };
  const funnel = await api('/api/v1/funnel' + query(filter));
  const stages = funnel.stages.filter((s) => s.stage !== 'LOST');
  const first = stages.length ? stages[0].reached : 0;
  const rows = stages.map((s, i) => ({ ...s, pctFirst: pct(s.reached, first),
    pctPrev: i === 0 ? '100.0' : pct(s.reached, stages[i - 1].reached) }));
  let html = `<div class="card"><div id="funnel-chart" class="chart" role="img" aria-label="${esc(t('funnelTitle'))}"></div>
    ${table('funnel-table', [
      { key: 'stage', label: 'stage', html: true, value: (r) => (r.stage === 'CONTRACT_SIGNED' ? esc(stageName(r.stage))
        : `<a href="#lists/${r.stage}" data-stage-link="${r.stage}">${esc(stageName(r.stage))}</a>`) },
      { key: 'reached', label: 'count', value: (r) => r.reached, num: true },
      { key: 'pctFirst', label: 'pctFirst', value: (r) => r.pctFirst, num: true },
      { key: 'pctPrev', label: 'pctPrev', value: (r) => r.pctPrev, num: true },
      { key: 'current', label: 'current', value: (r) => r.current, num: true },
      { key: 'avgDays', label: 'avgDays', value: (r) => dec(r.avgDaysInStage, 1), num: true },
    ], rows, (r) => `data-stage="${esc(r.stage)}"`)}
    <p>${t('won')}: <strong id="funnel-won">${funnel.won}</strong> · ${t('lost')}: <strong id="funnel-lost">${funnel.lost}</strong>
    · ${t('winRate')}: <strong id="funnel-winrate">${funnel.winRate == null ? '—' : (100 * funnel.winRate).toFixed(1) + ' %'}</strong></p></div>`;
  if (f.groupBy) {
    const breakdown = await api('/api/v1/funnel' + query({ ...filter, groupBy: f.groupBy }));
    const stageKeys = stages.map((s) => s.stage);
    html += `<div class="card"><h2>${t('breakdown')}: ${esc(t(f.groupBy))}</h2>
      <div id="breakdown-chart" class="chart" role="img" aria-label="${esc(t('breakdown'))}"></div>
      ${table('breakdown-table', [{ key: 'key', label: f.groupBy, value: (g) => g.key },
        ...stageKeys.map((s) => ({ key: s, label: stageName(s), num: true,
          value: (g) => (g.funnel.stages.find((x) => x.stage === s) || { reached: 0 }).reached }))],
      breakdown.groups, (g) => `data-key="${esc(g.key)}"`)}</div>`;
    root.querySelector('#funnel-body').innerHTML = html;
    chart('breakdown-chart', {
      tooltip: { trigger: 'axis' }, legend: { type: 'scroll' },
      xAxis: { type: 'category', data: stageKeys.map(stageName), axisLabel: { rotate: 30 } }, yAxis: { type: 'value' },
      series: breakdown.groups.map((g) => ({ name: g.key, type: 'bar',
        data: stageKeys.map((s) => (g.funnel.stages.find((x) => x.stage === s) || { reached: 0 }).reached) })),
    });
  } else {
    root.querySelector('#funnel-body').innerHTML = html;
  }
  chart('funnel-chart', {
    tooltip: { trigger: 'item' },
    series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', label: { formatter: '{b}: {c}' },
      data: stages.map((s) => ({ name: stageName(s.stage), value: s.reached })) }],
  });
}

async function listsView(root, stage) {
  const l = state.lists;
  const stalledStages = ['FIRST_CONTACT', 'NEEDS_CONFIRMED', 'PROPOSAL_SENT', 'PRICE_OBJECTION', 'TRIAL_REQUESTED'];
  root.innerHTML = `<h1>${t('nav.lists')}</h1>
  <form class="filters card" id="lists-filters" aria-label="${esc(t('nav.lists'))}">
    ${select('l-stage', 'stage', [['', t('none')], ...stalledStages.map((x) => [x, stageName(x)])], stage || '')}
    ${field('l-region', 'region', l.region)}${field('l-rep', 'rep', l.rep)}
    ${field('l-olderThan', 'olderThan', l.olderThan || '', 'number', 'min="1"')}
    ${field('l-days', 'days', l.days || '7', 'number', 'min="1"')}
    <button class="primary" type="submit">${t('apply')}</button>
  </form>
  <div class="card"><h2>${t('stalledTitle')}${stage ? ': ' + esc(stageName(stage)) : ''}</h2><div id="stalled"></div></div>
  <div class="card"><h2>${t('idleTitle')}</h2><div id="idle"></div></div>
  <dialog id="snooze-dialog" aria-labelledby="snooze-title"><form method="dialog" id="snooze-form">
    <h2 id="snooze-title">${t('snoozeTitle')}</h2><p id="snooze-customer" class="muted"></p>
    <label for="snooze-until">${t('until')}</label><input id="snooze-until" name="until" type="date" required>
    <label for="snooze-reason">${t('reason')}</label><input id="snooze-reason" name="reason" required>
    <p><button class="primary" type="submit" value="save">${t('save')}</button>
    <button class="small" type="button" id="snooze-cancel">${t('cancel')}</button></p></form></dialog>`;
  root.querySelector('#lists-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    state.lists = { region: v['l-region'], rep: v['l-rep'], olderThan: v['l-olderThan'], days: v['l-days'] };
    const next = v['l-stage'] ? '#lists/' + v['l-stage'] : '#lists';
    if (location.hash === next) render(); else location.hash = next;
  });
  const filter = { region: l.region, rep: l.rep };
  const [stalled, idle] = await Promise.all([
    api('/api/v1/stalled' + query({ ...filter, stage, olderThan: l.olderThan ? `PT${l.olderThan}H` : '' })),
    api('/api/v1/idle' + query({ ...filter, days: l.days || 7 })),
  ]);
  const columns = [
    { key: 'customer', label: 'customer', value: (c) => customerLink(c.customerId, c.name), html: true },
    { key: 'owner', label: 'owner', value: (c) => c.ownerRepId },
    { key: 'region', label: 'region', value: (c) => c.region },
    { key: 'stage', label: 'stage', value: (c) => stageName(c.stage) },
    { key: 'enteredAt', label: 'enteredAt', value: (c) => (c.enteredAt || '').slice(0, 10) },
    { key: 'lastAction', label: 'lastAction', value: (c) => `${(c.lastActionAt || '').slice(0, 10)} ${c.lastActionType || ''}` },
    { key: 'snooze', label: 'snooze', html: true,
      value: (c) => `<button type="button" class="small" data-snooze="${esc(c.customerId)}">${t('snooze')}</button>` },
  ];
  root.querySelector('#stalled').innerHTML = table('stalled-table', columns, stalled.customers, (c) => `data-customer="${esc(c.customerId)}"`);
  root.querySelector('#idle').innerHTML = table('idle-table', columns, idle.customers, (c) => `data-customer="${esc(c.customerId)}"`);
  const dialog = root.querySelector('#snooze-dialog');
  let snoozing = null;
  root.querySelectorAll('[data-snooze]').forEach((b) => b.addEventListener('click', () => {
    snoozing = b.dataset.snooze;
    root.querySelector('#snooze-customer').textContent = snoozing;
    dialog.showModal();
  }));
  root.querySelector('#snooze-cancel').addEventListener('click', () => dialog.close());
  root.querySelector('#snooze-form').addEventListener('submit', async (e) => {
    const v = formValues(e.target);
    await api(config.commandUrl + '/api/v1/actions', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ specversion: '1.0', id: 'snooze-' + crypto.randomUUID(), source: '/dashboard',
        type: 'CustomerSnoozed', subject: snoozing, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        actor: me.userId, data: { until: v.until, reason: v.reason } }),
    });
    setTimeout(render, 500);
  });
}

// The last complete calendar month (UTC): a monthly review's radar, and the demo's data ends there.
function lastMonth() {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const before = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return [before.toISOString().slice(0, 10), first.toISOString().slice(0, 10)];
}

async function healthView(root) {
  const reps = repChoices();
  const rep = state.healthRep || reps[0] || me.userId;
  if (!state.healthFrom && !state.healthTo) {
    [state.healthFrom, state.healthTo] = lastMonth();
  }
  root.innerHTML = `<h1>${t('healthTitle')}</h1>
  <form class="filters card" id="health-filters" aria-label="${esc(t('healthTitle'))}">
    ${reps.length > 1 ? select('h-rep', 'rep', reps.map((r) => [r, r]), rep) : field('h-rep', 'rep', rep)}
    ${field('h-from', 'from', state.healthFrom || '', 'date')}${field('h-to', 'to', state.healthTo || '', 'date')}
    <button class="primary" type="submit">${t('apply')}</button>
  </form><div id="health-body"></div>`;
  root.querySelector('#health-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    state.healthRep = v['h-rep'];
    state.healthFrom = v['h-from'];
    state.healthTo = v['h-to'];
    render();
  });
  let health;
  try {
    health = await api(`/api/v1/reps/${encodeURIComponent(rep)}/health` + query({ from: state.healthFrom, to: state.healthTo }));
  } catch (e) {
    root.querySelector('#health-body').innerHTML = `<p class="error">${esc(e.status === 404 ? t('healthMissing') + ' ' + e.message : e.message)}</p>`;
    return;
  }
  const metrics = [];
  Object.entries(health.metrics || {}).forEach(([name, m]) => {
    if (m.byCurrency) {
      m.byCurrency.forEach((c) => metrics.push({ name: `${name} (${c.currency})`, metric: name, target: m.target, ...c }));
    } else {
      metrics.push({ name, metric: name, ...m });
    }
  });
  const targetOf = (m) => (m.target && typeof m.target === 'object' ? m.target.target ?? m.target.value : m.target);
  root.querySelector('#health-body').innerHTML = `<div class="card">
    <p class="muted">${esc(health.repId)} · ${esc(health.from)} – ${esc(health.to)} · ${esc(health.plan && typeof health.plan === 'object' ? `${health.plan.ruleId || 'default plan'} v${health.plan.version}` : health.plan)}</p>
    <div id="health-chart" class="chart" role="img" aria-label="${esc(t('healthTitle'))}"></div>
    ${table('health-table', [
      { key: 'metric', label: 'metric', value: (m) => m.name },
      { key: 'value', label: 'value', value: (m) => dec(m.value), num: true },
      { key: 'numerator', label: 'evidence', value: (m) => `${m.numerator ?? '—'} / ${m.denominator ?? '—'}`, num: true },
      { key: 'target', label: 'target', value: (m) => targetOf(m) ?? '—', num: true },
      { key: 'met', label: 'met', html: true, value: (m) => (m.met ? `<span class="met">${t('yes')}</span>` : `<span class="unmet">${t('no')}</span>`) },
      { key: 'points', label: 'points', value: (m) => m.points ?? '—', num: true },
      { key: 'drill', label: 'evidence', html: true, value: (m) => ((m.evidence && m.evidence.count)
        ? `<button type="button" class="small" data-evidence="${esc(m.name)}">${t('showEvidence')} (${m.evidence.count})</button>` : '—') },
    ], metrics, (m) => `data-metric="${esc(m.name)}"`)}
    <div id="evidence"></div></div>
    <div class="card"><h2>${t('incentive')}</h2>${table('incentive-table', [
      { key: 'currency', label: 'currency', value: (i) => i.currency },
      { key: 'revenue', label: 'revenue', value: (i) => dec(i.revenue), num: true },
      { key: 'rate', label: 'rate', value: (i) => i.rate, num: true },
      { key: 'amount', label: 'amount', value: (i) => dec(i.amount), num: true },
    ], health.incentive || [])}</div>`;
  root.querySelectorAll('[data-evidence]').forEach((b) => b.addEventListener('click', () => {
    const m = metrics.find((x) => x.name === b.dataset.evidence);
    const ids = (m.evidence && m.evidence.actionIds) || [];
    root.querySelector('#evidence').innerHTML = `<h2>${t('evidence')}: ${esc(m.name)}</h2>
      ${table('evidence-table', [{ key: 'action', label: 'actionId', value: (id) => id }], ids, (id) => `data-action="${esc(id)}"`)}`;
    root.querySelector('#evidence-table')?.focus();
  }));
  const radar = metrics.filter((m) => m.value != null || targetOf(m) != null);
  chart('health-chart', {
    legend: { data: [t('value'), t('target')] }, tooltip: {},
    radar: { axisName: { color: '#1b1f24' },
      indicator: radar.map((m) => ({ name: m.name, max: Math.max(Number(m.value) || 0, Number(targetOf(m)) || 0, 1) * 1.2 })) },
    series: [{ type: 'radar', data: [
      { name: t('value'), value: radar.map((m) => Number(m.value) || 0) },
      { name: t('target'), value: radar.map((m) => Number(targetOf(m)) || 0) }] }],
  });
}

async function attributionView(root) {
  const a = state.attribution;
  const models = ['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped', 'w_shaped', 'markov', 'shapley', 'shapley_simplified'];
  root.innerHTML = `<h1>${t('attributionTitle')}</h1>
  <form class="filters card" id="attribution-filters" aria-label="${esc(t('attributionTitle'))}">
    ${select('a-model', 'model', models.map((m) => [m, m]), a.model)}
    ${field('a-from', 'from', a.from, 'date')}${field('a-to', 'to', a.to, 'date')}
    <button class="primary" type="submit">${t('apply')}</button>
  </form><div class="card"><div id="attribution-chart" class="chart" role="img" aria-label="${esc(t('attributionTitle'))}"></div><div id="attribution-body"></div></div>`;
  const form = root.querySelector('#attribution-filters');
  const apply = () => {
    const v = formValues(form);
    state.attribution = { model: v['a-model'], from: v['a-from'], to: v['a-to'] };
    render();
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  root.querySelector('#a-model').addEventListener('change', apply);
  const answer = await api('/api/v1/attribution' + query(a));
  root.querySelector('#attribution-body').innerHTML = table('attribution-table', [
    { key: 'channel', label: 'channel', value: (c) => c.channel },
    { key: 'currency', label: 'currency', value: (c) => c.currency },
    { key: 'conversions', label: 'conversions', value: (c) => dec(c.conversions), num: true },
    { key: 'revenue', label: 'revenue', value: (c) => dec(c.revenue), num: true },
  ], answer.channels, (c) => `data-channel="${esc(c.channel)}" data-currency="${esc(c.currency)}"`);
  chart('attribution-chart', {
    tooltip: { trigger: 'item' },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: answer.channels.map((c) => ({ name: `${c.channel} ${c.currency}`, value: Number(c.revenue) })) }],
  });
}

async function costView(root) {
  const c = state.cost;
  root.innerHTML = `<h1>${t('costTitle')}</h1>
  <form class="filters card" id="cost-filters" aria-label="${esc(t('costTitle'))}">
    ${select('c-model', 'model', ['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped', 'w_shaped'].map((m) => [m, m]), c.model)}
    ${select('c-period', 'period', [['month', 'month'], ['quarter', 'quarter'], ['year', 'year']], c.period)}
    ${field('c-from', 'from', c.from, 'date')}${field('c-to', 'to', c.to, 'date')}
    <button class="primary" type="submit">${t('apply')}</button>
  </form><div class="card"><div id="cost-chart" class="chart" role="img" aria-label="${esc(t('costTitle'))}"></div><div id="cost-body"></div></div>`;
  root.querySelector('#cost-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    state.cost = { model: v['c-model'], period: v['c-period'], from: v['c-from'], to: v['c-to'] };
    render();
  });
  const answer = await api('/api/v1/acquisition-cost' + query(c));
  const rows = [];
  answer.channels.forEach((ch) => (ch.currencies || []).forEach((cur) => rows.push({ ...cur, channel: ch.channel,
    start: ch.start, customersWon: ch.customersWon })));
  root.querySelector('#cost-body').innerHTML = table('cost-table', [
    { key: 'channel', label: 'channel', value: (r) => r.channel },
    { key: 'period', label: 'period', value: (r) => (r.start || '').slice(0, 10) },
    { key: 'customersWon', label: 'customersWon', value: (r) => r.customersWon, num: true },
    { key: 'currency', label: 'currency', value: (r) => r.currency },
    { key: 'cost', label: 'cost', value: (r) => dec(r.cost), num: true },
    { key: 'cac', label: 'cac', value: (r) => dec(r.cac), num: true },
    { key: 'attributedRevenue', label: 'attributedRevenue', value: (r) => dec(r.attributedRevenue), num: true },
    { key: 'roi', label: 'roi', value: (r) => dec(r.roi), num: true },
  ], rows, (r) => `data-channel="${esc(r.channel)}" data-period="${esc((r.start || '').slice(0, 10))}" data-currency="${esc(r.currency)}"`);
  const channels = [...new Set(rows.map((r) => r.channel))];
  chart('cost-chart', {
    tooltip: { trigger: 'axis' }, legend: { data: [t('cost'), t('attributedRevenue')] },
    xAxis: { type: 'category', data: channels, axisLabel: { rotate: 30 } }, yAxis: { type: 'value' },
    series: [
      { name: t('cost'), type: 'bar', data: channels.map((ch) => rows.filter((r) => r.channel === ch).reduce((s, r) => s + Number(r.cost || 0), 0)) },
      { name: t('attributedRevenue'), type: 'bar', data: channels.map((ch) => rows.filter((r) => r.channel === ch).reduce((s, r) => s + Number(r.attributedRevenue || 0), 0)) },
    ],
  });
}

const CONTACT_TYPES = ['VisitLogged', 'MessageSent', 'TouchpointRecorded', 'ProposalSent', 'NeedsConfirmed', 'TrialRequested', 'ContractSigned'];

function summary(data) {
  if (!data) {
    return '';
  }
  const keys = ['objectionType', 'detail', 'reason', 'notes', 'summary', 'product', 'channel', 'kind', 'name'];
  const parts = keys.filter((k) => data[k] !== undefined).map((k) => `${k}: ${typeof data[k] === 'object' ? JSON.stringify(data[k]) : data[k]}`);
  if (data.amount) {
    parts.push(`${data.amount.value} ${data.amount.currency}`);
  }
  return parts.join(' · ').slice(0, 160);
}

async function customerView(root, id) {
  root.innerHTML = `<h1>${t('customerTitle')}</h1>
  <form class="filters card" id="customer-form" aria-label="${esc(t('customerTitle'))}">
    ${field('c-id', 'customerId', id || '', 'text', 'required')}
    <button class="primary" type="submit">${t('show')}</button></form><div id="customer-body"></div>`;
  root.querySelector('#customer-form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = '#customer/' + encodeURIComponent(formValues(e.target)['c-id']);
  });
  if (!id) {
    return;
  }
  const body = root.querySelector('#customer-body');
  let timeline;
  let stages;
  try {
    [timeline, stages] = await Promise.all([
      api(`/api/v1/customers/${encodeURIComponent(id)}/timeline`),
      api(`/api/v1/customers/${encodeURIComponent(id)}/stages`),
    ]);
  } catch (e) {
    body.innerHTML = `<p class="error" id="customer-not-found">${esc(e.status === 404 ? t('notFound') : e.message)}</p>`;
    return;
  }
  const events = timeline.events;
  const registered = events.find((e) => e.type === 'CustomerRegistered');
  const owner = registered && registered.data ? registered.data.ownerRepId : '';
  const contacts = events.filter((e) => CONTACT_TYPES.includes(e.type) && e.actor !== 'system');
  const last = contacts[contacts.length - 1];
  const current = stages.stages[stages.stages.length - 1];
  const today = new Date().toISOString().slice(0, 10);
  const doneToday = events.filter((e) => (e.time || '').slice(0, 10) === today && e.actor !== 'system');
  const refusals = events.filter((e) => e.type === 'ObjectionRaised' || e.type === 'DealLost'
    || (e.type === 'VisitLogged' && e.data && Array.isArray(e.data.objections) && e.data.objections.length));
  const refusal = refusals[refusals.length - 1];
  const fact = (key, id2, value) => `<div class="fact"><div class="label">${t(key)}</div><div class="value" id="${id2}">${value}</div></div>`;
  body.innerHTML = `<div class="facts card">
      ${fact('customer', 'fact-customer', esc(`${registered && registered.data ? registered.data.name : id} · ${owner || ''}`))}
      ${fact('lastContact', 'fact-last-contact', last ? esc(`${last.time} · ${last.type} · ${last.actor}`) : t('nothing'))}
      ${fact('stageNow', 'fact-stage', current ? esc(`${stageName(current.stage)} (${current.stage}) · ${(current.enteredAt || '').slice(0, 10)}`) : t('nothing'))}
      ${fact('repToday', 'fact-today', doneToday.length ? doneToday.map((e) => esc(`${e.type} ${e.time.slice(11, 16)}`)).join('<br>') : t('nothing'))}
      ${fact('recentRefusal', 'fact-refusal', refusal ? esc(`${refusal.time.slice(0, 10)} · ${refusal.type} · ${summary(refusal.data)}`) : t('nothing'))}
    </div>
    <div class="card"><h2>${t('timeline')}</h2>${table('timeline-table', [
      { key: 'time', label: 'time', value: (e) => e.time },
      { key: 'type', label: 'type', value: (e) => e.type },
      { key: 'actor', label: 'actor', value: (e) => e.actor },
      { key: 'details', label: 'details', value: (e) => summary(e.data) },
    ], events.slice().reverse(), (e) => `data-action="${esc(e.id)}"`)}</div>`;
}

function repChoices() {
  if (me.roles.includes('rep') && !me.supervisedReps.length) {
    return [me.userId];
  }
  return me.supervisedReps.length ? [...me.supervisedReps] : [me.userId];
}

async function todayView(root) {
  const reps = repChoices();
  const rep = state.todayRep || reps[0];
  root.innerHTML = `<h1>${t('todayTitle')}</h1>
  <form class="filters card" id="today-form" aria-label="${esc(t('todayTitle'))}">
    ${reps.length > 1 ? select('t-rep', 'rep', reps.map((r) => [r, r]), rep) : field('t-rep', 'rep', rep)}
    <button class="primary" type="submit">${t('show')}</button></form>
  <div class="card"><h2>${t('todos')}</h2><div id="todos"></div></div>
  <div class="card"><h2>${t('escalations')}</h2><div id="escalations"></div></div>
  <div class="card"><h2>${t('idle')}</h2><div id="today-idle"></div></div>`;
  root.querySelector('#today-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.todayRep = formValues(e.target)['t-rep'];
    render();
  });
  const [todo, escalations, idle] = await Promise.all([
    api(`/api/v1/reps/${encodeURIComponent(rep)}/todo`).catch((e) => ({ error: e })),
    api('/api/v1/escalations'),
    api('/api/v1/idle' + query({ rep, days: 7 })),
  ]);
  if (todo.error) {
    root.querySelector('#todos').innerHTML = `<p class="error">${esc(todo.error.message)}</p>`;
  } else {
    const items = [];
    ['followUps', 'collections', 'poolReleases', 'talkTracks'].forEach((k) => (todo[k] || []).forEach((x) => items.push({ ...x, list: k })));
    root.querySelector('#todos').innerHTML = table('todo-table', [
      { key: 'kind', label: 'kind', value: (x) => x.kind || x.list },
      { key: 'customer', label: 'customer', html: true, value: (x) => (x.customer ? customerLink(x.customer.customerId, x.customer.name) : '') },
      { key: 'due', label: 'due', value: (x) => (x.dueAt || '').slice(0, 16) },
    ], items, (x) => `data-todo="${esc(x.id)}"`);
  }
  const mine = escalations.escalations.filter((x) => !x.customer || reps.length === 1 || !x.customer.ownerRepId || x.customer.ownerRepId === rep || x.to === rep);
  root.querySelector('#escalations').innerHTML = table('escalations-table', [
    { key: 'customer', label: 'customer', html: true, value: (x) => (x.customer ? customerLink(x.customer.customerId, x.customer.name) : '') },
    { key: 'stage', label: 'stage', value: (x) => stageName(x.stage) },
    { key: 'since', label: 'since', value: (x) => (x.since || '').slice(0, 10) },
    { key: 'to', label: 'owner', value: (x) => x.to },
  ], mine, (x) => `data-escalation="${esc(x.id)}"`);
  root.querySelector('#today-idle').innerHTML = table('today-idle-table', [
    { key: 'customer', label: 'customer', html: true, value: (c) => customerLink(c.customerId, c.name) },
    { key: 'stage', label: 'stage', value: (c) => stageName(c.stage) },
    { key: 'lastAction', label: 'lastAction', value: (c) => `${(c.lastActionAt || '').slice(0, 10)} ${c.lastActionType || ''}` },
  ], idle.customers, (c) => `data-customer="${esc(c.customerId)}"`);
}

const VIEWS = { funnel: funnelView, lists: listsView, health: healthView, attribution: attributionView, cost: costView,
  customer: customerView, today: todayView };

// Renders may overlap (a language switch while a view loads): only the latest one reports its end or its error.
let renderSeq = 0;

async function render() {
  const seq = ++renderSeq;
  disposeCharts();
  applyLabels();
  const [view, arg] = (location.hash.replace(/^#/, '') || defaultView()).split('/');
  const name = VIEWS[view] ? view : defaultView();
  document.querySelectorAll('#nav a').forEach((a) => {
    a.hidden = !mayView(a.dataset.view);
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  const root = main();
  root.dataset.view = name;
  root.setAttribute('aria-busy', 'true');
  try {
    if (!mayView(name)) {
      root.innerHTML = `<p class="error">${t('forbidden')}</p>`;
    } else {
      await VIEWS[name](root, arg ? decodeURIComponent(arg) : undefined);
    }
  } catch (e) {
    if (seq === renderSeq) {
      root.innerHTML += `<p class="error" role="alert">${esc(t('error'))}: ${esc(e.message)}</p>`;
    }
  } finally {
    if (seq === renderSeq) {
      root.setAttribute('aria-busy', 'false');
      root.dataset.loaded = String(Date.now());
    }
  }
}

function defaultView() {
  return ['today', 'funnel', 'attribution'].find((v) => me && mayView(v)) || 'funnel';
}

async function start() {
  applyLabels();
  document.getElementById('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('salesledger.lang', lang);
    render();
  });
  try {
    if (!(await signIn())) {
      return;
    }
    me = await api('/api/v1/me');
  } catch (e) {
    main().innerHTML = `<p class="error" role="alert">${esc(t('error'))}: ${esc(e.message)}</p>`;
    return;
  }
  document.getElementById('who').textContent = `${t('signedInAs')}: ${me.userId} (${me.roles.join(', ')})`;
  document.getElementById('who').dataset.user = me.userId;
  document.getElementById('nav').hidden = false;
  const out = document.getElementById('signout');
  out.hidden = false;
  out.addEventListener('click', signOut);
  window.addEventListener('hashchange', render);
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  await render();
}

start();
