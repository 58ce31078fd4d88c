// The official's record, eligibility of a unit for a year, statistics
// with charts drawn as SVG here, and the early warnings — pages over
// GET /v1/officials/{code}/record, /v1/eligibility, /v1/stats, /v1/warnings.
import { api, enc } from './api.js';
import { h, svg, field, clear } from './dom.js';
import { t, fmtDate, statusName, sourceName, named } from './i18n.js';
import { app, dateInput, parseDate, errorText, alertBox } from './app.js';

const READERS = ['hr', 'unit_head', 'auditor', 'admin'];
const STATS = ['unit_head', 'auditor', 'admin'];

function table(cls, heads, rows) {
  return h('div', { class: 'scroll' }, h('table', { class: 'cases ' + (cls || '') },
    h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((cells) => h('tr', null, cells.map((c, i) => h('td', { 'data-label': heads[i] }, c)))))));
}
const caseLink = (c) => (c ? h('a', { href: '#/case/' + enc(c) }, c) : '—');
const formOf = (d) => (d ? `${named('forms', d.form, d.form_name)} (${d.form})` : '—');

async function recordPage(root, m) {
  const code = decodeURIComponent(m[1]);
  // the record is the official object with more members
  const r = await api('GET', `/v1/officials/${enc(code)}/record`);
  const o = r.official && typeof r.official === 'object' ? r.official : r;
  root.appendChild(h('div', { class: 'titlebar' }, h('h1', null, `${t('rec_title')}: ${o.full_name} (${o.code})`),
    h('button', { type: 'button', class: 'noprint', onclick: () => window.print() }, t('print'))));
  root.appendChild(h('dl', { class: 'facts' },
    h('dt', null, t('unit')), h('dd', null, o.unit),
    h('dt', null, t('category')), h('dd', null, named('categories', o.category, o.category_name)),
    h('dt', null, t('in_effect')), h('dd', null, (o.sanctions || []).length ? o.sanctions.map(formOf).join(', ') : t('none')),
    r.career_freeze ? [h('dt', null, t('freeze')), h('dd', null, `${fmtDate(r.career_freeze.until)} (${r.career_freeze.by})`)] : null));
  root.appendChild(h('h2', null, t('decisions')));
  const ds = r.decisions || [];
  root.appendChild(ds.length ? table('record', [t('number'), t('case_no'), t('form'), t('signed_on'), t('effective_on'), t('until'), t('status')],
    ds.map((d) => [d.number, caseLink(d.case), formOf(d), fmtDate(d.signed_on), fmtDate(d.effective_on), fmtDate(d.effect_until), t('ds_' + d.state) !== 'ds_' + d.state ? t('ds_' + d.state) : d.state]))
    : h('p', null, t('none')));
  const open = Array.isArray(r.open_cases_page) ? r.open_cases_page : (r.open_cases && r.open_cases.items) || [];
  root.appendChild(h('h2', null, t('open_cases')));
  root.appendChild(open.length ? table('', [t('case_no'), t('rule'), t('status'), t('deadline')],
    open.map((c) => [caseLink(c.case), typeof c.rule === 'object' ? c.rule.code : c.rule, statusName(c.status), fmtDate(c.handling_deadline)]))
    : h('p', null, t('none')));
  if ((r.cases || []).length) {
    root.appendChild(h('h2', null, t('closed_cases')));
    root.appendChild(table('', [t('case_no'), t('rule'), t('status'), t('occurred')],
      r.cases.map((c) => [caseLink(c.case), typeof c.rule === 'object' ? c.rule.code : c.rule, statusName(c.status), fmtDate(c.occurred_on)])));
  }
}

function unitInput() {
  const s = app.session;
  return h('input', { name: 'unit', value: s.units.includes('*') ? '' : s.units[0], autocapitalize: 'characters' });
}

