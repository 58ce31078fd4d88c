/* vhcv unit add|list|show|merge */
#include <string.h>

#include "cli.h"

static int
print_unit(struct cli *cli, vhcv_unit *u)
{
	if (cli->json)
		cli_print_json(u->json);
	else
		cli_print_unit(u);
	vhcv_unit_free(u);
	return EXIT_OK;
}

static const struct cli_spec add_spec = {
	"unit add", "Create a unit (roles hr, admin).",
	{ "CODE", "NAME" },
	{ { "parent", "CODE", false, "the parent unit" },
	  { "valid-from", "DATE", false, "first day of the unit (default: today)" } },
};

static int
unit_add(struct cli *cli, int argc, char **argv)
{
	vhcv_unit *u = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &add_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_unit_add(&u, cli->client, a.pos[0], a.pos[1], cli_val(&a, "parent"),
			       cli_val(&a, "valid-from"))) < 0)
		return cli_fail(cli, r);
	return print_unit(cli, u);
}

static const struct cli_spec list_spec = {
	"unit list", "List units, merged ones included.",
	{ NULL },
	{ { "under", "CODE", false, "only this unit and the units below it" } },
};

static int
unit_list(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { N_("CODE"), N_("NAME"), N_("PARENT"),
					     N_("VALID FROM"), N_("VALID TO"),
					     N_("MERGED INTO") };
	vhcv_unit_page *p = NULL;
	struct cli_table t;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &list_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_unit_list(&p, cli->client, cli_val(&a, "under"))) < 0)
		return cli_fail(cli, r);
	if (cli->json) {
		cli_print_json(p->json);
	} else {
		cli_table_init(&t, 6, heads);
		for (size_t i = 0; i < p->count; i++) {
			const vhcv_unit *u = p->items[i];
			cli_table_add(&t, u->code, u->name, u->parent, u->valid_from, u->valid_to,
				      u->merged_into);
		}
		cli_table_print(&t, stdout, "");
		cli_table_free(&t);
	}
	vhcv_unit_page_free(p);
	return EXIT_OK;
}

static const struct cli_spec show_spec = {
	"unit show", "Show one unit.", { "CODE" }, { { NULL, NULL, false, NULL } },
};

static int
unit_show(struct cli *cli, int argc, char **argv)
{
	vhcv_unit *u = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &show_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_unit_get(&u, cli->client, a.pos[0])) < 0)
		return cli_fail(cli, r);
	return print_unit(cli, u);
}

static const struct cli_spec merge_spec = {
	"unit merge", "Merge unit FROM into INTO (roles hr, admin); history is kept.",
	{ "FROM", "INTO" },
	{ { "on", "DATE", false, "day of the merge (default: today)" } },
};

static int
unit_merge(struct cli *cli, int argc, char **argv)
{
	vhcv_unit *u = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &merge_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_unit_merge(&u, cli->client, a.pos[0], a.pos[1], cli_val(&a, "on"))) < 0)
		return cli_fail(cli, r);
	return print_unit(cli, u);
}

int
cmd_unit(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "add", "create a unit", unit_add },
		{ "list", "list units", unit_list },
		{ "show", "show one unit", unit_show },
		{ "merge", "merge a unit into another", unit_merge },
		{ "import", "create, rename and move many units from a file", cli_unit_import },
	};
	return cli_dispatch(cli, "unit", cmds, sizeof(cmds) / sizeof(cmds[0]), argc, argv);
}
