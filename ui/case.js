// The case page: the official, the rule text, the hash-chained timeline
// with every field of every event, evidence, links, and a form for each
// action the case's state and the user's role allow.
import { api, enc, newKey, ApiError } from './api.js';
import { h, clear, field, uid } from './dom.js';
import { t, fmtDate, fmtTime, statusName, sourceName, dateError, named, ruleTitle } from './i18n.js';
import { app, errorText, alertBox, dateInput, parseDate, today, say, rerender } from './app.js';

const HEADS = ['unit_head', 'admin'];
const EVENT_LABELS = { seq: 'seq', kind: 'event', actor: 'actor', at: 'at', hash: 'hash', data: 'data' };

// which actions each state offers (docs/api.md, Workflow)
const ACTIONS = {
  reported: ['accept', 'reject'],
  under_review: ['council', 'dispense', 'defer', 'waive', 'close'],
  council: ['decide', 'waive', 'close'],
  deferred: ['resume', 'waive', 'close'],
  decided: ['appeal', 'close'],
  appealed: ['uphold', 'decide', 'annul'],
};

function decisionState(s) { return s && t('ds_' + s) !== 'ds_' + s ? t('ds_' + s) : s; }

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

// every field of an event's data, nested values included, as text
function dataList(d) {
  if (d === null || typeof d !== 'object') return String(d);
  const keys = Object.keys(d);
  if (!keys.length) return '—';
  return h('dl', { class: 'data' }, keys.map((k) => [h('dt', null, k),
    h('dd', null, typeof d[k] === 'object' && d[k] !== null
      ? (Array.isArray(d[k]) ? d[k].map((x) => typeof x === 'object' ? JSON.stringify(x) : String(x)).join(', ') : dataList(d[k]))
      : String(d[k]))]));
}

// the law's refusal exactly as the API gives it: message, rule, basis
export function refusalBox(e) {
  const d = e.data || {};
  // the refusal in the user's language where the catalogue knows its id; the
  // daemon's own words beside it, as given
  const said = d.rule && t('law_' + d.rule) !== 'law_' + d.rule ? t('law_' + d.rule) : null;
  return alertBox([h('p', { class: 'strong' }, t('refused') + ': ' + (said || d.message || '')),
    said && d.message ? h('p', null, t('details') + ': ' + d.message) : null,
    d.rule ? h('p', null, t('refused_rule') + ': ', h('code', { class: 'rule-id' }, d.rule)) : null,
    d.basis ? h('p', null, t('refused_basis') + ': ', h('span', { class: 'basis' }, Array.isArray(d.basis) ? d.basis.join('; ') : d.basis)) : null]);
}

function failBox(e) {
  if (e instanceof ApiError && e.status === 422) return refusalBox(e);
  const box = alertBox(errorText(e));
  if (e instanceof ApiError && e.status === 409 && e.data.status)
    box.appendChild(h('button', { type: 'button', onclick: rerender }, t('reload')));
  return box;
}

// one action as a form; build(fields) returns the body, or a string error
function actionForm(k, name, controls, build) {
  const out = h('div');
  const btn = h('button', { type: 'submit', class: 'primary' }, t('a_' + name));
  const form = h('form', { class: 'action', 'data-action': name, novalidate: true },
    h('h3', null, t('a_' + name)), out, controls, btn);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    const body = build();
    if (typeof body === 'string') {
      out.appendChild(alertBox(body));
      out.firstChild.focus();
      return;
    }
    btn.disabled = true;
    try {
      await api('POST', `/v1/cases/${enc(k.case)}/${name}`, body);
      say(t('done', t('a_' + name)));
      rerender();
    } catch (e) {
      out.appendChild(failBox(e));
      out.firstChild.focus();
    } finally {
      btn.disabled = false;
    }
  });
  return form;
}

function opt(v, label) { return h('option', { value: v }, label || v); }
function noteField() {
  const n = h('textarea', { name: 'note', rows: 2 });
  return [field(t('note'), n), n];
}
function withNote(body, n) { if (n.value.trim()) body.note = n.value.trim(); return body; }

function dateOrError(el, label, required) {
  if (!el.value.trim()) return required ? t('bad_field', label, t('bad_date')) : undefined;
  return parseDate(el.value) || t('bad_field', label, dateError(el.value));
}
const isErr = (v) => typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v);

