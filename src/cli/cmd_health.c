/* vhcv health */
#include "cli.h"

static const struct cli_spec health_spec = {
	"health", "Ask vhcvd whether it and its database answer (exit 7 when not).",
	{ NULL }, { { NULL, NULL, false, NULL } },
};

int
cmd_health(struct cli *cli, int argc, char **argv)
{
	vhcv_health *h = NULL;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &health_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_health_get(&h, cli->client)) < 0)
		return cli_fail(cli, r);
	if (cli->json)
		cli_print_json(h->json);
	else
		printf("endpoint        %s\n"
		       "vhcvd           %s\n"
		       "database        %s\n"
		       "schema version  %d\n"
		       "rules version   %.16s\n",
		       vhcv_client_endpoint(cli->client), cli_s(h->daemon_version),
		       h->database_ok ? "ok" : "unreachable", h->schema_version,
		       cli_s(h->rules_version));
	r = h->database_ok ? EXIT_OK : EXIT_UNAVAILABLE;
	vhcv_health_free(h);
	return r;
}
