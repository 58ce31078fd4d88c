/* The event log: GET /v1/audit/verify, POST /v1/audit/seal. */
#include <stdlib.h>

#include "client_int.h"
#include "merkle.h"

/* verify and proofs stream the whole log: wait for them this long */
#define AUDIT_TIMEOUT_MS (30L * 60 * 1000)

static const struct vhcv__field problem_fields[] = {
	VHCV__F(vhcv_audit_problem, STR, "case", case_number),
	VHCV__F(vhcv_audit_problem, I64, "seq", seq),
	VHCV__F(vhcv_audit_problem, I64, "event_id", event_id),
	VHCV__F(vhcv_audit_problem, STR, "problem", problem),
};
static const struct vhcv__shape problem_shape = VHCV__SHAPE(vhcv_audit_problem, problem_fields);

static const struct vhcv__field report_fields[] = {
	VHCV__F(vhcv_audit_report, OK, "ok", ok),
	VHCV__F(vhcv_audit_report, I64, "cases", cases),
	VHCV__F(vhcv_audit_report, I64, "events", events),
	VHCV__F(vhcv_audit_report, I64, "seals", seals),
	VHCV__FA(vhcv_audit_report, "problems", problems, nproblems, problem_shape),
};
static const struct vhcv__shape report_shape = VHCV__SHAPE(vhcv_audit_report, report_fields);
VHCV__SHAPED(vhcv_audit_report, report_shape, report_from)

VHCV_EXTERN void
vhcv_audit_report_free(vhcv_audit_report *r)
{
	vhcv__shape_free(r, &report_shape);
}

static const struct vhcv__field seal_fields[] = {
	VHCV__F(vhcv_seal, I64, "seal", seal),
	VHCV__F(vhcv_seal, I64, "cases", cases),
	VHCV__F(vhcv_seal, I64, "events", events),
	VHCV__F(vhcv_seal, STR, "hash", hash),
};
static const struct vhcv__shape seal_shape = VHCV__SHAPE(vhcv_seal, seal_fields);
VHCV__SHAPED(vhcv_seal, seal_shape, seal_from)

VHCV_EXTERN void
vhcv_seal_free(vhcv_seal *s)
{
	vhcv__shape_free(s, &seal_shape);
}

VHCV_EXTERN int
vhcv_audit_verify(vhcv_audit_report **out, vhcv_client *c)
{
	void *obj = NULL;
	long saved;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "out: NULL argument");
	/* verification reads the whole register: it may take minutes */
	saved = c->timeout_ms;
	if (c->timeout_ms < AUDIT_TIMEOUT_MS)
		c->timeout_ms = AUDIT_TIMEOUT_MS;
	r = vhcv__get(c, &obj, "/v1/audit/verify", NULL, NULL, NULL, NULL,
		      vhcv_audit_report_from_v, vhcv_audit_report_free_v);
	c->timeout_ms = saved;
	*out = obj;
	return r;
}

VHCV_EXTERN int
vhcv_audit_seal(vhcv_seal **out, vhcv_client *c)
{
	struct vhcv__path p = { 0 };
	struct vhcv__body b;
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (out)
		*out = NULL;
	vhcv__body_init(&b, c);
	vhcv__path_lit(&p, "/v1/audit/seal");
	r = vhcv__call(c, "POST", &p, &b, vhcv_seal_from_v, vhcv_seal_free_v, out ? &obj : NULL);
	if (out)
		*out = obj;
	return r;
}

/* an answer kept as JSON text */
static void *
text_from_v(struct vhcv__conv *cv, const json_t *o)
{
	return vhcv__dump(cv, o);
}

VHCV_EXTERN int
vhcv_audit_head(char **json, vhcv_client *c)
{
	void *obj = NULL;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (json == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "json: NULL argument");
	r = vhcv__get(c, &obj, "/v1/audit/head", NULL, NULL, NULL, NULL, text_from_v, free);
	*json = obj;
	return r;
}

/* a head's signature, checked with a public key (both hex) */
static bool
head_verifies(const json_t *head, const char *public_key)
{
	const char *sig = json_string_value(json_object_get(head, "signature"));
	char *text;
	bool ok;

	if (sig == NULL)
		return false;
	text = vh_tree_head_text((uint64_t)json_integer_value(json_object_get(head, "tree_size")),
				 json_string_value(json_object_get(head, "root_hash")) ?: "",
				 json_string_value(json_object_get(head, "sealed_at")) ?: "");
	ok = text && vh_verify_sig(public_key, text, sig);
	free(text);
	return ok;
}

