/*
 * The legal engine: answers questions about a case from the loaded tables
 * only. Pure: no I/O, no clock, no allocation; every date is an argument.
 * Semantics of the dates it returns: legal.h.
 */
#include <stdarg.h>
#include <stdio.h>

#define VH_LEGAL_INTERNAL
#include "legal.h"

/* pauses beyond a century are a caller's bug, and would overflow */
#define MAX_PAUSED_DAYS 36500

static const char *const status_names[] = { "active", "retired", "left", NULL };

int
vh_legal_status_parse(enum vh_legal_status *out, const char *s)
{
	for (int i = 0; s && status_names[i]; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum vh_legal_status)i;
			return 0;
		}
	return VH_LEGAL_EUNKNOWN;
}

/* a real civil date the arithmetic can take */
static bool
date_ok(vh_date d)
{
	return d >= vh_date_from_ymd(VH_DATE_MIN_YEAR, 1, 1) &&
	       d <= vh_date_from_ymd(VH_DATE_MAX_YEAR, 12, 31);
}

/*
 * The regime of part in force on `on` for category cat: a regime whose
 * `categories` list cat wins over one for every category. cat -1 (not
 * known, e.g. the procedure): the first regime of part in force.
 */
static const struct vh_legal_regime *
regime_on_cat(const struct vh_legal *l, enum vh_legal_part part, vh_date on, int cat)
{
	const struct vh_legal_regime *any = NULL;

	if ((unsigned int)part >= VH_LEGAL_NPARTS || on == VH_DATE_NONE)
		return NULL;
	for (size_t i = 0; i < l->nregimes; i++) {
		const struct vh_legal_regime *r = &l->regimes[i];
		if (!r->has[part] || r->from > on || on > r->to)
			continue;
		if (cat < 0)
			return r;
		if (r->cats == NULL && any == NULL)
			any = r;
		else if (r->cats && cat >= 0 && r->cats[cat])
			return r;
	}
	return any;
}

static const struct vh_legal_regime *
regime_on(const struct vh_legal *l, enum vh_legal_part part, vh_date on)
{
	return regime_on_cat(l, part, on, -1);
}

const char *
vh_legal_regime_on(const struct vh_legal *l, enum vh_legal_part part, vh_date on)
{
	const struct vh_legal_regime *r = regime_on(l, part, on);

	return r ? r->id : NULL;
}

vh_date
vh_legal_selecting_date(const struct vh_legal *l, enum vh_legal_part part,
			const struct vh_legal_dates *when)
{
	if (when == NULL || (unsigned int)part >= VH_LEGAL_NPARTS)
		return VH_DATE_NONE;
	for (size_t i = 0; i < l->nselect[part]; i++) {
		vh_date d = VH_DATE_NONE;
		switch ((enum vh_legal_datekind)l->select[part][i]) {
		case VH_LEGAL_DK_VIOLATION:
			d = when->violation;
			break;
		case VH_LEGAL_DK_DETECTION:
			d = when->detection;
			break;
		case VH_LEGAL_DK_DECISION:
			d = when->decision;
			break;
		case VH_LEGAL_DK_EFFECTIVE:
			d = when->effective;
			break;
		}
		if (d != VH_DATE_NONE)
			return d;
	}
	return VH_DATE_NONE;
}

static int
regime_for_cat(const struct vh_legal *l, enum vh_legal_part part,
	       const struct vh_legal_dates *when, int cat,
	       const struct vh_legal_regime **out)
{
	vh_date d;

	*out = NULL;
	if (when == NULL)
		return VH_LEGAL_EINVALID;
	if ((d = vh_legal_selecting_date(l, part, when)) == VH_DATE_NONE)
		return VH_LEGAL_ENODATE;
	if (!date_ok(d))
		return VH_LEGAL_EINVALID;
	if ((*out = regime_on_cat(l, part, d, cat)) == NULL)
		return VH_LEGAL_ENOREGIME;
	return 0;
}

static int
regime_for(const struct vh_legal *l, enum vh_legal_part part,
	   const struct vh_legal_dates *when, const struct vh_legal_regime **out)
{
	return regime_for_cat(l, part, when, -1, out);
}

static int
holding(const struct vh_legal_who *w)
{
	return w->elected ? 2 : w->leader ? 1 : 0;
}

/* the forms of (cat, status, holding); elected without its own list: as leader */
static const struct vh_legal_formset *
formset(const struct vh_legal_regime *r, int cat, int hold, enum vh_legal_status status)
{
	const struct vh_legal_formset *fs =
		&r->sets[((size_t)cat * VH_LEGAL_STATUSES + (size_t)status) * VH_LEGAL_HOLDINGS];

	if (hold == 2 && !fs[2].given)
		hold = 1;
	return &fs[hold];
}

