/* vhcv official add|show */
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

int
cmd_official(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "add", "create or update an official", official_add },
		{ "show", "show an official and their record", official_show },
		{ "import", "create or update many officials from a file", cli_official_import },
		{ "export", "everything held about an official (JSON)", cli_official_export },
	};
	return cli_dispatch(cli, "official", cmds, sizeof(cmds) / sizeof(cmds[0]), argc, argv);
}
