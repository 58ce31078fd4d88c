/* vhcv case list|show and every transition of the workflow */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef int (*case_call)(vhcv_case **out, vhcv_client *c, const struct cli_args *a);

/* parse, call, print the case as it now stands */
static int
transition(struct cli *cli, const struct cli_spec *spec, case_call call, int argc, char **argv)
{
	vhcv_case *k = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = call(&k, cli->client, &a)) < 0)
		return cli_fail(cli, r);
	return cli_case_out(cli, k);
}

#define TRANSITION(verb)                                                   \
	static int run_##verb(struct cli *cli, int argc, char **argv)      \
	{                                                                  \
		return transition(cli, &verb##_spec, call_##verb, argc, argv); \
	}

static const struct cli_spec show_spec = {
	"case show", "Show a case with its events, decisions and evidence.",
	{ "CASE" }, { { NULL, NULL, false, NULL } },
};

static int
call_show(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_get(out, c, a->pos[0]);
}
TRANSITION(show)

static const struct cli_spec accept_spec = {
	"case accept", "Accept a report for review: reported -> under_review.",
	{ "CASE" }, { { "note", "TEXT", false, "a note for the timeline" } },
};

static int
call_accept(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_accept(out, c, a->pos[0], cli_val(a, "note"));
}
TRANSITION(accept)

static const struct cli_spec reject_spec = {
	"case reject", "Reject a report: reported -> rejected.",
	{ "CASE" },
	{ { "reason", "unfounded|duplicate|not_competent", true, "why" },
	  { "of", "CASE", false, "the case it duplicates (with duplicate)" },
	  { "to", "AUTHORITY", false, "the competent authority (with not_competent)" },
	  { "note", "TEXT", false, "a note for the timeline" } },
};

static int
call_reject(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	vhcv_reject_options o = VHCV_REJECT_OPTIONS_INIT;

	o.reason = cli_val(a, "reason");
	o.of = cli_val(a, "of");
	o.to = cli_val(a, "to");
	o.note = cli_val(a, "note");
	return vhcv_case_reject(out, c, a->pos[0], &o);
}
TRANSITION(reject)

static const struct cli_spec defer_spec = {
	"case defer", "Defer a case on a legal ground; the handling clock pauses.",
	{ "CASE" },
	{ { "ground", "illness|maternity|prosecution|leave", true, "the legal ground (leave: Decree 112 only)" },
	  { "until", "DATE", false, "expected end of the ground" },
	  { "note", "TEXT", false, "a note for the timeline" } },
};

static int
call_defer(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_defer(out, c, a->pos[0], cli_val(a, "ground"), cli_val(a, "until"),
			       cli_val(a, "note"));
}
TRANSITION(defer)

static const struct cli_spec resume_spec = {
	"case resume", "Resume a deferred case; the handling clock restarts.",
	{ "CASE" }, { { "note", "TEXT", false, "a note for the timeline" } },
};

static int
call_resume(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_resume(out, c, a->pos[0], cli_val(a, "note"));
}
TRANSITION(resume)

static const struct cli_spec council_spec = {
	"case council", "Convene the disciplinary council (3 or 5 members, not the subject).",
	{ "CASE" },
	{ { "members", "CODE,CODE,...", true, "official codes of the members" },
	  { "recommend", "FORM", false, "the form the council recommends" } },
};

static int
call_council(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	const char *list = cli_val(a, "members");
	char *copy = strdup(list), *save = NULL, *tok;
	const char **members;
	size_t n = 0, max = 1;
	int r;

	/* as many as given: the daemon names what is wrong with the list */
	for (const char *p = list; *p; p++)
		max += *p == ',';
	if (copy == NULL || (members = calloc(max, sizeof(*members))) == NULL) {
		free(copy);
		return VHCV_ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save))
		members[n++] = tok;
	r = vhcv_case_council(out, c, a->pos[0], members, n, cli_val(a, "recommend"));
	free(members);
	free(copy);
	return r;
}
TRANSITION(council)

