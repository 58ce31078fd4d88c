/*
 * Discipline law as data (config/legal/ (YAML), format in
 * docs/legal-format.md) and the legal engine that reads it. The engine is
 * pure: no I/O, no clock; every date is an argument. Nothing of the law is
 * a constant in C: categories, forms, periods, grounds and which regime
 * applies to which part of a case all come from the tables.
 *
 * OWNER: the conduct-code issue (#3). The entry points up to vh_legal_has_form
 * are used by vhcvd and the rules loader; keep their signatures.
 *
 * Date semantics (Civil Code 2015 art. 147-148 [check]): a period of N
 * days, months or years that starts with an event on day D does not count
 * D and ends at the end of D + N; a month or year period that would end on
 * a day the month lacks ends on the month's last day (31/01 + 1 month =
 * 28/02 or 29/02; 29/02/2024 + 2 years = 28/02/2026). So every date the
 * engine returns is the LAST day of a period, inclusive:
 *   - limitation expiry: the last day on which a sanction may still be
 *     decided; a decision signed the day after is time-barred;
 *   - handling deadline: the last day for the decision;
 *   - effect_until / freeze_until: the last day the sanction or the freeze
 *     is in effect; it has ended on the next day.
 * Paused days (deferral, prosecution, complaint) move an expiry or a
 * deadline later by that many days.
 *
 * A regime is in force from its valid_from to its valid_to, both days
 * included: with regime A to 2025-06-30 and regime B from 2025-07-01, a
 * violation on 2025-06-30 takes A's limitation, one on 2025-07-01 B's.
 */
#ifndef VH_LEGAL_H
#define VH_LEGAL_H

#include "common.h"
#include "date.h"

struct vh_legal;

/* Largest legal table file read. */
#define VH_LEGAL_MAX_BYTES (1024 * 1024)

/*
 * Load a file, or every *.yaml of a folder (in name order), as one set of
 * tables. 0, or -1 with every error in d as "file:line:col: message"; a
 * set with any error is not returned.
 */
int vh_legal_load_path(struct vh_legal **out, const char *path, struct vh_diag *d);
/* The same from buffers (tests, fuzzing): n files named names[i]. */
int vh_legal_load_buffers(struct vh_legal **out, size_t n, const char *const *names,
			  const char *const *bufs, const size_t *lens, struct vh_diag *d);
void vh_legal_free(struct vh_legal *l);
/* SHA-256 (hex) over the loaded files' contents: the tables' version */
const char *vh_legal_hash(const struct vh_legal *l);

/*
 * Codes the conduct code may use, as NULL-terminated lists; a NULL list
 * is not checked. The rules loader takes one of these, so it does not
 * depend on how the legal tables are stored.
 */
struct vh_vocab {
	const char *const *categories;
	const char *const *severities;
};

/* The vocabulary of the loaded tables; the lists are borrowed from l. */
void vh_legal_vocab(const struct vh_legal *l, struct vh_vocab *out);

/*
 * The names of the vocabulary, for pages in two languages: the i-th
 * category, severity or form (in the tables' order) with its Vietnamese
 * and English names; NULL past the end. Borrowed from l.
 */
enum vh_legal_list { VH_LEGAL_LIST_CATEGORIES, VH_LEGAL_LIST_SEVERITIES, VH_LEGAL_LIST_FORMS };
const char *vh_legal_entry(const struct vh_legal *l, enum vh_legal_list which, size_t i,
			   const char **name, const char **name_en);

bool vh_legal_has_category(const struct vh_legal *l, const char *code);
bool vh_legal_has_severity(const struct vh_legal *l, const char *code);
bool vh_legal_has_form(const struct vh_legal *l, const char *code);

/*
 * The engine. Every string and list returned is borrowed from l and valid
 * until vh_legal_free(l). Functions returning int give 0 or one of:
 */