int
vh_legal_allowed_forms_w(const struct vh_legal *l, struct vh_legal_forms *out,
			 const struct vh_legal_who *who, const struct vh_legal_dates *when)
{
	static const char *const none[] = { NULL };
	const struct vh_legal_regime *r;
	const struct vh_legal_formset *fs;
	int cat, e;

	memset(out, 0, sizeof(*out));
	out->forms = none;
	if (who == NULL || (unsigned int)who->status >= VH_LEGAL_STATUSES)
		return VH_LEGAL_EINVALID;
	if ((cat = vh_legal_index(l->categories, l->ncategories, who->category)) < 0)
		return VH_LEGAL_EUNKNOWN;
	if ((e = regime_for_cat(l, VH_LEGAL_FORMS, when, cat, &r)) < 0)
		return e;
	fs = formset(r, cat, holding(who), who->status);
	if (fs->codes) {
		out->forms = fs->codes;
		out->n = fs->n;
	}
	out->regime = r->id;
	out->basis = r->forms_basis;
	return 0;
}

int
vh_legal_allowed_forms(const struct vh_legal *l, struct vh_legal_forms *out,
		       const char *category, bool leader,
		       enum vh_legal_status status,
		       const struct vh_legal_dates *when)
{
	struct vh_legal_who w = { category, leader, false, status };

	return vh_legal_allowed_forms_w(l, out, &w, when);
}

const char *const *
vh_legal_severities_of(const struct vh_legal *l, const struct vh_legal_dates *when,
		       const char *category)
{
	const struct vh_legal_regime *r;

	if (regime_for_cat(l, VH_LEGAL_FORMS, when,
			   vh_legal_index(l->categories, l->ncategories, category), &r) < 0)
		return NULL;
	return r->sev_codes;
}

const char *
vh_legal_heaviest(const struct vh_legal *l, const char *const *forms, size_t n)
{
	const char *best = NULL;

	for (size_t i = 0; forms && i < n; i++)
		if (vh_legal_form_weight(l, forms[i]) >= 0 &&
		    (best == NULL || vh_legal_form_weight(l, forms[i]) >
					     vh_legal_form_weight(l, best)))
			best = forms[i];
	return best;
}

/* the period of r for level f (-1: the longest) and class klass */
static const struct vh_legal_period *
period_of(const struct vh_legal_regime *r, int f, const char *klass)
{
	const struct vh_legal_period *p = NULL;

	for (size_t i = 0; klass && i < r->nperiods; i++)
		for (const char **k = r->periods[i].classes; k && *k; k++)
			if (strcmp(*k, klass) == 0)
				return &r->periods[i];
	if (f >= 0 && r->period_of_form[f] >= 0)
		return &r->periods[r->period_of_form[f]];
	for (size_t i = 0; i < r->nperiods; i++)
		if (r->periods[i].classes == NULL &&
		    (p == NULL || r->periods[i].months > p->months))
			p = &r->periods[i];
	return p;
}

/* the expiry under r for an act whose period runs from `from` */
static int
expiry_in(const struct vh_legal_regime *r, struct vh_legal_limit *out, vh_date from, int f,
	  const struct vh_legal_limit_query *q)
{
	const struct vh_legal_period *p;

	out->regime = r->id;
	out->basis = r->limitation_basis;
	out->period = NULL;
	out->expires = VH_DATE_NONE;
	/* a regime without no-limitation grounds knows no exception */
	if (q->no_limitation && r->nno_limitation > 0)
		return 0;
	if ((p = period_of(r, f, q->klass)) == NULL) /* the loader requires periods */
		return VH_LEGAL_ENOREGIME;
	out->period = p->name;
	out->expires = vh_date_add_months(from, p->months);
	if (r->pauses_extend)
		out->expires += q->paused_days;
	if (r->after_deferral_days > 0 && q->deferral_ended != VH_DATE_NONE &&
	    q->deferral_ended != 0 && date_ok(q->deferral_ended) &&
	    q->deferral_ended + r->after_deferral_days > out->expires)
		out->expires = q->deferral_ended + r->after_deferral_days;
	return 0;
}