static const struct cli_spec decide_spec = {
	"case decide",
	"Record the decision (also on an appealed case: the new decision supersedes).",
	{ "CASE" },
	{ { "severity", "S", true, "it_nghiem_trong, nghiem_trong, rat_nghiem_trong, ..." },
	  { "form", "FORM|none", true, "the sanction form, or none" },
	  { "number", "N/SYMBOL", true, "document number as written, e.g. \"12/QĐ-UBND\"" },
	  { "signed", "DATE", true, "day the decision was signed" },
	  { "effective", "DATE", false, "day it takes effect (default: signed)" },
	  { "complex", NULL, false, "the case is complex (150-day deadline)" },
	  { "reason", "TEXT", false, "reason for departing from the ladder" },
	  { "key", "KEY", false, "idempotency key: repeating returns the same case" },
	  { "received", "DATE", false, "day the official received it (default: signed)" },
	  { "separate-act", "TEXT", false, "why this is another act than an already sanctioned duplicate" } },
};

static int
call_decide(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	vhcv_decide_options o = VHCV_DECIDE_OPTIONS_INIT;

	o.severity = cli_val(a, "severity");
	o.form = cli_val(a, "form");
	o.number = cli_val(a, "number");
	o.signed_on = cli_val(a, "signed");
	o.effective_on = cli_val(a, "effective");
	o.is_complex = cli_flag(a, "complex");
	o.reason = cli_val(a, "reason");
	o.idempotency_key = cli_val(a, "key");
	o.received_on = cli_val(a, "received");
	o.separate_act = cli_val(a, "separate-act");
	return vhcv_case_decide(out, c, a->pos[0], &o);
}
TRANSITION(decide)

static const struct cli_spec appeal_spec = {
	"case appeal", "Record a complaint against the decision: decided -> appealed.",
	{ "CASE" },
	{ { "filed", "DATE", true, "day the complaint was filed" },
	  { "note", "TEXT", false, "a note for the timeline (required with --obstacle-days)" },
	  { "obstacle-days", "N", false, "days lost to an objective obstacle, not counted" },
	  { "answered", "DATE", false, "a second complaint: day the first was answered" },
	  { "court", NULL, false, "a court action (against a forced dismissal: 1 year)" } },
};

static int
run_appeal(struct cli *cli, int argc, char **argv)
{
	vhcv_appeal_options o = VHCV_APPEAL_OPTIONS_INIT;
	vhcv_case *k = NULL;
	struct cli_args a;
	const char *days;
	char *end;
	long n = 0;
	int r;

	if ((r = cli_parse(cli, &appeal_spec, argc, argv, &a)) != CLI_CONTINUE)
		return r;
	if ((days = cli_val(&a, "obstacle-days")) != NULL) {
		errno = 0;
		n = strtol(days, &end, 10);
		if (errno || end == days || *end || n < 0 || n > 3650)
			return cli_usage_error(cli, &appeal_spec,
					       "--obstacle-days: a number of days, 0 to 3650");
	}
	if ((r = cli_connect(cli)) != EXIT_OK)
		return r;
	o.filed_on = cli_val(&a, "filed");
	o.note = cli_val(&a, "note");
	o.obstacle_days = (int)n;
	o.answered_on = cli_val(&a, "answered");
	o.court = cli_flag(&a, "court");
	if ((r = vhcv_case_appeal_ex(&k, cli->client, a.pos[0], &o)) < 0)
		return cli_fail(cli, r);
	return cli_case_out(cli, k);
}

static const struct cli_spec dispense_spec = {
	"case dispense",
	"No review meeting nor council: the case rests on an inspection conclusion, a court"
	" conviction or a Party sanction (Decree 71/2023); decide it from under_review.",
	{ "CASE" },
	{ { "ground", "inspection_conclusion|court_conviction|party_sanction", true,
	    "what the case rests on" },
	  { "ref", "DOC", true, "the document, as written" },
	  { "signed", "DATE", false, "day the document was signed" },
	  { "party-form", "FORM", false, "the Party's sanction (khien_trach, canh_cao, cach_chuc,"
	    " khai_tru): the decision's form must correspond" } },
};

