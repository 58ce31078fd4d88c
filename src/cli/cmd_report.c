/* vhcv report: report a violation */
#include "cli.h"

static const struct cli_spec report_spec = {
	"report", "Report a violation of the conduct code; prints the new case.",
	{ NULL },
	{ { "official", "CODE", true, "the official concerned" },
	  { "rule", "RULE", true, "the rule violated" },
	  { "occurred", "DATE", true, "day of the act (YYYY-MM-DD)" },
	  { "detected", "DATE", false, "day it was detected (default: today)" },
	  { "source", "S", true, "inspection, supervision, citizen, front or self" },
	  { "text", "TEXT", true, "what happened" },
	  { "place", "TEXT", false, "where it happened" },
	  { "key", "KEY", false, "idempotency key: repeating the report returns the same case" },
	  { "ended", "DATE", false, "day the act ended (default: the day it was done)" },
	  { "continuing", NULL, false, "the act still continues at detection" } },
};

int
cmd_report(struct cli *cli, int argc, char **argv)
{
	vhcv_report_options o = VHCV_REPORT_OPTIONS_INIT;
	vhcv_case *k = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &report_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	o.official = cli_val(&a, "official");
	o.rule = cli_val(&a, "rule");
	o.occurred_on = cli_val(&a, "occurred");
	o.detected_on = cli_val(&a, "detected");
	o.source = cli_val(&a, "source");
	o.description = cli_val(&a, "text");
	o.place = cli_val(&a, "place");
	o.idempotency_key = cli_val(&a, "key");
	o.ended_on = cli_val(&a, "ended");
	o.continuing = cli_flag(&a, "continuing");
	if (o.ended_on && o.continuing)
		return cli_usage_error(cli, &report_spec, "give --ended or --continuing, not both");
	if ((r = vhcv_case_report(&k, cli->client, &o)) < 0)
		return cli_fail(cli, r);
	return cli_case_out(cli, k);
}