enum vh_legal_err {
	VH_LEGAL_EUNKNOWN = -1,  /* a code (category, form, severity) the tables lack */
	VH_LEGAL_ENODATE = -2,   /* none of the dates that select the regime is given */
	VH_LEGAL_ENOREGIME = -3, /* no regime covers that part on that date */
	VH_LEGAL_EINVALID = -4,  /* a bad argument (negative paused days, NULL) */
};

/* Parts of the law; the tables say which date selects each part's regime. */
enum vh_legal_part {
	VH_LEGAL_FORMS,      /* sanction forms per category */
	VH_LEGAL_LADDER,     /* suggested form */
	VH_LEGAL_EFFECTS,    /* effect and career-freeze periods */
	VH_LEGAL_LIMITATION, /* limitation periods, no-limitation grounds */
	VH_LEGAL_PROCEDURE,  /* handling deadline, deferral and waiver grounds */
	VH_LEGAL_NPARTS
};

/* The official's status (DESIGN: active / retired / left). */
enum vh_legal_status { VH_LEGAL_ACTIVE, VH_LEGAL_RETIRED, VH_LEGAL_LEFT };

/* "active", "retired", "left": 0, or VH_LEGAL_EUNKNOWN */
int vh_legal_status_parse(enum vh_legal_status *out, const char *s);

/*
 * The dates of a case; VH_DATE_NONE where not (yet) known. The tables'
 * regime_selection names, per part, a list of these: the first one given
 * picks the regime in force on it.
 */
struct vh_legal_dates {
	vh_date violation; /* the act (a continuing act: the day it began) */
	vh_date detection;
	vh_date decision;  /* the decision is signed */
	vh_date effective; /* the decision takes effect */
	/*
	 * The day the act ended; for an act still continuing at detection,
	 * the detection date. VH_DATE_NONE: the act ended the day it was
	 * done (violation). The limitation period runs from it.
	 */
	vh_date ended;
};
#define VH_LEGAL_DATES_INIT { VH_DATE_NONE, VH_DATE_NONE, VH_DATE_NONE, VH_DATE_NONE, VH_DATE_NONE }

/* The regime in force for part on day on: its id, or NULL. */
const char *vh_legal_regime_on(const struct vh_legal *l, enum vh_legal_part part,
			       vh_date on);
/* The date that selects part's regime for a case, or VH_DATE_NONE. */
vh_date vh_legal_selecting_date(const struct vh_legal *l, enum vh_legal_part part,
				const struct vh_legal_dates *when);

/* Allowed forms, lightest first (NULL-terminated, n of them; may be 0). */
struct vh_legal_forms {
	const char *const *forms;
	size_t n;
	const char *regime;       /* id of the regime used */
	const char *const *basis; /* legal basis (NULL-terminated) */
};
int vh_legal_allowed_forms(const struct vh_legal *l, struct vh_legal_forms *out,
			   const char *category, bool leader,
			   enum vh_legal_status status,
			   const struct vh_legal_dates *when);

/*
 * Who is disciplined: the category, the leader flag, whether a cán bộ
 * holds an elected office (else approved/appointed/designated), status.
 */
struct vh_legal_who {
	const char *category;
	bool leader;
	bool elected;
	enum vh_legal_status status;
};
/* vh_legal_allowed_forms for who (elected: the regime's `elected` list if any) */
int vh_legal_allowed_forms_w(const struct vh_legal *l, struct vh_legal_forms *out,
			     const struct vh_legal_who *who,
			     const struct vh_legal_dates *when);

/*
 * Limitation expiry: the last day a sanction may be decided for an act of
 * q->level (the form the violation DESERVES under the ladder, never the
 * form proposed; NULL: the longest period, for a case whose level is not
 * known yet), counted from when.ended (else when.violation), in the
 * limitation regime for q->category (NULL: the regimes for every
 * category) that regime_selection picks. VH_DATE_NONE when the rule has no
 * limitation (no_limitation) and the regime knows no-limitation grounds.
 * paused_days move it later only when the regime says pauses_extend; a
 * regime with after_deferral_days keeps it at least that many days after
 * deferral_ended. A regime with applies_to_running takes over acts of an
 * earlier regime not yet time-barred on its first day.
 */
