/*
 * eligibility, stats, export, changes: in the CLI contract, but vhcvd has
 * no API for them yet. They say so clearly and exit 1, so that scripts fail
 * loudly instead of finding an "unknown command" usage error (2).
 */
#include <string.h>

#include "cli.h"

int
cmd_later(struct cli *cli, int argc, char **argv)
{
	static const char *const usage[][2] = {
		{ "eligibility", "--year Y [--unit U]" },
		{ "stats", "[--from DATE] [--to DATE] [--unit U] [--by rule|group|unit|month]" },
		{ "export", "cases|decisions [--from DATE] [--to DATE]" },
		{ "changes", "[--after CURSOR]" },
	};
	char msg[256];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			for (size_t k = 0; k < sizeof(usage) / sizeof(usage[0]); k++)
				if (strcmp(usage[k][0], argv[0]) == 0)
					printf("usage: vhcv %s %s\n\n", usage[k][0], usage[k][1]);
			printf("Not available in this version: vhcvd does not serve it yet.\n");
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--json") == 0)
			cli->json = true;
	}
	snprintf(msg, sizeof(msg), "'%s' is not available in this version of vhcv and vhcvd",
		 argv[0]);
	if (cli->json) {
		printf("{\"error\": \"error\", \"message\": ");
		cli_json_string(stdout, msg);
		printf("}\n");
	}
	fprintf(stderr, "vhcv: %s\n", msg);
	return EXIT_OTHER;
}
