/* vhcv official add|show */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_spec add_spec = {
	"official add", "Create or update an official (roles hr, admin).",
	/* --elected: issue #9 item 9 */
	{ "CODE", "NAME" },
	{ { "category", "C", true, "can_bo, cong_chuc, vien_chuc or nguoi_lao_dong" },
	  { "unit", "U", true, "the official's unit" },
	  { "leader", NULL, false, "holds a leading or managing post" },
	  { "position", "TEXT", false, "position title" },
	  { "status", "S", false, "active (default), retired or left" },
	  { "valid-from", "DATE", false, "first day of this record (default: today)" },
	  { "elected", NULL, false, "a cán bộ holding an elected office (default: appointed)" } },
};

static int
official_add(struct cli *cli, int argc, char **argv)
{
	vhcv_official_spec spec = VHCV_OFFICIAL_SPEC_INIT;
	vhcv_official *f = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &add_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	spec.code = a.pos[0];
	spec.full_name = a.pos[1];
	spec.category = cli_val(&a, "category");
	spec.unit = cli_val(&a, "unit");
	spec.leader = cli_flag(&a, "leader");
	spec.position = cli_val(&a, "position");
	spec.status = cli_val(&a, "status");
	spec.valid_from = cli_val(&a, "valid-from");
	spec.elected = cli_flag(&a, "elected");
	if ((r = vhcv_official_put(&f, cli->client, &spec)) < 0)
		return cli_fail(cli, r);
	return cli_official_out(cli, f);
}

static const struct cli_spec show_spec = {
	"official show", "Show an official's record as on a day: sanctions in effect, career freeze, assessments, decisions, cases.",
	{ "CODE" },
	{ { "on", "DATE", false, "as on DATE (default: today)" } },
};

static int
official_show(struct cli *cli, int argc, char **argv)
{
	vhcv_official *f = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &show_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	/* the full record for those who may read it, else the official */
	if ((r = cli_official_record(cli, a.pos[0], cli_val(&a, "on"))) != CLI_CONTINUE)
		return r;
	if ((r = vhcv_official_get(&f, cli->client, a.pos[0], cli_val(&a, "on"))) < 0)
		return cli_fail(cli, r);
	return cli_official_out(cli, f);
}

static const struct cli_spec search_spec = {
	"official search", "Find officials of your units by the beginning of their name or code; "
			   "diacritics, case and Unicode form do not matter (\"nguyen van an\").",
	{ "TEXT" },
	{ { "unit", "U", false, "this unit and the units below (default: your units)" },
	  { "limit", "N", false, "officials per page, 1..100 (default 20)" },
	  { "after", "NEXT", false, "the next page, from a previous answer" } },
};

static int
official_search(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { N_("CODE"), N_("NAME"), N_("UNIT"), N_("POSITION"),
					     N_("STATUS") };
	struct cli_args a;
	struct cli_table t;
	struct cj *d;
	const char *lim;
	char *json = NULL, *end;
	long limit = 0;
	int r;

	if ((r = cli_parse(cli, &search_spec, argc, argv, &a)) != CLI_CONTINUE)
		return r;
	if ((lim = cli_val(&a, "limit")) != NULL &&
	    ((limit = strtol(lim, &end, 10)) < 1 || limit > 100 || *end || end == lim))
		return cli_usage_error(cli, &search_spec, _("--limit must be a number 1..100"));
	if ((r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_official_search(&json, cli->client, a.pos[0], cli_val(&a, "unit"),
				      cli_val(&a, "after"), (int)limit)) < 0)
		return cli_fail(cli, r);
	if ((d = doc_or_json(cli, json)) == NULL)
		return cli->json ? EXIT_OK : EXIT_OTHER;
	cli_table_init(&t, 5, heads);
	for (size_t i = 0; i < cj_len(cj_get(d, "items")); i++) {
		const struct cj *it = cj_at(cj_get(d, "items"), i);
		cli_table_add(&t, cj_str(it, "code"), cj_str(it, "full_name"), cj_str(it, "unit"),
			      cj_str(it, "position"), cj_str(it, "status"));
	}
	if (t.nrows == 0)
		printf("%s\n", _("no official found"));
	else
		cli_table_print(&t, stdout, "");
	cli_table_free(&t);
	if (cj_str(d, "next"))
		printf("%s --after %s\n", _("more: the same command with"), cj_str(d, "next"));
	cj_free(d);
	return EXIT_OK;
}

int
cmd_official(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "add", "create or update an official", official_add },
		{ "show", "show an official and their record", official_show },
		{ "import", "create or update many officials from a file", cli_official_import },
		{ "export", "everything held about an official (JSON)", cli_official_export },
		{ "search", "find officials by name or code", official_search },
	};
	return cli_dispatch(cli, "official", cmds, sizeof(cmds) / sizeof(cmds[0]), argc, argv);
}
