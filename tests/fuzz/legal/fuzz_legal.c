/*
 * libFuzzer target for the legal tables loader and, when an input loads,
 * the engine over every code the input defines. Any crash, leak, UB or
 * failed assumption below is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "legal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* bounds per input, so that one execution stays fast */
#define MAX_EACH 8

static void
exercise(const struct vh_legal *l, const uint8_t *data, size_t size)
{
	struct vh_vocab v;
	uint32_t seed = 2166136261u;
	/* the regime boundaries, and dates far apart */
	static const int days[][3] = {
		{ 2020, 6, 30 }, { 2020, 7, 1 }, { 2025, 6, 30 }, { 2025, 7, 1 },
		{ 1900, 1, 1 }, { 9999, 12, 31 }, { 2024, 2, 29 }, { 2023, 1, 31 },
	};
	const char *forms[MAX_EACH + 1] = { NULL };
	size_t nforms = 0;

	for (size_t i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 16777619u;
	vh_legal_vocab(l, &v);
	/* the forms: gathered through the allowed lists */
	for (size_t c = 0; v.categories[c] && c < MAX_EACH; c++) {
		for (size_t k = 0; k < VH_NELEM(days); k++) {
			struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
			struct vh_legal_forms af;
			struct vh_legal_deadline dl;
			w.decision = w.detection = w.violation =
				vh_date_from_ymd(days[k][0], days[k][1], days[k][2]);
			for (int s = 0; s < 3; s++)
				if (vh_legal_allowed_forms(l, &af, v.categories[c], s & 1,
							   (enum vh_legal_status)s, &w) == 0)
					for (size_t f = 0; f < af.n && nforms < MAX_EACH; f++) {
						bool seen = false;
						for (size_t j = 0; j < nforms; j++)
							seen |= strcmp(forms[j], af.forms[f]) == 0;
						if (!seen)
							forms[nforms++] = af.forms[f];
					}
			vh_legal_deadline(l, &dl, &w, k & 1, (int)(seed % 400));
			vh_legal_ground_name(l, VH_LEGAL_GROUND_DEFERRAL, "illness", &w);
			vh_legal_ground_name(l, VH_LEGAL_GROUND_NO_LIMITATION, "fake_degree", &w);
		}
	}
	for (size_t c = 0; v.categories[c] && c < MAX_EACH; c++)
		for (size_t s = 0; v.severities[s] && s < MAX_EACH; s++)
			for (size_t f = 0; f <= nforms; f++) {
				const size_t k = (seed + c + s + f) % VH_NELEM(days);
				struct vh_legal_case cs = {
					.category = v.categories[c],
					.leader = (seed >> 3) & 1,
					.status = (enum vh_legal_status)((seed >> 5) % 3),
					.when = VH_LEGAL_DATES_INIT,
					.form = forms[f], /* NULL at the end: no sanction */
					.severity = v.severities[s],
					.no_limitation = (seed >> 7) & 1,
					.complex = (seed >> 8) & 1,
					.paused_days = (int)((seed >> 9) % 1000),
					.already_sanctioned = f == 1 && s == 1,
					.in_effect = f > 0 ? forms[f - 1] : NULL,
					.reason = (seed >> 4) & 1 ? "lý do" : NULL,
				};
				struct vh_legal_result r;
				struct vh_legal_effect ef;
				struct vh_legal_limit lim;
				struct vh_legal_suggestion sg;
				vh_date d = vh_date_from_ymd(days[k][0], days[k][1], days[k][2]);
				cs.when.violation = d;
				cs.when.detection = d + (int)(seed % 100);
				cs.when.decision = d + (int)(seed % 4000);
				vh_legal_check_decision(l, &r, &cs);
				if (r.verdict == VH_LEGAL_ACCEPTED && r.id != NULL)
					abort();
				if (r.verdict != VH_LEGAL_ACCEPTED && r.id == NULL)
					abort();
				if (forms[f]) {
					vh_legal_effect(l, &ef, forms[f], v.categories[c], &cs.when);
					vh_legal_form_name(l, forms[f]);
				}
				vh_legal_limitation(l, &lim, &cs.when, forms[f], cs.no_limitation,
						    cs.paused_days);
				vh_legal_ladder(l, &sg, v.severities[s], cs.in_effect,
						v.categories[c], cs.leader, cs.status, &cs.when);
			}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *names[] = { "fuzz.yaml" };
	const char *bufs[] = { (const char *)data };
	size_t lens[] = { size };
	struct vh_legal *l = NULL;
	struct vh_diag d;
	size_t before;

	vh_diag_init(&d);
	before = vh_diag_count(&d);
	if (vh_legal_load_buffers(&l, 1, names, bufs, lens, &d) == 0) {
		/* a loaded set came with no error, and an error loads nothing */
		if (vh_diag_count(&d) != before)
			abort();
		exercise(l, data, size);
	} else if (l != NULL || vh_diag_count(&d) == before) {
		abort();
	}
	vh_legal_free(l);
	vh_diag_free(&d);
	return 0;
}
