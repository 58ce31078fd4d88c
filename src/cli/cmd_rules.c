/* vhcv rules [--group G]; vhcv rule CODE [--on DATE] */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

static const struct cli_spec rules_spec = {
	"rules", "List the rules of the conduct code in force today.",
	{ NULL },
	{ { "group", "G", false, "only this group (thai_do, giao_tiep, dao_duc, ...)" } },
};

int
cmd_rules(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { "CODE", "GROUP", "SEVERITY", "TITLE" };
	vhcv_rule_page *p = NULL;
	struct cli_table t;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &rules_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_rule_list(&p, cli->client, cli_val(&a, "group"))) < 0)
		return cli_fail(cli, r);
	if (cli->json) {
		cli_print_json(p->json);
	} else {
		cli_table_init(&t, 4, heads);
		for (size_t i = 0; i < p->count; i++)
			cli_table_add(&t, p->items[i]->code, p->items[i]->group,
				      p->items[i]->default_severity, p->items[i]->title_vi);
		cli_table_print(&t, stdout, "");
		cli_table_free(&t);
	}
	vhcv_rule_page_free(p);
	return EXIT_OK;
}

static const struct cli_spec rule_spec = {
	"rule", "Show one rule of the conduct code with its versions.",
	{ "CODE" },
	{ { "on", "DATE", false, "the version in force on DATE (YYYY-MM-DD)" } },
};

int
cmd_rule(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { "ID", "VALID FROM", "VALID TO", "CONTENT HASH",
					     "LOADED AT (UTC)" };
	vhcv_rule *x = NULL;
	struct cli_table t;
	struct cli_args a;
	char tb[32];
	int r;

	if ((r = cli_parse(cli, &rule_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_rule_get(&x, cli->client, a.pos[0], cli_val(&a, "on"))) < 0)
		return cli_fail(cli, r);
	if (cli->json) {
		cli_print_json(x->json);
		vhcv_rule_free(x);
		return EXIT_OK;
	}
	cli_kv("rule", x->code);
	cli_kvf("group", "%s%s%s%s", cli_s(x->group), x->group_name ? " (" : "",
		x->group_name ? x->group_name : "", x->group_name ? ")" : "");
	cli_kv("title", x->title_vi);
	if (x->title_en)
		cli_kv("title (en)", x->title_en);
	if (x->description)
		cli_kv("description", x->description);
	cli_kv("severity", x->default_severity);
	for (size_t i = 0; i < x->ncategories; i++)
		cli_kv(i == 0 ? "categories" : "", x->categories[i]);
	for (size_t i = 0; i < x->nlegal_basis; i++)
		cli_kv(i == 0 ? "legal basis" : "", x->legal_basis[i]);
	cli_kv("limitation", x->no_limitation ? "none (no limitation period)" : "by the legal tables");
	cli_kv("valid from", x->valid_from);
	cli_kv("valid to", x->valid_to);
	if (x->nversions) {
		printf("versions:\n");
		cli_table_init(&t, 5, heads);
		t.maxw = 80;
		for (size_t i = 0; i < x->nversions; i++) {
			char id[32];
			snprintf(id, sizeof(id), "%" PRId64, x->versions[i]->id);
			cli_table_add(&t, id, x->versions[i]->valid_from, x->versions[i]->valid_to,
				      x->versions[i]->content_hash,
				      cli_time(tb, x->versions[i]->loaded_at));
		}
		cli_table_print(&t, stdout, "  ");
		cli_table_free(&t);
	}
	vhcv_rule_free(x);
	return EXIT_OK;
}