struct vh_legal_limit_query {
	struct vh_legal_dates when;
	const char *category;
	const char *level;
	const char *klass;        /* the rule's limitation class, NULL: none */
	bool no_limitation;
	int paused_days;
	vh_date deferral_ended;   /* VH_DATE_NONE: no deferral ended */
	/*
	 * Later violations of the same official, days in ascending order
	 * (NULL: none): one within the period makes it count again from it,
	 * where the regime says new_violation_restarts (Law 52/2019 art. 80).
	 */
	const vh_date *later_acts;
	size_t nlater;
};
struct vh_legal_limit {
	vh_date expires;
	const char *period;       /* the period's name ("reprimand"), NULL if none */
	const char *regime;
	const char *const *basis;
};
int vh_legal_limitation_q(const struct vh_legal *l, struct vh_legal_limit *out,
			  const struct vh_legal_limit_query *q);
/* the same for every category, no class, no deferral end */
int vh_legal_limitation(const struct vh_legal *l, struct vh_legal_limit *out,
			const struct vh_legal_dates *when, const char *form,
			bool no_limitation, int paused_days);
/* whether pauses move the limitation of the case (the regime's pauses_extend) */
bool vh_legal_pauses_extend(const struct vh_legal *l, const struct vh_legal_dates *when,
			    const char *category);

/*
 * Handling deadline: the last day for the decision, counted from
 * when->detection (normal or complex days) plus paused_days.
 */
struct vh_legal_deadline {
	vh_date due;
	int days;                 /* the period applied, before pauses */
	const char *regime;
	const char *const *basis;
};
int vh_legal_deadline(const struct vh_legal *l, struct vh_legal_deadline *out,
		      const struct vh_legal_dates *when, bool complex,
		      int paused_days);

/*
 * The last day to file a complaint against a decision signed on
 * when->decision (procedure part): *out, or VH_DATE_NONE when the regime
 * sets no window. 0 or a VH_LEGAL_E* code.
 */
int vh_legal_complaint_until(const struct vh_legal *l, vh_date *out,
			     const struct vh_legal_dates *when);

/*
 * The last day to complain or go to court (Law on Complaints 2011 art. 48,
 * the procedure part of the decision date): a first complaint counts from
 * the day the official received the decision (received; NONE: signed), a
 * second one from the day the first was answered (answered), a court
 * action from received; obstacle_days (an objective obstacle) are not
 * counted. 0, or VH_LEGAL_EUNKNOWN when the tables give no such window
 * for form (no court action against a reprimand), or another code.
 */
struct vh_legal_complaint_q {
	struct vh_legal_dates when;   /* decision: the signing date */
	const char *form;
	vh_date received;
	vh_date answered;             /* NONE: a first complaint */
	bool court;
	int obstacle_days;
};
struct vh_legal_window {
	vh_date until;
	const char *regime;
	const char *const *basis;
};
int vh_legal_complaint(const struct vh_legal *l, struct vh_legal_window *out,
		       const struct vh_legal_complaint_q *q);

/*
 * No review meeting and no council (Decree 71/2023): the name of the
 * ground code in the procedure regime of when, or NULL; and whether
 * category goes without a council at all (cán bộ).
 */
const char *vh_legal_no_council_ground(const struct vh_legal *l, const char *code,
				       const struct vh_legal_dates *when);
bool vh_legal_without_council(const struct vh_legal *l, const char *category,
			      const struct vh_legal_dates *when);
/*
 * After a Party sanction: the days within which the administrative
 * discipline must start (0: none), and the form that corresponds to the
 * Party sanction party_code for who (expulsion: the heaviest the official
 * can receive): its code, or NULL when party_code is unknown.
 */