function simpleForms(k) {
  return {
    accept() {
      const [f, n] = noteField();
      return actionForm(k, 'accept', f, () => withNote({}, n));
    },
    reject() {
      const r = h('select', { name: 'reason' }, ['unfounded', 'duplicate', 'not_competent'].map((x) => opt(x, t('r_' + x))));
      const of = h('input', { name: 'of' }), to = h('input', { name: 'to' });
      const [f, n] = noteField();
      return actionForm(k, 'reject', [field(t('reason'), r), field(t('of_case'), of), field(t('to_authority'), to), f], () => {
        const b = { reason: r.value };
        if (of.value.trim()) b.of = of.value.trim();
        if (to.value.trim()) b.to = to.value.trim();
        return withNote(b, n);
      });
    },
    council() {
      const m = h('input', { name: 'members', required: true });
      const r = h('input', { name: 'recommend' });
      return actionForm(k, 'council', [field(t('members'), m), field(t('recommend'), r)], () => {
        const b = { members: m.value.split(',').map((x) => x.trim()).filter(Boolean) };
        if (r.value.trim()) b.recommend = r.value.trim();
        return b;
      });
    },
    defer() {
      const g = h('select', { name: 'ground' }, ['illness', 'maternity', 'prosecution', 'leave'].map((x) => opt(x, t('d_' + x))));
      const u = dateInput({ name: 'until' });
      const [f, n] = noteField();
      return actionForm(k, 'defer', [field(t('ground'), g), field(t('until'), u, t('date_hint')), f], () => {
        const until = dateOrError(u, t('until'), false);
        if (isErr(until)) return until;
        const b = { ground: g.value };
        if (until) b.until = until;
        return withNote(b, n);
      });
    },
    dispense() {
      const g = h('select', { name: 'ground', required: true },
        ['inspection_conclusion', 'court_conviction', 'party_sanction'].map((x) => opt(x, t('g_' + x))));
      const ref = h('input', { name: 'ref', required: true });
      const d = dateInput({ name: 'signed' });
      const pf = h('input', { name: 'party_form' });
      return actionForm(k, 'dispense', [field(t('ground'), g), field(t('ref_doc'), ref),
        field(t('signed_on'), d, t('date_hint')), field(t('party_form'), pf)], () => {
        const signed = dateOrError(d, t('signed_on'), false);
        if (isErr(signed)) return signed;
        const b = { ground: g.value, ref: ref.value.trim() };
        if (signed) b.signed_on = signed;
        if (pf.value.trim()) b.party_form = pf.value.trim();
        return b;
      });
    },
    resume() {
      const [f, n] = noteField();
      return actionForm(k, 'resume', f, () => withNote({}, n));
    },
    waive() {
      const g = h('input', { name: 'ground' });
      const [f, n] = noteField();
      return actionForm(k, 'waive', [field(t('ground'), g), f], () => withNote({ ground: g.value.trim() }, n));
    },
    close() {
      const r = h('select', { name: 'reason' }, opt(''), opt('no_sanction', t('no_sanction')), opt('expired', t('c_expired')),
        opt('window_ended', t('c_window_ended')));
      const [f, n] = noteField();
      return actionForm(k, 'close', [field(t('reason'), r), f], () => {
        const b = {};
        if (r.value) b.reason = r.value;
        return withNote(b, n);
      });
    },
    appeal() {
      const d = dateInput({ name: 'filed_on', required: true }, today());
      const [f, n] = noteField();
      return actionForm(k, 'appeal', [field(t('filed_on'), d, t('date_hint')), f], () => {
        const v = dateOrError(d, t('filed_on'), true);
        return isErr(v) ? v : withNote({ filed_on: v }, n);
      });
    },
    uphold() {
      const [f, n] = noteField();
      return actionForm(k, 'uphold', f, () => withNote({}, n));
    },
    annul() {
      const num = h('input', { name: 'number', required: true });
      const d = dateInput({ name: 'signed_on', required: true }, today());
      const r = h('textarea', { name: 'reason', rows: 2 });
      return actionForm(k, 'annul', [field(t('number'), num), field(t('signed_on'), d, t('date_hint')), field(t('reason'), r)], () => {
        const v = dateOrError(d, t('signed_on'), true);
        if (isErr(v)) return v;
        const b = { number: num.value.trim(), signed_on: v };
        if (r.value.trim()) b.reason = r.value.trim();
        return b;
      });
    },
    decide: () => decideForm(k),
  };
}

