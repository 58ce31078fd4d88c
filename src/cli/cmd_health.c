#include <getopt.h>
#include <string.h>

#include "cli.h"

int
cmd_health(struct cli *cli, int argc, char **argv)
{
	vhcv_health *h = NULL;
	int r;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0) {
			printf("usage: vhcv health\n\nAsk vhcvd whether it and its database answer.\n");
			return EXIT_OK;
		}
		fprintf(stderr, "usage: vhcv health\n");
		return EXIT_USAGE;
	}
	if ((r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_health_get(&h, cli->client)) < 0)
		return cli_fail(cli, r);
	if (cli->json)
		printf("{\"database\": %s, \"schema_version\": %d, \"rules_version\": \"%s\","
		       " \"version\": \"%s\"}\n",
		       h->database_ok ? "true" : "false", h->schema_version,
		       h->rules_version ? h->rules_version : "",
		       h->daemon_version ? h->daemon_version : "");
	else
		printf("endpoint        %s\n"
		       "vhcvd           %s\n"
		       "database        %s\n"
		       "schema version  %d\n"
		       "rules version   %.16s\n",
		       vhcv_client_endpoint(cli->client),
		       h->daemon_version ? h->daemon_version : "?",
		       h->database_ok ? "ok" : "unreachable", h->schema_version,
		       h->rules_version ? h->rules_version : "-");
	r = h->database_ok ? EXIT_OK : EXIT_UNAVAILABLE;
	vhcv_health_free(h);
	return r;
}
