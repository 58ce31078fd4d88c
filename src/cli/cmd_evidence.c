/* vhcv evidence add CASE FILE; vhcv evidence get CASE NAME */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* the media type from the file name's extension */
static const char *
guess_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "pdf", "application/pdf" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "png", "image/png" }, { "gif", "image/gif" }, { "webp", "image/webp" },
		{ "txt", "text/plain; charset=utf-8" }, { "csv", "text/csv" },
		{ "json", "application/json" }, { "xml", "application/xml" },
		{ "html", "text/html" }, { "mp3", "audio/mpeg" }, { "m4a", "audio/mp4" },
		{ "wav", "audio/wav" }, { "mp4", "video/mp4" }, { "zip", "application/zip" },
		{ "doc", "application/msword" },
		{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "xls", "application/vnd.ms-excel" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int
read_file(const char *path, unsigned char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	unsigned char *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return -errno;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		if (f != stdin)
			fclose(f);
		return -EIO;
	}
	if (f != stdin)
		fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static const struct cli_spec add_spec = {
	"evidence add", "Attach a file to a case; vhcvd keeps its SHA-256.",
	{ "CASE", "FILE" },
	{ { "name", "NAME", false, "name in the register (default: the file's name)" },
	  { "type", "MEDIA", false, "media type (default: from the extension)" } },
};

/*
 * An evidence name is one path segment: '/' would make another path and
 * "." or ".." would be resolved away before vhcvd sees them.
 */
static int
evidence_name_ok(struct cli *cli, const struct cli_spec *spec, const char *name)
{
	if (strchr(name, '/') || strchr(name, '\\') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return cli_usage_error(cli, spec,
				       "NAME (field 'name'): '%s' is not an evidence name: it may"
				       " not hold '/' or '\\', nor be \".\" or \"..\" alone"
				       " (a '.' inside a name is fine: bien-ban.pdf)", name);
	return EXIT_OK;
}

static int
evidence_add(struct cli *cli, int argc, char **argv)
{
	vhcv_evidence *e = NULL;
	unsigned char *data = NULL;
	const char *name, *slash;
	struct cli_args a;
	size_t len = 0;
	int r;

	if ((r = cli_parse(cli, &add_spec, argc, argv, &a)) != CLI_CONTINUE)
		return r;
	name = cli_val(&a, "name");
	if (name == NULL) {
		if (strcmp(a.pos[1], "-") == 0)
			return cli_usage_error(cli, &add_spec, "--name is required with FILE -");
		slash = strrchr(a.pos[1], '/');
		name = slash ? slash + 1 : a.pos[1];
	}
	if ((r = evidence_name_ok(cli, &add_spec, name)) != EXIT_OK)
		return r;
	if ((r = read_file(a.pos[1], &data, &len)) < 0) {
		fprintf(stderr, "vhcv: %s: %s\n", a.pos[1], strerror(-r));
		if (cli->json) {
			printf("{\"error\": \"error\", \"message\": ");
			cli_json_string(stdout, strerror(-r));
			printf("}\n");
		}
		return EXIT_OTHER;
	}
	if ((r = cli_connect(cli)) != EXIT_OK) {
		free(data);
		return r;
	}
	r = vhcv_evidence_add(&e, cli->client, a.pos[0], name,
			      cli_val(&a, "type") ? cli_val(&a, "type") : guess_type(name), data, len);
	free(data);
	if (r < 0)
		return cli_fail(cli, r);
	if (cli->json) {
		cli_print_json(e->json);
	} else {
		char size[32];
		snprintf(size, sizeof(size), "%lld", (long long)e->size);
		cli_kv("case", a.pos[0]);
		cli_kv("evidence", e->name);
		cli_kv("media type", e->media_type);
		cli_kv("size", size);
		cli_kv("sha256", e->sha256);
		cli_kv("added by", e->added_by);
		cli_kv("added at", e->added_at);
	}
	vhcv_evidence_free(e);
	return EXIT_OK;
}

static const struct cli_spec get_spec = {
	"evidence get",
	"Fetch a piece of evidence; its SHA-256 is checked. The bytes go to stdout, or to "
	"FILE with -o (with --json: FILE, default NAME, and the JSON description on stdout).",
	{ "CASE", "NAME" },
	{ { "output", "FILE", false, "write the bytes to FILE (also -o FILE)" } },
};

static int
evidence_get(struct cli *cli, int argc, char **argv)
{
	vhcv_evidence_data *d = NULL;
	const char *path;
	struct cli_args a;
	FILE *f;
	int r;

	if ((r = cli_parse(cli, &get_spec, argc, argv, &a)) != CLI_CONTINUE)
		return r;
	if ((r = evidence_name_ok(cli, &get_spec, a.pos[1])) != EXIT_OK ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_evidence_get(&d, cli->client, a.pos[0], a.pos[1])) < 0)
		return cli_fail(cli, r);
	path = cli_val(&a, "output");
	if (path == NULL && cli->json) {
		const char *slash = strrchr(a.pos[1], '/');
		path = slash ? slash + 1 : a.pos[1];
	}
	f = path && strcmp(path, "-") != 0 ? fopen(path, "wb") : stdout;
	if (f == NULL || fwrite(d->data, 1, d->size, f) != d->size ||
	    (f != stdout ? fclose(f) : fflush(f)) != 0) {
		fprintf(stderr, "vhcv: %s: %s\n", path ? path : "stdout", strerror(errno));
		vhcv_evidence_data_free(d);
		return EXIT_OTHER;
	}
	if (cli->json)
		cli_print_json(d->json);
	else if (f != stdout)
		fprintf(stderr, "%s: %zu bytes, %s, sha256 %s (verified)\n", path, d->size,
			d->media_type, d->sha256);
	vhcv_evidence_data_free(d);
	return EXIT_OK;
}

int
cmd_evidence(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "add", "attach a file to a case", evidence_add },
		{ "get", "fetch a piece of evidence", evidence_get },
	};
	return cli_dispatch(cli, "evidence", cmds, sizeof(cmds) / sizeof(cmds[0]), argc, argv);
}
