// Pages over the official's record, eligibility, statistics and
// warnings. Today: the official as GET /v1/officials/{code} gives it
// (sanctions in effect, open cases).
import { api, enc } from './api.js';
import { h } from './dom.js';
import { t, fmtDate } from './i18n.js';

async function recordPage(root, m) {
  const code = decodeURIComponent(m[1]);
  const o = await api('GET', '/v1/officials/' + enc(code));
  root.appendChild(h('h1', null, `${t('rec_title')}: ${o.full_name} (${o.code})`));
  root.appendChild(h('dl', { class: 'facts' },
    h('dt', null, t('unit')), h('dd', null, o.unit),
    h('dt', null, t('category')), h('dd', null, o.category_name || o.category)));
  const rows = (o.sanctions || []).map((d) => h('tr', null,
    h('td', { 'data-label': t('number') }, d.number),
    h('td', { 'data-label': t('case_no') }, d.case ? h('a', { href: '#/case/' + enc(d.case) }, d.case) : '—'),
    h('td', { 'data-label': t('form') }, `${d.form_name || d.form} (${d.form})`),
    h('td', { 'data-label': t('signed_on') }, fmtDate(d.signed_on)),
    h('td', { 'data-label': t('effective_on') }, fmtDate(d.effective_on)),
    h('td', { 'data-label': t('until') }, fmtDate(d.effect_until))));
  root.appendChild(h('h2', null, t('decisions')));
  root.appendChild(rows.length ? h('table', { class: 'cases record' },
    h('thead', null, h('tr', null, [t('number'), t('case_no'), t('form'), t('signed_on'), t('effective_on'), t('until')]
      .map((x) => h('th', { scope: 'col' }, x)))), h('tbody', null, rows)) : h('p', null, t('none')));
  if ((o.open_cases || []).length)
    root.appendChild(h('p', null, t('links') + ': ', o.open_cases.map((c, i) => [i ? ', ' : '', h('a', { href: '#/case/' + enc(c) }, c)])));
}

export const extraPages = [
  [/^#\/record\/([^/]+)$/, recordPage],
];

export function extraNav() {
  return [];
}