int vh_legal_party_days(const struct vh_legal *l, const struct vh_legal_dates *when);
const char *vh_legal_party_form(const struct vh_legal *l, const char *party_code,
				const struct vh_legal_who *who,
				const struct vh_legal_dates *when);
/*
 * What an open case holds back for the official (Law 52/2019 art. 82(2):
 * retirement, resignation, transfer, grade promotion): the i-th code and
 * its name in *name, or NULL past the last; *basis its legal basis.
 */
const char *vh_legal_open_case_block(const struct vh_legal *l, const struct vh_legal_dates *when,
				     size_t i, const char **name, const char *const **basis);
/* the procedure's basis (for refusals), or NULL */
const char *const *vh_legal_procedure_basis(const struct vh_legal *l,
					    const struct vh_legal_dates *when);

/*
 * Effect and career freeze of form given to category, from
 * when->effective: the last day of each, VH_DATE_NONE when it has no end
 * date (forced dismissal) or does not exist.
 */
struct vh_legal_effect {
	vh_date effect_until;
	vh_date freeze_until;
	const char *regime;
	const char *const *basis;
	int raise_delay_months;   /* regular salary raise delayed (0: not) */
};
int vh_legal_effect(const struct vh_legal *l, struct vh_legal_effect *out,
		    const char *form, const char *category,
		    const struct vh_legal_dates *when);

/*
 * The ladder's suggestion for a violation of severity by an official
 * with sanction in_effect (NULL: none): the heavier of the form for the
 * severity and the step up from in_effect, each moved to an allowed form
 * of the official as the tables say. form is NULL when the official has
 * no allowed form at all.
 */
struct vh_legal_suggestion {
	const char *form;
	const char *regime;       /* the ladder's regime */
	const char *const *basis;
};
int vh_legal_ladder(const struct vh_legal *l, struct vh_legal_suggestion *out,
		    const char *severity, const char *in_effect,
		    const char *category, bool leader,
		    enum vh_legal_status status,
		    const struct vh_legal_dates *when);

/* vh_legal_ladder for who */
int vh_legal_ladder_w(const struct vh_legal *l, struct vh_legal_suggestion *out,
		      const char *severity, const char *in_effect,
		      const struct vh_legal_who *who, const struct vh_legal_dates *when);
/*
 * Several violations decided together: the heaviest of n forms (NULL
 * entries skipped), or NULL when none is known.
 */
const char *vh_legal_heaviest(const struct vh_legal *l, const char *const *forms, size_t n);
/*
 * The severity levels of the forms regime on when (NULL-terminated), or
 * NULL when it has every level of the vocabulary or no regime applies.
 */
const char *const *vh_legal_severities_of(const struct vh_legal *l,
					  const struct vh_legal_dates *when,
					  const char *category);

/* A decision to check. */
struct vh_legal_case {
	const char *category;
	bool leader;
	enum vh_legal_status status;
	struct vh_legal_dates when; /* violation and decision required */
	const char *form;        /* the form decided; NULL: no sanction */
	const char *severity;
	bool no_limitation;      /* the rule carries no_limitation */
	bool complex;            /* for the handling deadline */
	int paused_days;         /* limitation and deadline pauses */
	bool already_sanctioned; /* this violation already has a sanction */
	const char *in_effect;   /* heaviest sanction in effect, NULL: none */
	const char *reason;      /* stated reason for departing; NULL/"": none */
	/* added for issue #9; zero means the old behaviour */
	bool elected;            /* cán bộ holding an elected office */
	const char *klass;       /* the rule's limitation class, NULL: none */
	vh_date deferral_ended;  /* end of the last deferral; 0 or NONE: none */
	const vh_date *later_acts; /* as in vh_legal_limit_query */
	size_t nlater;
};

enum vh_legal_verdict {
	VH_LEGAL_ACCEPTED,
	VH_LEGAL_ACCEPTED_WITH_WARNING,
	VH_LEGAL_REFUSED,
};

