/* vhcv audit verify|seal */
#include <inttypes.h>

#include "cli.h"

static const struct cli_spec verify_spec = {
	"audit verify",
	"Walk the hash chain of every case and the seals; exit 1 when a problem is found.",
	{ NULL }, { { NULL, NULL, false, NULL } },
};

static int
audit_verify(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { "CASE", "SEQ", "EVENT ID", "PROBLEM" };
	vhcv_audit_report *rep = NULL;
	struct cli_table t;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &verify_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_audit_verify(&rep, cli->client)) < 0)
		return cli_fail(cli, r);
	if (cli->json) {
		cli_print_json(rep->json);
	} else {
		printf("%s: %" PRId64 " cases, %" PRId64 " events, %" PRId64 " seals checked\n",
		       rep->ok ? "ok" : "PROBLEMS", rep->cases, rep->events, rep->seals);
		if (rep->nproblems) {
			cli_table_init(&t, 4, heads);
			t.maxw = 80;
			for (size_t i = 0; i < rep->nproblems; i++) {
				const vhcv_audit_problem *p = rep->problems[i];
				char seq[32], id[32];
				snprintf(seq, sizeof(seq), "%" PRId64, p->seq);
				snprintf(id, sizeof(id), "%" PRId64, p->event_id);
				cli_table_add(&t, p->case_number, seq, id, p->problem);
			}
			cli_table_print(&t, stdout, "");
			cli_table_free(&t);
		}
	}
	r = rep->ok ? EXIT_OK : EXIT_OTHER;
	vhcv_audit_report_free(rep);
	return r;
}

static const struct cli_spec seal_spec = {
	"audit seal", "Seal the event log as it stands (a hash over every chain).",
	{ NULL }, { { NULL, NULL, false, NULL } },
};

static int
audit_seal(struct cli *cli, int argc, char **argv)
{
	vhcv_seal *s = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &seal_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_audit_seal(&s, cli->client)) < 0)
		return cli_fail(cli, r);
	if (cli->json)
		cli_print_json(s->json);
	else
		printf("seal %" PRId64 ": %" PRId64 " cases, %" PRId64 " events, hash %s\n", s->seal,
		       s->cases, s->events, cli_s(s->hash));
	vhcv_seal_free(s);
	return EXIT_OK;
}

int
cmd_audit(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "verify", "verify the event log", audit_verify },
		{ "seal", "seal the event log", audit_seal },
	};
	return cli_dispatch(cli, "audit", cmds, sizeof(cmds) / sizeof(cmds[0]), argc, argv);
}