int
vh_legal_limitation_q(const struct vh_legal *l, struct vh_legal_limit *out,
		      const struct vh_legal_limit_query *q)
{
	const struct vh_legal_regime *r, *later;
	struct vh_legal_dates sel;
	vh_date from;
	int e, f = -1, cat = -1;

	memset(out, 0, sizeof(*out));
	out->expires = VH_DATE_NONE;
	if (q == NULL || q->paused_days < 0 || q->paused_days > MAX_PAUSED_DAYS)
		return VH_LEGAL_EINVALID;
	if (q->when.violation == VH_DATE_NONE)
		return VH_LEGAL_ENODATE;
	from = q->when.ended != VH_DATE_NONE ? q->when.ended : q->when.violation;
	if (!date_ok(q->when.violation) || !date_ok(from) || from < q->when.violation)
		return VH_LEGAL_EINVALID;
	if (q->level && (f = vh_legal_index(l->forms, l->nforms, q->level)) < 0)
		return VH_LEGAL_EUNKNOWN;
	if (q->category && (cat = vh_legal_index(l->categories, l->ncategories, q->category)) < 0)
		return VH_LEGAL_EUNKNOWN;
	/* the act is complete on the day it ended: that day picks the regime */
	sel = q->when;
	sel.violation = from;
	if ((e = regime_for_cat(l, VH_LEGAL_LIMITATION, &sel, cat, &r)) < 0)
		return e;
	if ((e = expiry_in(r, out, from, f, q)) < 0)
		return e;
	/* a new violation within the period: it counts again from the new act */
	for (size_t i = 0; r->restarts && q->later_acts && i < q->nlater; i++) {
		struct vh_legal_limit again;
		vh_date d = q->later_acts[i];
		if (out->expires == VH_DATE_NONE || d > out->expires)
			break;
		if (!date_ok(d) || d < from)
			continue;
		if (expiry_in(r, &again, d, f, q) == 0 && again.expires > out->expires)
			*out = again;
	}
	/*
	 * A later regime that takes over the acts still open on its first day
	 * (applies_to_running): the first such regime reached in time.
	 */
	while (out->expires != VH_DATE_NONE && r->to != VH_DATE_NONE &&
	       (later = regime_on_cat(l, VH_LEGAL_LIMITATION, r->to + 1, cat)) != NULL &&
	       out->expires >= later->from && later != r) {
		struct vh_legal_limit again;
		if (!later->applies_to_running)
			break;
		if (expiry_in(later, &again, from, f, q) < 0)
			break;
		*out = again;
		r = later;
	}
	return 0;
}

int
vh_legal_limitation(const struct vh_legal *l, struct vh_legal_limit *out,
		    const struct vh_legal_dates *when, const char *form,
		    bool no_limitation, int paused_days)
{
	struct vh_legal_limit_query q;

	memset(&q, 0, sizeof(q));
	if (when == NULL) {
		memset(out, 0, sizeof(*out));
		out->expires = VH_DATE_NONE;
		return VH_LEGAL_EINVALID;
	}
	q.when = *when;
	q.level = form;
	q.no_limitation = no_limitation;
	q.paused_days = paused_days;
	q.deferral_ended = VH_DATE_NONE;
	return vh_legal_limitation_q(l, out, &q);
}

bool
vh_legal_pauses_extend(const struct vh_legal *l, const struct vh_legal_dates *when,
		       const char *category)
{
	struct vh_legal_dates sel;
	const struct vh_legal_regime *r;

	if (when == NULL)
		return false;
	sel = *when;
	if (sel.ended != VH_DATE_NONE)
		sel.violation = sel.ended;
	return regime_for_cat(l, VH_LEGAL_LIMITATION, &sel,
			      vh_legal_index(l->categories, l->ncategories, category), &r) == 0 &&
	       r->pauses_extend;
}

