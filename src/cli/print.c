/* Human output of cases, officials and units. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void
cli_print_decisions(vhcv_decision *const *d, size_t n, const char *indent)
{
	static const char *const heads[] = { N_("NUMBER"), N_("FORM"), N_("SEVERITY"),
					     N_("SIGNED"), N_("EFFECTIVE"),
					     N_("EFFECT UNTIL"), N_("STATE") };
	struct cli_table t;

	cli_table_init(&t, 7, heads);
	for (size_t i = 0; i < n; i++) {
		char form[160];
		snprintf(form, sizeof(form), "%s%s%s%s", cli_s(d[i]->form),
			 d[i]->form_name ? " (" : "", d[i]->form_name ? d[i]->form_name : "",
			 d[i]->form_name ? ")" : "");
		cli_table_add(&t, d[i]->number, form, d[i]->severity, d[i]->signed_on,
			      d[i]->effective_on, d[i]->effect_until, d[i]->state);
	}
	cli_table_print(&t, stdout, indent);
	cli_table_free(&t);
}

static void
join(char *buf, size_t len, char *const *v, size_t n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", v[i]);
	if (n == 0)
		snprintf(buf, len, "-");
}

/* one JSON string at *p (after its opening quote) into out, unescaped */
static const char *
json_string_out(const char *p, FILE *out)
{
	for (; *p && *p != '"'; p++) {
		if (*p != '\\') {
			fputc(*p, out);
			continue;
		}
		switch (*++p) {
		case 'n': fputs("\n", out); break;
		case 't': fputc('\t', out); break;
		case 'r': break;
		case 'u': {
			char hex[5] = { 0 };
			unsigned long c;
			strncpy(hex, p + 1, 4);
			c = strtoul(hex, NULL, 16);
			p += strlen(hex);
			if (c < 0x80)
				fputc((int)c, out);
			else if (c < 0x800)
				fprintf(out, "%c%c", (int)(0xC0 | c >> 6), (int)(0x80 | (c & 0x3F)));
			else
				fprintf(out, "%c%c%c", (int)(0xE0 | c >> 12),
					(int)(0x80 | ((c >> 6) & 0x3F)), (int)(0x80 | (c & 0x3F)));
			break;
		}
		case '\0': return p;
		default: fputc(*p, out); break;
		}
	}
	return *p ? p + 1 : p;
}

/* a JSON value at p, for people: strings bare, lists joined by ", " */
static const char *
json_value_out(const char *p, FILE *out)
{
	int depth = 0;

	do {
		while (*p == ' ' || *p == '\n')
			p++;
		if (*p == '"') {
			p = json_string_out(p + 1, out);
		} else if (*p == '[' || *p == '{') {
			depth++;
			p++;
		} else if (*p == ']' || *p == '}') {
			depth--;
			p++;
		} else if (*p == ',') {
			fputs(depth ? ", " : "", out);
			if (depth == 0)
				return p;
			p++;
		} else if (*p == ':') {
			fputs(": ", out);
			p++;
		} else if (*p) {
			/* a number, true, false or null: the whole token */
			while (*p && !strchr(",:]} \n", *p))
				fputc(*p++, out);
		}
	} while (*p && depth > 0);
	return p;
}

/*
 * An event's data (a JSON object) as "key: value" lines under the event,
 * so that the timeline shows every field given: note texts, reasons,
 * authorities, grounds, dates, council members, recommendations.
 */
static void
print_event_data(const char *json, const char *indent)
{
	const char *p = json ? strchr(json, '{') : NULL;

	if (p == NULL)
		return;
	p++;
	for (;;) {
		while (*p == ' ' || *p == ',' || *p == '\n')
			p++;
		if (*p != '"')
			return;
		fputs(indent, stdout);
		p = json_string_out(p + 1, stdout);
		while (*p == ' ' || *p == ':')
			p++;
		fputs(": ", stdout);
		p = json_value_out(p, stdout);
		fputc('\n', stdout);
	}
}

