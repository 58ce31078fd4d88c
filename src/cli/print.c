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
	if (k->paused_days)
		cli_kvf("paused", _("%d days"), k->paused_days);
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
		static const char *const heads[] = { N_("SEQ"), N_("AT (UTC)"), N_("EVENT"),
						     N_("BY") };
		struct cli_table t;
		printf("%s", _("events:\n"));
		cli_table_init(&t, 4, heads);
		for (size_t i = 0; i < k->nevents; i++) {
			const vhcv_event *e = k->events[i];
			char seq[32];
			snprintf(seq, sizeof(seq), "%" PRId64, e->seq);
			cli_table_add(&t, seq, cli_time(tb, e->at), e->kind, e->actor);
		}
		cli_table_print(&t, stdout, "  ");
		cli_table_free(&t);
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