/* Civil Code art. 148 [check]: a last day on a weekend or holiday moves on */
static vh_date
working_day(const struct vh_legal_regime *r, vh_date d)
{
	for (int guard = 0; r->next_working_day && guard < 366; guard++) {
		int wd = (int)(((int64_t)d % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
		bool off = wd == 0 || wd == 6;
		for (size_t i = 0; !off && i < r->nholidays; i++)
			off = r->holidays[i] == d;
		if (!off)
			break;
		d++;
	}
	return d;
}

int
vh_legal_deadline(const struct vh_legal *l, struct vh_legal_deadline *out,
		  const struct vh_legal_dates *when, bool complex, int paused_days)
{
	const struct vh_legal_regime *r;
	int e;

	memset(out, 0, sizeof(*out));
	out->due = VH_DATE_NONE;
	if (when == NULL || paused_days < 0 || paused_days > MAX_PAUSED_DAYS)
		return VH_LEGAL_EINVALID;
	if (when->detection == VH_DATE_NONE)
		return VH_LEGAL_ENODATE;
	if (!date_ok(when->detection))
		return VH_LEGAL_EINVALID;
	if ((e = regime_for(l, VH_LEGAL_PROCEDURE, when, &r)) < 0)
		return e;
	out->days = complex ? r->complex_days : r->handling_days;
	out->due = working_day(r, when->detection + out->days + paused_days);
	out->regime = r->id;
	out->basis = r->procedure_basis;
	return 0;
}

int
vh_legal_complaint_until(const struct vh_legal *l, vh_date *out,
			 const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;
	int e;

	*out = VH_DATE_NONE;
	if (when == NULL || when->decision == VH_DATE_NONE)
		return when ? VH_LEGAL_ENODATE : VH_LEGAL_EINVALID;
	if (!date_ok(when->decision))
		return VH_LEGAL_EINVALID;
	if ((e = regime_for(l, VH_LEGAL_PROCEDURE, when, &r)) < 0)
		return e;
	if (r->complaint_days > 0)
		*out = working_day(r, when->decision + r->complaint_days);
	return 0;
}

/* the row of rows for form f: one listing it, else the default */
static const struct vh_legal_window_row *
window_for(const struct vh_legal_window_row *rows, size_t n, int f)
{
	const struct vh_legal_window_row *dflt = NULL;

	for (size_t i = 0; i < n; i++) {
		if (rows[i].forms == NULL)
			dflt = &rows[i];
		else if (f >= 0 && rows[i].forms[f])
			return &rows[i];
	}
	return dflt;
}

int
vh_legal_complaint(const struct vh_legal *l, struct vh_legal_window *out,
		   const struct vh_legal_complaint_q *q)
{
	const struct vh_legal_regime *r;
	const struct vh_legal_window_row *w = NULL;
	vh_date from;
	int e, f = -1;

	memset(out, 0, sizeof(*out));
	out->until = VH_DATE_NONE;
	if (q == NULL || q->obstacle_days < 0 || q->obstacle_days > MAX_PAUSED_DAYS)
		return VH_LEGAL_EINVALID;
	if (q->when.decision == VH_DATE_NONE)
		return VH_LEGAL_ENODATE;
	if (q->form && (f = vh_legal_index(l->forms, l->nforms, q->form)) < 0)
		return VH_LEGAL_EUNKNOWN;
	from = q->received != VH_DATE_NONE ? q->received : q->when.decision;
	if (!date_ok(q->when.decision) || !date_ok(from) ||
	    (q->answered != VH_DATE_NONE && !date_ok(q->answered)))
		return VH_LEGAL_EINVALID;
	if ((e = regime_for(l, VH_LEGAL_PROCEDURE, &q->when, &r)) < 0)
		return e;
	out->regime = r->id;
	out->basis = r->complaint_basis ? (const char *const *)r->complaint_basis
					: (const char *const *)r->procedure_basis;
	if (q->court) {
		if ((w = window_for(r->court, r->ncourt, f)) == NULL)
			return VH_LEGAL_EUNKNOWN;
	} else if (q->answered != VH_DATE_NONE) {
		if ((w = window_for(r->second, r->nsecond, f)) == NULL)
			return VH_LEGAL_EUNKNOWN;
		from = q->answered;
	} else if (r->complaint_days <= 0) {
		return 0; /* no window */
	}
	if (w)
		out->until = w->months ? vh_date_add_months(from, w->months) : from + w->days;
	else
		out->until = from + r->complaint_days;
	out->until = working_day(r, out->until + q->obstacle_days);
	return 0;
}

const char *
vh_legal_no_council_ground(const struct vh_legal *l, const char *code,
			   const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;

	if (code == NULL || regime_for(l, VH_LEGAL_PROCEDURE, when, &r) < 0)
		return NULL;
	for (size_t i = 0; i < r->nno_council; i++)
		if (strcmp(r->no_council[i].code, code) == 0)
			return r->no_council[i].name;
	return NULL;
}

bool
vh_legal_without_council(const struct vh_legal *l, const char *category,
			 const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;
	int cat = vh_legal_index(l->categories, l->ncategories, category);

	return cat >= 0 && regime_for(l, VH_LEGAL_PROCEDURE, when, &r) == 0 &&
	       r->without_council && r->without_council[cat];
}

int
vh_legal_party_days(const struct vh_legal *l, const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;

	return regime_for(l, VH_LEGAL_PROCEDURE, when, &r) == 0 ? r->party_days : 0;
}

const char *
vh_legal_party_form(const struct vh_legal *l, const char *party_code,
		    const struct vh_legal_who *who, const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;
	struct vh_legal_forms af;

	if (party_code == NULL || regime_for(l, VH_LEGAL_PROCEDURE, when, &r) < 0)
		return NULL;
	for (size_t i = 0; i < r->nparty; i++) {
		if (strcmp(r->party[i].code, party_code) != 0)
			continue;
		if (r->party[i].form >= 0)
			return l->forms[r->party[i].form].code;
		/* the heaviest form the official can receive */
		if (vh_legal_allowed_forms_w(l, &af, who, when) < 0 || af.n == 0)
			return NULL;
		return af.forms[af.n - 1];
	}
	return NULL;
}

const char *
vh_legal_open_case_block(const struct vh_legal *l, const struct vh_legal_dates *when,
			 size_t i, const char **name, const char *const **basis)
{
	const struct vh_legal_regime *r;

	if (regime_for(l, VH_LEGAL_PROCEDURE, when, &r) < 0 || i >= r->nblocks)
		return NULL;
	*name = r->blocks[i].name;
	*basis = (const char *const *)r->blocks_basis;
	return r->blocks[i].code;
}

const char *const *
vh_legal_procedure_basis(const struct vh_legal *l, const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;

	return regime_for(l, VH_LEGAL_PROCEDURE, when, &r) == 0 ? r->procedure_basis : NULL;
}

int
vh_legal_effect(const struct vh_legal *l, struct vh_legal_effect *out,
		const char *form, const char *category,
		const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;
	vh_date from;
	size_t x;
	int f, cat, e;

	memset(out, 0, sizeof(*out));
	out->effect_until = out->freeze_until = VH_DATE_NONE;
	if (when == NULL)
		return VH_LEGAL_EINVALID;
	if ((f = vh_legal_index(l->forms, l->nforms, form)) < 0 ||
	    (cat = vh_legal_index(l->categories, l->ncategories, category)) < 0)
		return VH_LEGAL_EUNKNOWN;
	from = when->effective != VH_DATE_NONE ? when->effective : when->decision;
	if (from == VH_DATE_NONE)
		return VH_LEGAL_ENODATE;
	if (!date_ok(from))
		return VH_LEGAL_EINVALID;
	if ((e = regime_for_cat(l, VH_LEGAL_EFFECTS, when, cat, &r)) < 0)
		return e;
	x = (size_t)cat * l->nforms + (size_t)f;
	if (!r->effect_set[x])
		return VH_LEGAL_EUNKNOWN;
	if (r->effect_months[x] > 0)
		out->effect_until = vh_date_add_months(from, r->effect_months[x]);
	if (r->freeze_months[x] > 0)
		out->freeze_until = vh_date_add_months(from, r->freeze_months[x]);
	out->raise_delay_months = r->raise_months ? r->raise_months[x] : 0;
	out->regime = r->id;
	out->basis = r->effects_basis;
	return 0;
}

static int
weight(const struct vh_legal *l, int f)
{
	return l->forms[f].weight;
}

/* f moved to a form of fs, as the ladder says; -1 if fs is empty */
static int
fit(const struct vh_legal *l, const struct vh_legal_regime *lad,
    const struct vh_legal_formset *fs, int f)
{
	int best = -1;

	if (fs->n == 0 || f < 0)
		return -1;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->forms[i] == f)
			return f;
	/* fs is sorted lightest first */
	if (lad->nearest_heavier) {
		for (size_t i = 0; i < fs->n && best < 0; i++)
			if (weight(l, fs->forms[i]) > weight(l, f))
				best = fs->forms[i];
		return best >= 0 ? best : fs->forms[fs->n - 1];
	}
	for (size_t i = 0; i < fs->n; i++)
		if (weight(l, fs->forms[i]) < weight(l, f))
			best = fs->forms[i];
	return best >= 0 ? best : fs->forms[0];
}

/* a row's form for a holding: elected without its own form is as leader */
static int
row_form(const struct vh_legal_lrow *w, int hold)
{
	return w->form[hold] >= 0 ? w->form[hold] : hold == 2 ? w->form[1] : -1;
}

/* the `first` form for (sev, cat, status, holding): the narrowest row that fits */
static int
first_form(const struct vh_legal_regime *r, int sev, int cat, enum vh_legal_status st, int hold)
{
	int best = -1, score = -1;

	for (size_t i = 0; i < r->nlrows; i++) {
		const struct vh_legal_lrow *w = &r->lrows[i];
		int sc = (w->cats ? 1 : 0) + (w->statuses ? 2 : 0);
		if (w->sev != sev || (w->cats && !w->cats[cat]) ||
		    (w->statuses && !(w->statuses & (1u << st))) || row_form(w, hold) < 0)
			continue;
		if (sc > score) {
			best = row_form(w, hold);
			score = sc;
		}
	}
	return best;
}

/* the lightest form of fs heavier than f, else the heaviest of fs */
static int
one_heavier(const struct vh_legal *l, const struct vh_legal_formset *fs, int f)
{
	for (size_t i = 0; i < fs->n; i++)
		if (weight(l, fs->forms[i]) > weight(l, f))
			return fs->forms[i];
	return fs->forms[fs->n - 1];
}

int
vh_legal_ladder_w(const struct vh_legal *l, struct vh_legal_suggestion *out,
		  const char *severity, const char *in_effect,
		  const struct vh_legal_who *who, const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *rl, *rf;
	const struct vh_legal_formset *fs;
	int sev, cat, in = -1, base, step = -1, e, hold;

	memset(out, 0, sizeof(*out));
	if (who == NULL || (unsigned int)who->status >= VH_LEGAL_STATUSES)
		return VH_LEGAL_EINVALID;
	if ((sev = vh_legal_index(l->severities, l->nseverities, severity)) < 0 ||
	    (cat = vh_legal_index(l->categories, l->ncategories, who->category)) < 0 ||
	    (in_effect && (in = vh_legal_index(l->forms, l->nforms, in_effect)) < 0))
		return VH_LEGAL_EUNKNOWN;
	if ((e = regime_for_cat(l, VH_LEGAL_LADDER, when, cat, &rl)) < 0 ||
	    (e = regime_for_cat(l, VH_LEGAL_FORMS, when, cat, &rf)) < 0)
		return e;
	out->regime = rl->id;
	out->basis = rl->ladder_basis;
	hold = holding(who);
	fs = formset(rf, cat, hold, who->status);
	if (fs->n == 0)
		return 0;
	base = fit(l, rl, fs, first_form(rl, sev, cat, who->status, hold));
	if (in >= 0) {
		int ah = rl->after[in * VH_LEGAL_HOLDINGS + hold];
		if (ah < 0 && hold == 2)
			ah = rl->after[in * VH_LEGAL_HOLDINGS + 1];
		if (rl->step_from_heavier && base >= 0 && weight(l, base) > weight(l, in)) {
			/* Decree 172: a new act heavier than the sanction in effect */
			step = one_heavier(l, fs, base);
		} else if (ah >= 0) {
			step = fit(l, rl, fs, ah);
		} else if (rl->one_heavier) {
			step = one_heavier(l, fs, in);
		}
	}
	if (step >= 0 && (base < 0 || weight(l, step) > weight(l, base)))
		base = step;
	out->form = base >= 0 ? l->forms[base].code : NULL;
	return 0;
}

int
vh_legal_ladder(const struct vh_legal *l, struct vh_legal_suggestion *out,
		const char *severity, const char *in_effect,
		const char *category, bool leader,
		enum vh_legal_status status,
		const struct vh_legal_dates *when)
{
	struct vh_legal_who w = { category, leader, false, status };

	return vh_legal_ladder_w(l, out, severity, in_effect, &w, when);
}

static void
msgf(struct vh_legal_result *out, const char *fmt, ...) VH_PRINTF(2, 3);

static void
msgf(struct vh_legal_result *out, const char *fmt, ...)
{
	size_t len = strlen(out->message);
	va_list ap;

	if (len >= sizeof(out->message) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(out->message + len, sizeof(out->message) - len, fmt, ap);
	va_end(ap);
}

static enum vh_legal_verdict
refuse(struct vh_legal_result *out, const char *id, const char *const *basis)
{
	out->verdict = VH_LEGAL_REFUSED;
	out->id = id;
	out->basis = basis;
	return out->verdict;
}

static const char *
name_of(const struct vh_legal_entry *e, size_t n, const char *code)
{
	int i = vh_legal_index(e, n, code);

	return i >= 0 ? e[i].name : NULL;
}

/* the input a check needs: a refusal id, or NULL */
static const char *
check_input(const struct vh_legal *l, struct vh_legal_result *out,
	    const struct vh_legal_case *c)
{
	const struct vh_legal_dates *w = &c->when;

	if (!vh_legal_has_category(l, c->category)) {
		msgf(out, "unknown category '%s'", c->category ? c->category : "(none)");
		return "unknown_category";
	}
	if (c->form && !vh_legal_has_severity(l, c->severity)) {
		msgf(out, "unknown severity '%s'", c->severity ? c->severity : "(none)");
		return "unknown_severity";
	}
	if ((c->form && !vh_legal_has_form(l, c->form)) ||
	    (c->in_effect && !vh_legal_has_form(l, c->in_effect))) {
		msgf(out, "unknown form '%s'",
		     c->form && !vh_legal_has_form(l, c->form) ? c->form : c->in_effect);
		return "unknown_form";
	}
	if ((unsigned int)c->status >= VH_LEGAL_STATUSES) {
		msgf(out, "unknown official status");
		return "bad_case";
	}
	if (c->paused_days < 0 || c->paused_days > MAX_PAUSED_DAYS) {
		msgf(out, "paused days must be between 0 and %d", MAX_PAUSED_DAYS);
		return "bad_case";
	}
	if (w->violation == VH_DATE_NONE || w->decision == VH_DATE_NONE) {
		msgf(out, "the violation date and the decision date are required");
		return "bad_case";
	}
	if (!date_ok(w->violation) || !date_ok(w->decision) ||
	    (w->detection != VH_DATE_NONE && !date_ok(w->detection)) ||
	    (w->effective != VH_DATE_NONE && !date_ok(w->effective))) {
		msgf(out, "a date is out of range");
		return "bad_case";
	}
	if (w->decision < w->violation ||
	    (w->detection != VH_DATE_NONE &&
	     (w->detection < w->violation || w->detection > w->decision)) ||
	    (w->effective != VH_DATE_NONE && w->effective < w->decision) ||
	    (w->ended != VH_DATE_NONE &&
	     (!date_ok(w->ended) || w->ended < w->violation || w->ended > w->decision))) {
		msgf(out, "dates out of order: violation <= detection <= decision <= effective,"
			  " violation <= ended <= decision");
		return "bad_case";
	}
	return NULL;
}

static void
list_forms(struct vh_legal_result *out, const struct vh_legal_forms *af)
{
	if (af->n == 0) {
		msgf(out, "none");
		return;
	}
	for (size_t i = 0; i < af->n; i++)
		msgf(out, "%s%s", i ? ", " : "", af->forms[i]);
}

enum vh_legal_verdict
vh_legal_check_decision(const struct vh_legal *l, struct vh_legal_result *out,
			const struct vh_legal_case *c)
{
	struct vh_legal_forms af;
	struct vh_legal_limit lim;
	struct vh_legal_deadline dl;
	struct vh_legal_suggestion sg;
	const struct vh_legal_regime *rf = NULL;
	char d1[VH_DATE_STRLEN], d2[VH_DATE_STRLEN];
	struct vh_legal_limit_query q;
	struct vh_legal_who who = { c->category, c->leader, c->elected, c->status };
	const char *const *sevs;
	const char *id;
	bool have_lim, have_sg;

	memset(out, 0, sizeof(*out));
	out->limitation_expires = VH_DATE_NONE;
	out->deadline = VH_DATE_NONE;
	if ((id = check_input(l, out, c)) != NULL)
		return refuse(out, id, NULL);
	/*
	 * The level the violation deserves: the ladder's form for its
	 * severity (and any sanction in effect), never the form proposed.
	 */
	have_sg = c->severity &&
		  vh_legal_ladder_w(l, &sg, c->severity, c->in_effect, &who, &c->when) == 0 &&
		  sg.form;
	memset(&q, 0, sizeof(q));
	q.when = c->when;
	q.category = c->category;
	q.level = have_sg ? sg.form : NULL;
	q.klass = c->klass;
	q.no_limitation = c->no_limitation;
	q.paused_days = c->paused_days;
	q.deferral_ended = c->deferral_ended ? c->deferral_ended : VH_DATE_NONE;
	q.later_acts = c->later_acts;
	q.nlater = c->nlater;
	/* what can be known is reported even when a check refuses */
	have_lim = vh_legal_limitation_q(l, &lim, &q) == 0;
	if (have_lim) {
		out->limitation_regime = lim.regime;
		out->limitation_expires = lim.expires;
		out->level = q.level;
	}
	if (c->when.detection != VH_DATE_NONE &&
	    vh_legal_deadline(l, &dl, &c->when, c->complex, c->paused_days) == 0)
		out->deadline = dl.due;
	if (regime_for_cat(l, VH_LEGAL_FORMS, &c->when,
			   vh_legal_index(l->categories, l->ncategories, c->category), &rf) == 0)
		out->forms_regime = rf->id;
	if (c->form == NULL) {
		out->verdict = VH_LEGAL_ACCEPTED;
		return out->verdict;
	}
	if (rf == NULL) {
		vh_date_format(d1, c->when.decision);
		msgf(out, "no regime gives sanction forms on %s", d1);
		return refuse(out, "no_regime", NULL);
	}
	/* a level the regime of the decision does not have (Decree 172/2025: three) */
	if ((sevs = vh_legal_severities_of(l, &c->when, c->category)) != NULL) {
		bool found = false;
		for (const char *const *sv = sevs; *sv; sv++)
			found |= strcmp(*sv, c->severity) == 0;
		if (!found) {
			vh_date_format(d1, c->when.decision);
			msgf(out, "severity %s (%s) is not a level of regime '%s' on %s; its levels: ",
			     c->severity, name_of(l->severities, l->nseverities, c->severity),
			     rf->id, d1);
			for (const char *const *sv = sevs; *sv; sv++)
				msgf(out, "%s%s", sv == sevs ? "" : ", ", *sv);
			return refuse(out, "severity_not_in_regime", rf->forms_basis);
		}
	}
	if (c->already_sanctioned) {
		msgf(out, "this violation already has a sanction: one violation is sanctioned once");
		return refuse(out, "already_sanctioned", rf->double_basis);
	}
	vh_legal_allowed_forms_w(l, &af, &who, &c->when);
	for (size_t i = 0; i < af.n; i++)
		if (strcmp(af.forms[i], c->form) == 0)
			goto allowed;
	vh_date_format(d1, c->when.decision);
	msgf(out, "%s (%s) is not a sanction for %s (%s)%s%s in regime '%s' on %s; allowed: ",
	     c->form, name_of(l->forms, l->nforms, c->form), c->category,
	     name_of(l->categories, l->ncategories, c->category),
	     c->elected ? ", elected" : c->leader ? ", leader" : "",
	     c->status == VH_LEGAL_RETIRED ? ", retired" :
	     c->status == VH_LEGAL_LEFT ? ", left" : "", af.regime, d1);
	list_forms(out, &af);
	return refuse(out, "form_not_allowed", af.basis);
allowed:
	if (!have_lim) {
		vh_date_format(d1, c->when.violation);
		msgf(out, "no regime gives the limitation period for a violation on %s", d1);
		return refuse(out, "no_regime", NULL);
	}
	if (lim.expires != VH_DATE_NONE && c->when.decision > lim.expires) {
		vh_date_format(d1, c->when.decision);
		vh_date_format(d2, lim.expires);
		msgf(out, "time-barred: the limitation period '%s' of regime '%s' ended on %s (decision on %s)",
		     lim.period, lim.regime, d2, d1);
		if (q.level)
			msgf(out, "; the period is that of %s, the level the violation deserves",
			     q.level);
		return refuse(out, "time_barred", lim.basis);
	}
	if (have_sg) {
		out->suggested = sg.form;
		if (strcmp(sg.form, c->form) != 0) {
			if (c->reason == NULL || c->reason[0] == '\0') {
				msgf(out, "%s departs from the ladder, which suggests %s (%s): state a reason",
				     c->form, sg.form, name_of(l->forms, l->nforms, sg.form));
				return refuse(out, "ladder_reason_required", sg.basis);
			}
			out->warnings |= VH_LEGAL_WARN_LADDER;
			out->id = "ladder_departure";
			out->basis = sg.basis;
			msgf(out, "%s departs from the ladder, which suggests %s (%s); reason recorded",
			     c->form, sg.form, name_of(l->forms, l->nforms, sg.form));
		}
	}
	if (out->deadline != VH_DATE_NONE && c->when.decision > out->deadline) {
		vh_date_format(d1, out->deadline);
		out->warnings |= VH_LEGAL_WARN_DEADLINE;
		if (out->id == NULL) {
			out->id = "deadline_passed";
			out->basis = dl.basis;
		}
		msgf(out, "%sdecided after the handling deadline %s", out->message[0] ? "; " : "", d1);
	}
	out->verdict = out->warnings ? VH_LEGAL_ACCEPTED_WITH_WARNING : VH_LEGAL_ACCEPTED;
	return out->verdict;
}

const char *
vh_legal_form_name(const struct vh_legal *l, const char *code)
{
	return name_of(l->forms, l->nforms, code);
}

const char *
vh_legal_entry(const struct vh_legal *l, enum vh_legal_list which, size_t i, const char **name,
	       const char **name_en)
{
	const struct vh_legal_entry *e = which == VH_LEGAL_LIST_CATEGORIES ? l->categories
				       : which == VH_LEGAL_LIST_SEVERITIES ? l->severities
								      : l->forms;
	size_t n = which == VH_LEGAL_LIST_CATEGORIES ? l->ncategories
		 : which == VH_LEGAL_LIST_SEVERITIES ? l->nseverities
						: l->nforms;

	if (i >= n)
		return NULL;
	*name = e[i].name;
	*name_en = e[i].name_en;
	return e[i].code;
}

const char *
vh_legal_category_name(const struct vh_legal *l, const char *code)
{
	return name_of(l->categories, l->ncategories, code);
}

const char *
vh_legal_severity_name(const struct vh_legal *l, const char *code)
{
	return name_of(l->severities, l->nseverities, code);
}

int
vh_legal_form_weight(const struct vh_legal *l, const char *code)
{
	int i = vh_legal_index(l->forms, l->nforms, code);

	return i >= 0 ? l->forms[i].weight : -1;
}

const char *
vh_legal_ground_name(const struct vh_legal *l, enum vh_legal_ground kind,
		     const char *code, const struct vh_legal_dates *when)
{
	const struct vh_legal_regime *r;
	const struct vh_legal_gnd *g;
	size_t n;

	if (code == NULL)
		return NULL;
	if (regime_for(l, kind == VH_LEGAL_GROUND_NO_LIMITATION ? VH_LEGAL_LIMITATION
								: VH_LEGAL_PROCEDURE,
		       when, &r) < 0)
		return NULL;
	switch (kind) {
	case VH_LEGAL_GROUND_DEFERRAL:
		g = r->deferral, n = r->ndeferral;
		break;
	case VH_LEGAL_GROUND_WAIVER:
		g = r->waiver, n = r->nwaiver;
		break;
	case VH_LEGAL_GROUND_NO_LIMITATION:
		g = r->no_limitation, n = r->nno_limitation;
		break;
	default:
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(g[i].code, code) == 0)
			return g[i].name;
	return NULL;
}