async function eligibilityPage(root) {
  root.appendChild(h('div', { class: 'titlebar' }, h('h1', null, t('elig_title')),
    h('button', { type: 'button', class: 'noprint', onclick: () => window.print() }, t('print'))));
  const year = h('input', { name: 'year', inputmode: 'numeric', value: String(new Date().getFullYear()), required: true });
  const unit = unitInput();
  const out = h('div');
  const csv = h('a', { class: 'noprint', download: 'eligibility.csv' }, t('csv'));
  const show = async () => {
    clear(out);
    const q = `year=${enc(year.value.trim())}` + (unit.value.trim() ? `&unit=${enc(unit.value.trim())}` : '');
    csv.setAttribute('href', '/v1/export/eligibility?' + q);
    try {
      let items = [], after = null;
      do {
        const page = await api('GET', `/v1/eligibility?${q}&limit=500` + (after ? '&after=' + enc(after) : ''));
        items = items.concat(page.items);
        after = page.next;
      } while (after && items.length < 20000);
      out.appendChild(h('p', { class: 'count', role: 'status' }, t('count_officials', items.length)));
      out.appendChild(table('eligibility', [t('official'), t('unit'), t('status'), t('decisions'), t('case_no')],
        items.map((e) => [`${e.full_name} (${e.official})`, e.unit, t('el_' + e.status),
          e.decision ? `${e.decision.number} — ${formOf(e.decision)}` : '—', caseLink(e.case || (e.decision && e.decision.case))])));
    } catch (e) {
      out.appendChild(alertBox(errorText(e)));
    }
  };
  root.appendChild(h('form', { class: 'filters noprint', onsubmit: (e) => { e.preventDefault(); show(); } },
    h('fieldset', null, h('legend', null, t('filters')), field(t('year'), year), field(t('unit'), unit),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('show')), csv))));
  root.appendChild(out);
  await show();
}

// a label in lines of at most n characters, cut at spaces (a word longer
// than n is its own line)
export function wrapLabel(s, n) {
  const lines = [];
  for (const word of String(s).split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] + ' ' + word).length <= n) lines[last] += ' ' + word;
    else lines.push(word);
  }
  return lines.length ? lines : [''];
}

// a horizontal bar chart drawn here, with the same figures as a table for
// screen readers; long labels wrap onto several lines in the label column
function barChart(title, rows) {
  const max = Math.max(1, ...rows.map((r) => (typeof r.value === 'number' ? r.value : 0)));
  const bar = 22, gap = 8, left = 200, width = 490, line = 17, chars = 22;
  const labels = rows.map((r) => wrapLabel(r.label, chars));
  const heights = labels.map((ls) => Math.max(bar, ls.length * line + 4));
  const heightPx = heights.reduce((a, b) => a + b + gap, gap);
  const id = 'chart-' + title.replace(/\W+/g, '-');
  let y = gap;
  const chart = svg('svg', { viewBox: `0 0 ${left + width + 60} ${heightPx}`, role: 'img', 'aria-labelledby': id, class: 'chart' },
    svg('title', { id }, title),
    ...rows.map((r, i) => {
      const top = y;
      y += heights[i] + gap;
      const v = typeof r.value === 'number' ? r.value : 0;
      const w = Math.round((v / max) * width);
      const mid = top + heights[i] / 2;
      const first = mid - ((labels[i].length - 1) * line) / 2 + 5;
      return svg('g', null,
        svg('text', { x: left - 8, y: first, 'text-anchor': 'end', class: 'label' },
          ...labels[i].map((l, k) => svg('tspan', { x: left - 8, dy: k ? line : 0 }, l))),
        svg('rect', { x: left, y: mid - bar / 2, width: Math.max(w, 1), height: bar, class: 'bar' }),
        svg('text', { x: left + w + 6, y: mid + 5, class: 'value' }, String(r.value)));
    }));
  return h('figure', { class: 'chart' }, h('figcaption', null, title), chart,
    h('details', null, h('summary', null, t('as_table')),
      table('', [t('key'), t('value')], rows.map((r) => [r.label, String(r.value)]))));
}

// a statistics key as the reader says it: groups, forms and sources by name
function keyName(by, key) {
  if (!key) return '—';
  if (by === 'group') return named('groups', key, key);
  if (by === 'form') return named('forms', key, key);
  if (by === 'source') return sourceName(key);
  return key;
}