void
cli_print_case(const vhcv_case *k)
{
	char buf[1024], tb[32];

	cli_kv("case", k->number);
	cli_kvf("status", "%s%s%s%s", cli_s(k->status), k->status_name ? " (" : "",
		k->status_name ? k->status_name : "", k->status_name ? ")" : "");
	cli_kvf("official", "%s %s (%s%s)", cli_s(k->official_code), cli_s(k->official_name),
		cli_s(k->official_category), k->official_leader ? ", leader" : "");
	cli_kv("unit", k->unit);
	if (k->rule_version)
		cli_kvf("rule", "%s v%d %s", cli_s(k->rule_code), k->rule_version,
			cli_s(k->rule_title));
	else
		cli_kvf("rule", "%s %s", cli_s(k->rule_code), k->rule_title ? k->rule_title : "");
	cli_kv("source", k->source);
	cli_kv("reporter", k->reporter);
	cli_kv("occurred on", k->occurred_on);
	cli_kv("detected on", k->detected_on);
	if (k->place)
		cli_kv("place", k->place);
	cli_kv("description", k->description);
	cli_kv("severity", k->severity);
	cli_kv("complex", k->is_complex ? _("yes") : _("no"));
	cli_kv("limitation", k->limitation_expires_on ? k->limitation_expires_on
						      : _("none (no limitation)"));
	cli_kvf("deadline", "%s%s", cli_s(k->handling_deadline), k->overdue ? _(" (overdue)") : "");
	/* days left, from the daemon's count (libvhcv 1.1 documents) */
	struct cj *dl = cj_parse(k->json);
	const struct cj *left = cj_get(dl, "days_left");
	if (cj_str(left, "handling") || cj_str(left, "limitation"))
		cli_kvf("days left", _("%s to the deadline, %s to the limitation date"),
			cj_str(left, "handling") ? cj_str(left, "handling") : "-",
			cj_str(left, "limitation") ? cj_str(left, "limitation") : "-");
	cj_free(dl);
	if (k->status && strcmp(k->status, "deferred") == 0) {
		/* paused since the last deferral, until its date if one was given */
		const vhcv_event *d = NULL;
		for (size_t i = 0; i < k->nevents; i++)
			if (strcmp(k->events[i]->kind, "deferred") == 0)
				d = k->events[i];
		cli_kvf("paused", _("since %s"), d ? cli_time(tb, d->at) : "?");
	}
	if (k->paused_days)
		cli_kvf("paused before", _("%d days"), k->paused_days);
	join(buf, sizeof(buf), k->links, k->nlinks);
	cli_kv("links", buf);
	if (k->ncouncil_members) {
		join(buf, sizeof(buf), k->council_members, k->ncouncil_members);
		cli_kvf("council", "%s%s%s", buf,
			k->council_recommended_form ? "; recommends " : "",
			k->council_recommended_form ? k->council_recommended_form : "");
	}
	if (k->ndecisions) {
		printf("%s", _("decisions:\n"));
		cli_print_decisions(k->decisions, k->ndecisions, "  ");
	}
	if (k->nevidence) {
		static const char *const heads[] = { N_("NAME"), N_("TYPE"), N_("SIZE"),
						     N_("SHA-256"), N_("ADDED BY") };
		struct cli_table t;
		printf("%s", _("evidence:\n"));
		cli_table_init(&t, 5, heads);
		for (size_t i = 0; i < k->nevidence; i++) {
			const vhcv_evidence *e = k->evidence[i];
			char size[32];
			snprintf(size, sizeof(size), "%" PRId64, e->size);
			cli_table_add(&t, e->name, e->media_type, size, e->sha256, e->added_by);
		}
		cli_table_print(&t, stdout, "  ");
		cli_table_free(&t);
	}
	if (k->nevents) {
		printf("%s", _("events:\n"));
		for (size_t i = 0; i < k->nevents; i++) {
			const vhcv_event *e = k->events[i];
			printf("  %3" PRId64 "  %s  %-12s by %s\n", e->seq, cli_time(tb, e->at),
			       cli_s(e->kind), cli_s(e->actor));
			print_event_data(e->data, "         ");
		}
	}
}

void
cli_print_official(const vhcv_official *f)
{
	char buf[1024];

	cli_kv("official", f->code);
	cli_kv("name", f->full_name);
	cli_kvf("category", "%s%s%s%s", cli_s(f->category), f->category_name ? " (" : "",
		f->category_name ? f->category_name : "", f->category_name ? ")" : "");
	cli_kv("leader", f->leader ? _("yes") : _("no"));
	cli_kv("unit", f->unit);
	cli_kv("position", f->position);
	cli_kv("status", f->status);
	cli_kv("valid from", f->valid_from);
	join(buf, sizeof(buf), f->open_cases, f->nopen_cases);
	cli_kv("open cases", buf);
	if (f->nsanctions) {
		printf("%s", _("sanctions in effect:\n"));
		cli_print_decisions(f->sanctions, f->nsanctions, "  ");
	} else {
		cli_kv("sanctions", _("none in effect"));
	}
}

void
cli_print_unit(const vhcv_unit *u)
{
	cli_kv("unit", u->code);
	cli_kv("name", u->name);
	cli_kv("parent", u->parent);
	cli_kv("valid from", u->valid_from);
	cli_kv("valid to", u->valid_to);
	cli_kv("merged into", u->merged_into);
}

int
cli_case_out(struct cli *cli, vhcv_case *k)
{
	if (cli->json)
		cli_print_json(k->json);
	else
		cli_print_case(k);
	vhcv_case_free(k);
	return EXIT_OK;
}

int
cli_official_out(struct cli *cli, vhcv_official *f)
{
	if (cli->json)
		cli_print_json(f->json);
	else
		cli_print_official(f);
	vhcv_official_free(f);
	return EXIT_OK;
}