/* warnings, as bits */
#define VH_LEGAL_WARN_LADDER 0x1   /* departs from the ladder, reason recorded */
#define VH_LEGAL_WARN_DEADLINE 0x2 /* decided after the handling deadline */

struct vh_legal_result {
	enum vh_legal_verdict verdict;
	/*
	 * Machine id: NULL when accepted without warning; for a refusal one
	 * of "bad_case" (missing or inconsistent input, e.g. decision before
	 * violation), "unknown_category", "unknown_severity", "unknown_form",
	 * "no_regime", "already_sanctioned", "form_not_allowed",
	 * "time_barred", "ladder_reason_required"; for a warning
	 * "ladder_departure" or else "deadline_passed".
	 */
	const char *id;
	unsigned int warnings;    /* VH_LEGAL_WARN_* */
	char message[512];        /* lowercase, no trailing period; "" if none */
	const char *const *basis; /* legal basis of the refusal or warning */
	const char *forms_regime;      /* regimes used, where known */
	const char *limitation_regime;
	const char *suggested;         /* the ladder's form, where known */
	const char *level;             /* the form whose period was applied */
	vh_date limitation_expires;    /* VH_DATE_NONE: no limitation */
	vh_date deadline;              /* VH_DATE_NONE: no detection date */
};

/*
 * Check a decision against the law. Order: input, already sanctioned,
 * form allowed (forms regime), limitation (limitation regime), ladder.
 * Refused: the law forbids it outright (a form the official's category
 * lacks, a time-barred case, a second sanction for one violation) or the
 * decision departs from the ladder without a stated reason
 * (ladder_reason_required: DESIGN requires the reason). Accepted with a
 * warning: it departs from the ladder with a reason (to be recorded),
 * and/or it comes after the handling deadline (the law does not void such a
 * decision). A decision without sanction (form NULL) is accepted once the
 * input checks pass. Returns the verdict, also in out->verdict.
 */
enum vh_legal_verdict vh_legal_check_decision(const struct vh_legal *l,
					      struct vh_legal_result *out,
					      const struct vh_legal_case *c);

/* Display: the Vietnamese name of a code, or NULL if unknown. */
const char *vh_legal_form_name(const struct vh_legal *l, const char *code);
const char *vh_legal_category_name(const struct vh_legal *l, const char *code);
const char *vh_legal_severity_name(const struct vh_legal *l, const char *code);
/* A form's weight (larger is heavier), or -1 if unknown. */
int vh_legal_form_weight(const struct vh_legal *l, const char *code);

enum vh_legal_ground {
	VH_LEGAL_GROUND_DEFERRAL,      /* procedure part */
	VH_LEGAL_GROUND_WAIVER,        /* procedure part */
	VH_LEGAL_GROUND_NO_LIMITATION, /* limitation part */
};
/*
 * The Vietnamese text of a ground code in the regime that when selects
 * for the ground's part, or NULL when the code is not a ground there.
 */
const char *vh_legal_ground_name(const struct vh_legal *l, enum vh_legal_ground kind,
				 const char *code, const struct vh_legal_dates *when);

#ifdef VH_LEGAL_INTERNAL
/* Private to legal.c and legal_load.c: the loaded tables. */
#define VH_LEGAL_STATUSES 3

struct vh_legal_entry {
	const char *code, *name, *name_en;
	int weight;               /* forms: weight; severities: rank */
};

struct vh_legal_gnd {
	const char *code, *name;
};

struct vh_legal_formset {
	int *forms;               /* indices into l->forms, lightest first */
	const char **codes;       /* the same as codes, NULL-terminated */
	size_t n;
	bool given;               /* written in the tables (elected: optional) */
};

/* how the official holds office: the third index of formsets and ladders */
#define VH_LEGAL_HOLDINGS 3       /* staff, leader, elected */

/* a row of a ladder's first list */
struct vh_legal_lrow {
	int sev;
	bool *cats;               /* NULL: every category */
	unsigned int statuses;    /* bit per status; 0: every status */
	int form[VH_LEGAL_HOLDINGS]; /* -1: not given (elected: as leader) */
};