async function statsPage(root) {
  root.appendChild(h('h1', null, t('stats_title')));
  const y = new Date().getFullYear();
  const from = dateInput({ name: 'from' }, `01/01/${y}`);
  const to = dateInput({ name: 'to' });
  const unit = unitInput();
  const by = h('select', { name: 'by' }, ['unit', 'group', 'rule', 'month', 'source', 'form'].map((b) => h('option', { value: b }, t('by_' + b))));
  const out = h('div');
  const show = async () => {
    clear(out);
    const f = parseDate(from.value), tt = to.value.trim() ? parseDate(to.value) : null;
    let q = `by=${by.value}` + (f ? `&from=${f}` : '') + (tt ? `&to=${tt}` : '') + (unit.value.trim() ? `&unit=${enc(unit.value.trim())}` : '');
    try {
      const s = await api('GET', '/v1/stats?' + q);
      const tot = s.totals || {};
      out.appendChild(h('dl', { class: 'facts totals' }, ['reported', 'decided', 'changed', 'annulled', 'rejected', 'appealed', 'closed']
        .map((k) => [h('dt', null, t('m_' + k)), h('dd', null, String(tot[k] ?? 0))]),
      h('dt', null, t('m_median')), h('dd', null, tot.median_days_to_decision == null ? '—' : t('days', Math.round(tot.median_days_to_decision))),
      h('dt', null, t('m_within')), h('dd', null, tot.decided_within_deadline == null ? '—' : `${Math.round(tot.decided_within_deadline * 100)}%`)));
      out.appendChild(barChart(`${t('m_reported')} — ${t('by_' + by.value)}`, (s.groups || []).map((g) => ({ label: keyName(by.value, g.key), value: g.reported }))));
      out.appendChild(barChart(`${t('m_decided')} — ${t('by_' + by.value)}`, (s.groups || []).map((g) => ({ label: keyName(by.value, g.key), value: g.decided }))));
      out.appendChild(barChart(t('by_source_chart'), (s.reports_by_source || []).map((g) => ({ label: sourceName(g.key) || '—', value: g.reported }))));
      out.appendChild(barChart(t('by_form_chart'), (s.outcomes_by_form || []).map((g) => ({ label: keyName('form', g.key), value: g.decided }))));
    } catch (e) {
      out.appendChild(alertBox(errorText(e)));
    }
  };
  root.appendChild(h('form', { class: 'filters noprint', onsubmit: (e) => { e.preventDefault(); show(); } },
    h('fieldset', null, h('legend', null, t('filters')), field(t('from'), from, t('date_hint')), field(t('to'), to, t('date_hint')),
      field(t('unit'), unit), field(t('by'), by), h('div', null, h('button', { type: 'submit', class: 'primary' }, t('show'))))));
  root.appendChild(out);
  await show();
}

async function warningsPage(root) {
  root.appendChild(h('h1', null, t('warn_title')));
  const w = await api('GET', '/v1/warnings');
  root.appendChild(h('p', null, t('warn_intro', w.threshold, w.window_days, fmtDate(w.since))));
  root.appendChild(w.items.length ? table('warnings', [t('kind'), t('official') + ' / ' + t('unit'), t('group'), t('count_cases'), t('cases_list')],
    w.items.map((i) => [i.kind === 'unit' ? t('unit') : t('official'), `${i.name} (${i.code})`, named('groups', i.group, i.group), String(i.cases),
      (i.numbers || []).map((n, k) => [k ? ', ' : '', caseLink(n)])]))
    : h('p', null, t('none')));
}

export const extraPages = [
  [/^#\/record\/([^/]+)$/, recordPage],
  [/^#\/eligibility$/, eligibilityPage],
  [/^#\/stats$/, statsPage],
  [/^#\/warnings$/, warningsPage],
];

export function extraNav(s) {
  const items = [];
  if (READERS.includes(s.role)) items.push(['#/eligibility', t('eligibility')]);
  if (STATS.includes(s.role)) items.push(['#/stats', t('stats')], ['#/warnings', t('warnings')]);
  return items;
}