static int
call_dispense(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_dispense(out, c, a->pos[0], cli_val(a, "ground"), cli_val(a, "ref"),
				  cli_val(a, "signed"), cli_val(a, "party-form"));
}
TRANSITION(dispense)

static const struct cli_spec uphold_spec = {
	"case uphold", "Uphold the decision under appeal: appealed -> closed.",
	{ "CASE" }, { { "note", "TEXT", false, "a note for the timeline" } },
};

static int
call_uphold(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_uphold(out, c, a->pos[0], cli_val(a, "note"));
}
TRANSITION(uphold)

static const struct cli_spec annul_spec = {
	"case annul", "Annul the decision under appeal by a new document: appealed -> closed.",
	{ "CASE" },
	{ { "number", "N/SYMBOL", true, "number of the annulling document" },
	  { "signed", "DATE", true, "day it was signed" },
	  { "reason", "TEXT", false, "the reason" } },
};

static int
call_annul(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_annul(out, c, a->pos[0], cli_val(a, "number"), cli_val(a, "signed"),
			       cli_val(a, "reason"));
}
TRANSITION(annul)

static const struct cli_spec waive_spec = {
	"case waive", "Waive discipline on a legal ground: -> closed_no_sanction.",
	{ "CASE" },
	{ { "ground", "G", true, "a waiver ground from the legal tables" },
	  { "note", "TEXT", false, "a note for the timeline" } },
};

static int
call_waive(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_waive(out, c, a->pos[0], cli_val(a, "ground"), cli_val(a, "note"));
}
TRANSITION(waive)

static const struct cli_spec close_spec = {
	"case close", "Close a case: expired (past the limitation date), no_sanction, or "
		      "window_ended (decided, complaint window over).",
	{ "CASE" }, { { "reason", "expired|no_sanction|window_ended", false, "why" } },
};

static int
call_close(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_close(out, c, a->pos[0], cli_val(a, "reason"));
}
TRANSITION(close)

static const struct cli_spec note_spec = {
	"case note", "Add a note to the case's timeline.",
	{ "CASE", "TEXT" }, { { NULL, NULL, false, NULL } },
};

static int
call_note(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_note(out, c, a->pos[0], a->pos[1]);
}
TRANSITION(note)

static const struct cli_spec link_spec = {
	"case link", "Link two related cases.",
	{ "CASE", "OTHER" }, { { NULL, NULL, false, NULL } },
};

static int
call_link(vhcv_case **out, vhcv_client *c, const struct cli_args *a)
{
	return vhcv_case_link(out, c, a->pos[0], a->pos[1]);
}
TRANSITION(link)

static const struct cli_spec list_spec = {
	"case list", "List cases you may see, oldest first, one page at a time.",
	{ NULL },
	{ { "unit", "U", false, "cases of this unit" },
	  { "status", "S", false, "in this state (reported, under_review, ...)" },
	  { "official", "CODE", false, "about this official" },
	  { "overdue", NULL, false, "only cases past their handling deadline" },
	  { "due-within", "DAYS", false, "running cases due within DAYS (overdue ones too)" },
	  { "limitation-within", "DAYS", false, "open cases within DAYS of their limitation date" },
	  { "limit", "N", false, "cases per page, 1..500 (default 50)" },
	  { "after", "CURSOR", false, "the next page, from a previous list" } },
};