/* a window (second complaint, court action): for forms, or the default */
struct vh_legal_window_row {
	bool *forms;              /* [form]; NULL: every other form */
	int days, months;
};

/* a Party sanction and the administrative form that corresponds */
struct vh_legal_party {
	const char *code, *name;
	int form;                 /* index of the form, -1: the heaviest allowed */
};

struct vh_legal_period {
	const char *name;
	int months;
	const char **classes;     /* limitation classes it is for, NULL-terminated; NULL: none */
};

struct vh_legal_regime {
	const char *id, *name;
	vh_date from, to;         /* to: VH_DATE_NONE if open-ended */
	const char **basis;
	bool has[VH_LEGAL_NPARTS];
	bool dates_ok;            /* valid_from and valid_to decoded */
	bool *cats;               /* [category]: the regime is for it; NULL: for every one */
	const char *file;         /* where valid_from is, for messages */
	size_t from_line, from_col;
	/* forms: [category][status][holding] */
	struct vh_legal_formset *sets;
	bool *sev_ok;             /* [severity]: a level of the regime; NULL: all */
	const char **sev_codes;   /* the regime's levels, NULL-terminated */
	const char **forms_basis, **double_basis;
	/* effects: [category][form]; months -1: no end; set: a row exists */
	int *effect_months, *freeze_months, *raise_months;
	bool *effect_set;
	const char **effects_basis;
	/* ladder: rows of first; after: [form][holding] form indices, -1 none */
	struct vh_legal_lrow *lrows;
	size_t nlrows;
	int *after;
	bool one_heavier, nearest_heavier;
	bool step_from_heavier;   /* repeat_step_from: heavier (Decree 172) */
	const char **ladder_basis;
	/* limitation */
	struct vh_legal_period *periods;
	size_t nperiods;
	int *period_of_form;      /* [form]: index into periods */
	struct vh_legal_gnd *no_limitation;
	size_t nno_limitation;
	const char **limitation_basis;
	bool pauses_extend, applies_to_running, restarts;
	int after_deferral_days;
	/* procedure */
	int handling_days, complex_days;
	int complaint_days;       /* 0: the tables set no window */
	const char **complaint_basis;
	struct vh_legal_window_row *second, *court;
	size_t nsecond, ncourt;
	bool *without_council;    /* [category]; NULL: none */
	struct vh_legal_gnd *no_council;
	size_t nno_council;
	int party_days;           /* 0: no deadline after a Party decision */
	struct vh_legal_party *party;
	size_t nparty;
	struct vh_legal_gnd *blocks;  /* what an open case holds back */
	size_t nblocks;
	const char **blocks_basis;
	bool next_working_day;
	vh_date *holidays;
	size_t nholidays;
	struct vh_legal_gnd *deferral, *waiver;
	size_t ndeferral, nwaiver;
	const char **procedure_basis;
};

/* the date kinds regime_selection may name */
enum vh_legal_datekind { VH_LEGAL_DK_VIOLATION, VH_LEGAL_DK_DETECTION,
			 VH_LEGAL_DK_DECISION, VH_LEGAL_DK_EFFECTIVE };
#define VH_LEGAL_MAX_SELECT 4

struct vh_legal_arena;

struct vh_legal {
	struct vh_legal_arena *arena;  /* owns everything below */
	char hash[VH_SHA256_HEX];
	struct vh_legal_entry *categories, *severities, *forms;
	size_t ncategories, nseverities, nforms;
	const char **category_codes, **severity_codes; /* NULL-terminated */
	int select[VH_LEGAL_NPARTS][VH_LEGAL_MAX_SELECT];
	size_t nselect[VH_LEGAL_NPARTS];
	struct vh_legal_regime *regimes;
	size_t nregimes;
};

int vh_legal_index(const struct vh_legal_entry *e, size_t n, const char *code);
#endif

#endif