// The decision form: for this official on the signing date, the forms the
// law allows, the ladder's suggestion, the limitation and handling dates;
// the law's refusal, if any, exactly as the API gives it.
function decideForm(k) {
  const key = newKey('ui-decide');
  const severity = h('select', { name: 'severity', required: true });
  const signed = dateInput({ name: 'signed_on', required: true }, today());
  const effective = dateInput({ name: 'effective_on' });
  const number = h('input', { name: 'number', required: true, placeholder: '12/QĐ-UBND' });
  const reason = h('textarea', { name: 'reason', rows: 3 });
  const complex = h('input', { type: 'checkbox', name: 'complex' });
  const formsBox = h('fieldset', { class: 'forms' }, h('legend', null, t('form')));
  const law = h('div', { class: 'law', 'aria-live': 'polite' });
  const out = h('div');
  const btn = h('button', { type: 'submit', class: 'primary' }, t('a_decide'));
  let chosen = k.severity || '';

  async function refresh() {
    const on = parseDate(signed.value);
    if (!on) return;
    let o;
    try {
      o = await api('GET', `/v1/cases/${enc(k.case)}/decision-options?on=${on}` +
        (severity.value || chosen ? '&severity=' + enc(severity.value || chosen) : ''));
    } catch (e) {
      clear(law).appendChild(failBox(e));
      return;
    }
    if (!severity.options.length) {
      severity.appendChild(opt('', '—'));
      for (const s of o.severities) severity.appendChild(opt(s.code, `${named('severities', s.code, s.name)} (${s.code})`));
      severity.value = chosen;
    }
    const prev = (formsBox.querySelector('input:checked') || {}).value;
    clear(formsBox).appendChild(h('legend', null, t('allowed_forms')));
    const radios = o.forms.map((f) => ({ code: f.code, label: `${named('forms', f.code, f.name)} (${f.code})` }))
      .concat([{ code: 'none', label: t('no_sanction') }]);
    for (const f of radios) {
      const id = uid('form');
      const r = h('input', { type: 'radio', name: 'form', value: f.code, id, required: true });
      if (f.code === (prev || o.ladder_form)) r.checked = true;
      formsBox.appendChild(h('div', { class: 'radio' }, r, h('label', { for: id }, f.label,
        f.code === o.ladder_form ? h('span', { class: 'badge good' }, t('ladder')) : null)));
    }
    const formLabel = (c) => { const f = o.forms.find((x) => x.code === c); return f ? `${named('forms', c, f.name)} (${c})` : c || t('none'); };
    clear(law).appendChild(dl([
      [t('ladder'), formLabel(o.ladder_form)],
      [t('recommended'), formLabel(o.recommended_form)],
      [t('in_effect'), formLabel(o.in_effect)],
      [t('limitation'), fmtDate(o.limitation_expires_on)],
      [t('deadline'), fmtDate(o.handling_deadline)],
      o.forms_basis.length ? [t('basis'), o.forms_basis.join('; ')] : null,
    ]));
  }
  severity.addEventListener('change', () => { chosen = severity.value; refresh(); });
  signed.addEventListener('change', refresh);

  const form = h('form', { class: 'action decide', 'data-action': 'decide', novalidate: true },
    h('h3', null, t('a_decide')), out,
    field(t('severity'), severity), field(t('signed_on'), signed, t('date_hint')), law, formsBox,
    field(t('reason'), reason, t('reason_hint')), field(t('number'), number),
    field(t('effective_on'), effective, t('date_hint')),
    h('div', { class: 'check' }, complex, h('label', { for: complex.id = uid('cx') }, t('complex'))), btn);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    const on = dateOrError(signed, t('signed_on'), true), eff = dateOrError(effective, t('effective_on'), false);
    const f = formsBox.querySelector('input:checked');
    let err = isErr(on) ? on : isErr(eff) ? eff : !severity.value ? t('bad_field', t('severity'), '—')
      : !f ? t('bad_field', t('form'), '—') : null;
    if (err) {
      out.appendChild(alertBox(err));
      out.firstChild.focus();
      return;
    }
    const body = { severity: severity.value, form: f.value, number: number.value.trim(), signed_on: on,
      idempotency_key: key };
    if (eff) body.effective_on = eff;
    if (reason.value.trim()) body.reason = reason.value.trim();
    if (complex.checked) body.complex = true;
    btn.disabled = true;
    try {
      await api('POST', `/v1/cases/${enc(k.case)}/decide`, body);
      say(t('done', t('a_decide')));
      rerender();
    } catch (e) {
      out.appendChild(failBox(e));
      out.firstChild.focus();
    } finally {
      btn.disabled = false;
    }
  });
  refresh();
  return form;
}