static int
run_list(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { N_("CASE"), N_("STATUS"), N_("OFFICIAL"),
					     N_("NAME"), N_("RULE"), N_("OCCURRED"),
					     N_("DEADLINE") };
	vhcv_case_filter f = VHCV_CASE_FILTER_INIT;
	vhcv_case_page *p = NULL;
	struct cli_table t;
	struct cli_args a;
	const char *limit;
	int r, due_within = -1, lim_within = -1;

	if ((r = cli_parse(cli, &list_spec, argc, argv, &a)) != CLI_CONTINUE)
		return r;
	if ((limit = cli_val(&a, "limit")) != NULL) {
		char *end;
		long n;
		errno = 0;
		n = strtol(limit, &end, 10);
		if (errno || *end || end == limit || n < 1 || n > 500)
			return cli_usage_error(cli, &list_spec, "--limit: a number 1..500");
		f.limit = (int)n;
	}
	for (size_t i = 0; i < 2; i++) {
		static const char *const names[] = { "due-within", "limitation-within" };
		const char *v = cli_val(&a, names[i]);
		char *end;
		long n;
		if (v == NULL)
			continue;
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || *end || end == v || n < 0 || n > 3660)
			return cli_usage_error(cli, &list_spec, "--%s: a number of days 0..3660",
					       names[i]);
		*(i ? &lim_within : &due_within) = (int)n;
	}
	if ((r = cli_connect(cli)) != EXIT_OK)
		return r;
	f.unit = cli_val(&a, "unit");
	f.status = cli_val(&a, "status");
	f.official = cli_val(&a, "official");
	f.overdue = cli_flag(&a, "overdue");
	f.after = cli_val(&a, "after");
	if ((r = due_within >= 0 || lim_within >= 0
		      ? vhcv_case_list_due(&p, cli->client, &f, due_within, lim_within)
		      : vhcv_case_list(&p, cli->client, &f)) < 0)
		return cli_fail(cli, r);
	if (cli->json) {
		cli_print_json(p->json);
	} else {
		cli_table_init(&t, 7, heads);
		t.maxw = 32;
		for (size_t i = 0; i < p->count; i++) {
			const vhcv_case *k = p->items[i];
			char deadline[40];
			snprintf(deadline, sizeof(deadline), "%s%s", cli_s(k->handling_deadline),
				 k->overdue ? " !" : "");
			cli_table_add(&t, k->number, k->status, k->official_code, k->official_name,
				      k->rule_code, k->occurred_on, deadline);
		}
		cli_table_print(&t, stdout, "");
		cli_table_free(&t);
		if (p->next) {
			/* the next page of the same list: every option given but --after */
			printf("more: vhcv case list");
			for (size_t i = 0; i < CLI_MAX_OPTS && list_spec.opts[i].name; i++) {
				const struct cli_opt *o = &list_spec.opts[i];
				if (a.val[i] == NULL || strcmp(o->name, "after") == 0)
					continue;
				printf(" --%s%s%s", o->name, o->meta ? " " : "", o->meta ? a.val[i] : "");
			}
			printf(" --after %s\n", p->next);
		}
	}
	vhcv_case_page_free(p);
	return EXIT_OK;
}

int
cmd_case(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "list", "list cases, one page at a time", run_list },
		{ "show", "show a case", run_show },
		{ "accept", "reported -> under_review", run_accept },
		{ "reject", "reported -> rejected", run_reject },
		{ "defer", "pause the case on a legal ground", run_defer },
		{ "resume", "resume a deferred case", run_resume },
		{ "council", "convene the disciplinary council", run_council },
		{ "decide", "record the decision", run_decide },
		{ "appeal", "record a complaint against the decision", run_appeal },
		{ "uphold", "uphold the decision under appeal", run_uphold },
		{ "annul", "annul the decision under appeal", run_annul },
		{ "waive", "waive discipline on a legal ground", run_waive },
		{ "close", "close the case", run_close },
		{ "note", "add a note", run_note },
		{ "link", "link two related cases", run_link },
		{ "dispense", "no council: the case rests on another authority's act", run_dispense },
	};
	return cli_dispatch(cli, "case", cmds, sizeof(cmds) / sizeof(cmds[0]), argc, argv);
}