/* the outcome of a check against a kept head, as JSON text */
static int
against_result(char **json, vhcv_client *c, bool ok, json_int_t from, json_int_t to,
	       const char *problem)
{
	json_t *o = json_pack("{s:b, s:I, s:I}", "ok", ok, "from", from, "to", to);

	if (o && problem)
		json_object_set_new(o, "problem", json_string(problem));
	*json = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return *json ? 0 : vhcv__fail(c, VHCV_ENOMEM, NULL, "out of memory");
}

VHCV_EXTERN int
vhcv_audit_against(char **json, vhcv_client *c, const char *head_json)
{
	unsigned char old_root[VH_HASH_LEN], new_root[VH_HASH_LEN], (*proof)[VH_HASH_LEN] = NULL;
	json_t *kept = NULL, *ans = NULL, *head, *path;
	const char *pub;
	char from[24], *text = NULL;
	json_int_t m, n;
	size_t np;
	long saved;
	int r;

	if (c == NULL)
		return VHCV_EINVALID;
	if (json == NULL || head_json == NULL)
		return vhcv__fail(c, VHCV_EINVALID, NULL, "NULL argument");
	*json = NULL;
	kept = json_loads(head_json, 0, NULL);
	if (!json_is_integer(json_object_get(kept, "tree_size")) ||
	    vh_unhex(old_root, VH_HASH_LEN,
		     json_string_value(json_object_get(kept, "root_hash"))) < 0) {
		json_decref(kept);
		return vhcv__fail(c, VHCV_EINVALID, "head",
				  "not an exported head (tree_size and root_hash expected)");
	}
	m = json_integer_value(json_object_get(kept, "tree_size"));
	pub = json_string_value(json_object_get(kept, "public_key"));
	if (pub && !head_verifies(kept, pub)) {
		r = against_result(json, c, false, m, 0,
				   "the kept head's signature does not verify: it was altered");
		goto out;
	}
	snprintf(from, sizeof(from), "%lld", (long long)m);
	saved = c->timeout_ms;
	if (c->timeout_ms < AUDIT_TIMEOUT_MS)
		c->timeout_ms = AUDIT_TIMEOUT_MS;
	r = vhcv__get(c, (void **)&text, "/v1/audit/proof", NULL, NULL, "from", from,
		      text_from_v, free);
	c->timeout_ms = saved;
	if (r < 0)
		goto out;
	ans = json_loads(text, 0, NULL);
	head = json_object_get(ans, "head");
	path = json_object_get(ans, "proof");
	n = json_integer_value(json_object_get(head, "tree_size"));
	np = json_array_size(path);
	if (!json_is_array(path) || np > 2 * VH_MERKLE_DEPTH ||
	    vh_unhex(new_root, VH_HASH_LEN, json_string_value(json_object_get(head, "root_hash"))) < 0 ||
	    (np && (proof = calloc(np, sizeof(*proof))) == NULL)) {
		r = vhcv__fail(c, VHCV_EPROTOCOL, NULL, "the proof answer is malformed");
		goto out;
	}
	for (size_t i = 0; i < np; i++)
		if (vh_unhex(proof[i], VH_HASH_LEN, json_string_value(json_array_get(path, i))) < 0) {
			r = vhcv__fail(c, VHCV_EPROTOCOL, NULL, "the proof answer is malformed");
			goto out;
		}
	if (pub && !head_verifies(head, pub))
		r = against_result(json, c, false, m, n,
				   "today's head is not signed by the key of the kept head");
	else if (!vh_merkle_consistent((uint64_t)m, (uint64_t)n, old_root, new_root,
				       (const unsigned char(*)[VH_HASH_LEN])proof, np))
		r = against_result(json, c, false, m, n,
				   "today's log does not extend the kept head: history before it"
				   " was rewritten");
	else
		r = against_result(json, c, true, m, n, NULL);
out:
	free(proof);
	free(text);
	json_decref(ans);
	json_decref(kept);
	return r;
}