function evidenceSection(k, mayAdd) {
  const list = (k.evidence || []).length
    ? h('ul', null, k.evidence.map((e) => h('li', null,
      h('a', { href: `/v1/cases/${enc(k.case)}/evidence/${enc(e.name)}`, download: e.name }, `${t('download')}: ${e.name}`),
      ` — ${e.media_type}, ${e.size} B, ${e.added_by}, ${fmtTime(e.added_at)}`,
      h('div', { class: 'hash' }, 'SHA-256 ', e.sha256))))
    : h('p', null, t('no_evidence'));
  const sec = h('section', { 'aria-labelledby': 'ev-h' }, h('h2', { id: 'ev-h' }, t('evidence')), list);
  if (mayAdd) {
    const file = h('input', { type: 'file', name: 'file', required: true });
    const out = h('div');
    const form = h('form', { class: 'action noprint', novalidate: true }, out, field(t('file'), file),
      h('button', { type: 'submit' }, t('upload')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(out);
      const f = file.files[0];
      if (!f) return;
      try {
        await api('PUT', `/v1/cases/${enc(k.case)}/evidence/${enc(f.name)}`, f, f.type || 'application/octet-stream');
        rerender();
      } catch (e) {
        out.appendChild(failBox(e));
        out.firstChild.focus();
      }
    });
    sec.appendChild(form);
  }
  return sec;
}

