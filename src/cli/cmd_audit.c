/* vhcv audit verify|seal */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_spec verify_spec = {
	"audit verify",
	"Prove every case's history against its events, the log against its signed heads;"
	" exit 1 when a problem is found.",
	{ NULL },
	{ { "against", "FILE", false,
	    "also prove that today's log extends the head kept in FILE (audit seal --export)" },
	  { NULL, NULL, false, NULL } },
};

/* --against FILE: the consistency proof, checked here; 0 ok, 1 not, <0 error */
static int
verify_against(struct cli *cli, const char *file)
{
	char *kept = NULL, *out = NULL;
	size_t len = 0;
	FILE *f = fopen(file, "r");
	int r;

	if (f == NULL) {
		fprintf(stderr, "vhcv: --against %s: %s\n", file, strerror(errno));
		return -EXIT_USAGE;
	}
	kept = calloc(1, 65537);
	if (kept)
		len = fread(kept, 1, 65536, f);
	fclose(f);
	if (kept == NULL || len == 0 || len == 65536) {
		fprintf(stderr, "vhcv: --against %s: not an exported head\n", file);
		free(kept);
		return -EXIT_USAGE;
	}
	r = vhcv_audit_against(&out, cli->client, kept);
	free(kept);
	if (r < 0)
		return -cli_fail(cli, r);
	if (cli->json)
		printf("%s\n", out);
	else if (strstr(out, "\"ok\":true"))
		printf("ok: today's log extends the head kept in %s\n", file);
	else
		printf("PROBLEM: %s\n", out);
	r = strstr(out, "\"ok\":true") ? 0 : 1;
	free(out);
	return r;
}

static int
audit_verify(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { "CASE", "SEQ", "EVENT ID", "PROBLEM" };
	vhcv_audit_report *rep = NULL;
	bool against_bad = false;
	struct cli_table t;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &verify_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_audit_verify(&rep, cli->client)) < 0)
		return cli_fail(cli, r);
	if (cli_val(&a, "against")) {
		int k = verify_against(cli, cli_val(&a, "against"));
		if (k < 0) {
			vhcv_audit_report_free(rep);
			return -k;
		}
		against_bad = k > 0;
	}
	if (cli->json) {
		cli_print_json(rep->json);
	} else {
		printf("%s: %" PRId64 " cases, %" PRId64 " events, %" PRId64 " seals checked\n",
		       rep->ok ? "ok" : "PROBLEMS", rep->cases, rep->events, rep->seals);
		if (rep->json && strstr(rep->json, "\"abandoned\":[{"))
			printf("some case numbers were given up by reports that failed after"
			       " taking them: see \"abandoned\" with --json\n");
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
	r = rep->ok && !against_bad ? EXIT_OK : EXIT_OTHER;
	vhcv_audit_report_free(rep);
	return r;
}

static const struct cli_spec seal_spec = {
	"audit seal", "Seal the event log as it stands (a signed head of its Merkle tree).",
	{ NULL },
	{ { "export", NULL, false,
	    "print the latest signed head as JSON, to keep where the database's"
	    " administrators cannot reach (audit verify --against)" },
	  { NULL, NULL, false, NULL } },
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
	if (cli_flag(&a, "export")) {
		char *head = NULL;
		vhcv_seal_free(s);
		if ((r = vhcv_audit_head(&head, cli->client)) < 0)
			return cli_fail(cli, r);
		printf("%s\n", head);
		free(head);
		return EXIT_OK;
	}
	if (cli->json)
		cli_print_json(s->json);
	else
		printf("seal %" PRId64 ": %" PRId64 " events in the log, root %s\n", s->seal,
		       s->events, cli_s(s->hash));
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