export async function casePage(root, number) {
  const k = await api('GET', '/v1/cases/' + enc(number));
  let rule = null;
  try { rule = await api('GET', `/v1/rules/${enc(k.rule.code)}?on=${k.occurred_on}`); } catch (e) { /* shown without text */ }
  const s = app.session;
  const head = HEADS.includes(s.role);
  const o = k.official;
  root.appendChild(h('div', { class: 'titlebar' }, h('h1', null, t('case_title', k.case)),
    h('span', { class: 'status st-' + k.status }, statusName(k.status)),
    k.overdue ? h('span', { class: 'badge' }, t('overdue')) : null,
    h('button', { type: 'button', class: 'noprint', onclick: () => window.print() }, t('print'))));
  root.appendChild(h('section', { 'aria-labelledby': 'facts-h' }, h('h2', { id: 'facts-h' }, t('facts')), dl([
    [t('official'), [h('a', { href: '#/record/' + enc(o.code) }, `${o.full_name} (${o.code})`),
      ` — ${named('categories', o.category, o.category_name)}${o.leader ? ', ' + t('leader') : ''}`]],
    [t('unit'), k.unit],
    [t('rule'), `${k.rule.code} — ${ruleTitle(k.rule)}`],
    [t('source'), sourceName(k.source)],
    [t('reporter'), k.reporter],
    [t('occurred'), fmtDate(k.occurred_on)],
    [t('detected'), fmtDate(k.detected_on)],
    k.place ? [t('place'), k.place] : null,
    [t('description'), k.description],
    [t('severity'), k.severity ? `${named('severities', k.severity, k.severity_name)} (${k.severity})` : '—'],
    [t('limitation'), fmtDate(k.limitation_expires_on)],
    [t('deadline'), fmtDate(k.handling_deadline)],
  ])));
  if (rule) {
    root.appendChild(h('section', { 'aria-labelledby': 'rule-h', class: 'rule' },
      h('h2', { id: 'rule-h' }, t('rule_text', k.rule.version)),
      h('p', { class: 'strong' }, `${rule.code} — ${ruleTitle(rule)}`),
      rule.description ? h('p', null, rule.description) : null,
      (rule.legal_basis || []).length ? h('p', null, t('basis') + ': ' + rule.legal_basis.join('; ')) : null));
  }
  if ((k.decisions || []).length) {
    root.appendChild(h('section', { 'aria-labelledby': 'dec-h' }, h('h2', { id: 'dec-h' }, t('decisions')),
      k.decisions.map((d) => dl([[t('number'), d.number], [t('form'), `${named('forms', d.form, d.form_name)} (${d.form})`],
        [t('signed_on'), fmtDate(d.signed_on)], [t('effective_on'), fmtDate(d.effective_on)],
        d.effect_until ? [t('effect_until'), fmtDate(d.effect_until)] : null,
        d.freeze_until ? [t('freeze_until'), fmtDate(d.freeze_until)] : null,
        [t('status'), decisionState(d.state)], d.reason ? [t('reason'), d.reason] : null,
        d.warning ? [t('warning'), d.warning] : null]))));
  }
  if (k.council && k.council.members)
    root.appendChild(h('section', null, h('h2', null, t('council')),
      h('p', null, k.council.members.join(', ') + (k.council.recommended_form ? ` → ${k.council.recommended_form}` : ''))));
  const links = (k.links || []).concat([]);
  root.appendChild(h('section', { 'aria-labelledby': 'ln-h' }, h('h2', { id: 'ln-h' }, t('links')),
    links.length ? h('ul', null, links.map((l) => h('li', null, h('a', { href: '#/case/' + enc(l) }, l)))) : h('p', null, t('none')),
    (k.probable_duplicates || []).length ? [h('h3', null, t('duplicates')), h('ul', null, k.probable_duplicates.map((d) => {
      const n = typeof d === 'string' ? d : d.case;
      return h('li', null, h('a', { href: '#/case/' + enc(n) }, n));
    }))] : null));
  root.appendChild(evidenceSection(k, ['inspector', 'unit_head', 'admin'].includes(s.role)));

  const acts = h('section', { 'aria-labelledby': 'act-h', class: 'actions noprint' }, h('h2', { id: 'act-h' }, t('actions')));
  const forms = simpleForms(k);
  const names = head ? (ACTIONS[k.status] || []).slice() : [];
  // decided straight from under_review where the law needs no council:
  // cán bộ, or a case dispensed (inspection conclusion, conviction, Party sanction)
  if (head && k.status === 'under_review' && (k.official?.category === 'can_bo' ||
      (k.events || []).some((e) => e.kind === 'dispensed')))
    names.splice(1, 0, 'decide');
  for (const n of names) acts.appendChild(forms[n]());
  if (head && !['closed', 'closed_no_sanction', 'rejected'].includes(k.status)) {
    const other = h('input', { name: 'other' });
    acts.appendChild(actionForm(k, 'links', field(t('other_case'), other), () => ({ other: other.value.trim() })));
  }
  if (['inspector', 'unit_head', 'admin'].includes(s.role)) {
    const text = h('textarea', { name: 'text', rows: 2 });
    acts.appendChild(actionForm(k, 'notes', field(t('note'), text), () => ({ text: text.value })));
  }
  if (!acts.querySelector('form')) acts.appendChild(h('p', null, t('no_actions')));
  root.appendChild(acts);

  root.appendChild(h('section', { 'aria-labelledby': 'tl-h', class: 'timeline' }, h('h2', { id: 'tl-h' }, t('timeline')),
    h('ol', null, (k.events || []).map((e) => h('li', { class: 'event' },
      h('div', { class: 'ev-head' }, h('span', { class: 'seq' }, `#${e.seq}`), ' ', h('strong', null, e.kind),
        ` — ${e.actor}, ${fmtTime(e.at)}`),
      dl(Object.keys(e).map((f) => [EVENT_LABELS[f] ? t(EVENT_LABELS[f]) : f,
        f === 'data' ? dataList(e.data) : f === 'at' ? `${fmtTime(e.at)} (${e.at})`
          : /hash/.test(f) ? h('code', { class: 'hash' }, String(e[f] ?? '')) : String(e[f] ?? '—')])))))));
}
