/*
 * The conduct code's API: the shipped code, version lookups by date, and
 * the content hashes vhcvd relies on to store rule versions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "rules.h"

static const char *const categories[] = {
	"can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong", NULL,
};
static const char *const severities[] = {
	"it_nghiem_trong", "nghiem_trong", "rat_nghiem_trong",
	"dac_biet_nghiem_trong", NULL,
};
static const struct vh_vocab vocab = { categories, severities };

static vh_date
D(const char *s)
{
	vh_date d;

	assert_int_equal(vh_date_parse(&d, s), 0);
	return d;
}

static void
print_diag(const struct vh_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("diag: %s\n", d->msgs[i]);
}

static struct vh_ruleset *
load_path_ok(const char *path)
{
	struct vh_ruleset *rs = NULL;
	struct vh_diag d;

	vh_diag_init(&d);
	if (vh_rules_load_path(&rs, path, &vocab, &d) != 0)
		print_diag(&d);
	assert_int_equal(vh_diag_count(&d), 0);
	assert_non_null(rs);
	vh_diag_free(&d);
	return rs;
}

/* load one buffer; NULL and the errors printed when it does not load */
static struct vh_ruleset *
load_text(const char *text, size_t *nerrors)
{
	struct vh_ruleset *rs = NULL;
	struct vh_diag d;
	const char *name = "test.yaml";
	size_t len = strlen(text);
	int r;

	vh_diag_init(&d);
	r = vh_rules_load_buffers(&rs, 1, &name, &text, &len, &vocab, &d);
	print_diag(&d);
	if (nerrors)
		*nerrors = vh_diag_count(&d);
	assert_true((r == 0) == (rs != NULL));
	assert_true((r == 0) == (vh_diag_count(&d) == 0));
	vh_diag_free(&d);
	return rs;
}

/* LEGAL.md §11: the 22 candidate rules, as shipped */
static const struct {
	const char *code, *group, *title_vi;
} shipped[] = {
	{ "TD-01", "thai_do", "Đi muộn, về sớm, bỏ vị trí làm việc" },
	{ "TD-02", "thai_do", "Sử dụng giờ làm việc vào việc riêng, chơi trò chơi điện tử" },
	{ "TD-03", "thai_do", "Nghỉ việc không có lý do chính đáng" },
	{ "TD-04", "thai_do", "Né tránh, đùn đẩy trách nhiệm" },
	{ "TD-05", "thai_do", "Không chấp hành sự phân công" },
	{ "TD-06", "thai_do", "Trả kết quả trễ hẹn không xin lỗi" },
	{ "TD-07", "thai_do", "Đi lễ hội trong giờ hành chính" },
	{ "GT-01", "giao_tiep", "Hách dịch, cửa quyền, gây phiền hà, nhũng nhiễu" },
	{ "GT-02", "giao_tiep", "Nói tục, quát nạt, thiếu văn hóa" },
	{ "GT-03", "giao_tiep", "Gây mất đoàn kết nội bộ" },
	{ "GT-04", "giao_tiep", "Vi phạm quy tắc ứng xử trên mạng xã hội" },
	{ "DD-01", "dao_duc", "Uống rượu, bia trước và trong giờ làm việc, giờ nghỉ trưa, ngày trực" },
	{ "DD-02", "dao_duc", "Hút thuốc lá tại phòng làm việc, phòng họp" },
	{ "DD-03", "dao_duc", "Đánh bạc dưới mọi hình thức" },
	{ "DD-04", "dao_duc", "Sử dụng tài sản công vào việc riêng" },
	{ "DD-05", "dao_duc", "Lợi dụng chức vụ để vụ lợi; nhận quà trái quy định" },
	{ "DD-06", "dao_duc", "Tiết lộ bí mật công tác" },
	{ "DD-07", "dao_duc", "Sử dụng văn bằng, chứng chỉ không hợp pháp" },
	{ "DD-08", "dao_duc", "Kê khai tài sản, thu nhập không trung thực" },
	{ "TP-01", "trang_phuc", "Trang phục không gọn gàng, lịch sự; không mặc đồng phục theo quy định" },
	{ "TP-02", "trang_phuc", "Không đeo thẻ công chức, viên chức khi thi hành nhiệm vụ" },
	{ "CS-01", "cong_so", "Quảng cáo thương mại, đun nấu tại công sở" },
};

static void
test_shipped_code(void **state)
{
	struct vh_ruleset *rs = load_path_ok(VH_SRCDIR "/config/rules");
	const struct vh_rule_group *g;

	(void)state;
	assert_true(vh_rules_count(rs) >= VH_NELEM(shipped));
	assert_int_equal(strlen(vh_rules_hash(rs)), 64);
	for (size_t i = 0; i < VH_NELEM(shipped); i++) {
		const struct vh_rule *r = vh_rules_find(rs, shipped[i].code, D("2025-01-15"));
		assert_non_null(r);
		assert_string_equal(r->code, shipped[i].code);
		assert_string_equal(r->group, shipped[i].group);
		/* the bytes of the precomposed (NFC) title, diacritics intact */
		assert_string_equal(r->title_vi, shipped[i].title_vi);
		assert_non_null(vh_rules_group_find(rs, r->group));
		assert_true(r->n_legal_basis > 0 && r->legal_basis[r->n_legal_basis] == NULL);
		assert_true(r->n_categories > 0 && r->categories[r->n_categories] == NULL);
		assert_true(r->title_en[0] && r->description[0] && r->default_severity[0]);
		/* only the fake-degree rule has no limitation period */
		assert_int_equal(r->no_limitation, strcmp(r->code, "DD-07") == 0);
		assert_int_equal(strlen(r->content_hash), 64);
	}
	assert_int_equal(vh_rules_group_count(rs), 5);
	g = vh_rules_group_find(rs, "dao_duc");
	assert_non_null(g);
	assert_string_equal(g->name_vi, "Chuẩn mực đạo đức, lối sống");
	assert_string_equal(g->name_en, "Ethics and lifestyle");
	assert_string_equal(vh_rules_group_get(rs, 0)->code, "thai_do");
	assert_null(vh_rules_group_find(rs, "nope"));
	assert_null(vh_rules_group_get(rs, 5));
	/* the code, the social-media ruleset, the laws before the code (issue #9) */
	assert_int_equal(vh_rules_header_count(rs), 3);
	assert_string_equal(vh_rules_header_get(rs, 0)->id, "vp-kh130-2019");
	assert_string_equal(vh_rules_header_get(rs, 0)->issuer, "Ủy ban nhân dân tỉnh Vĩnh Phúc");
	assert_int_equal(vh_rules_header_get(rs, 0)->valid_from, D("2019-08-06"));
	assert_null(vh_rules_header_get(rs, 3));
	/* DD-07 binds from 2010 in its law version, from 06/8/2019 in the code's */
	assert_string_equal(vh_rules_find(rs, "DD-07", D("2012-05-01"))->ruleset, "luat-2008-2010");
	assert_string_equal(vh_rules_find(rs, "DD-07", D("2019-08-06"))->ruleset, "vp-kh130-2019");
	assert_null(vh_rules_find(rs, "DD-07", D("2009-12-31")));
	/* the social-media rule is in force from its ministry's decision */
	assert_null(vh_rules_find(rs, "GT-04", D("2021-06-16")));
	assert_non_null(vh_rules_find(rs, "GT-04", D("2021-06-17")));
	vh_rules_free(rs);
}

static void
test_find_versions(void **state)
{
	struct vh_ruleset *rs = load_path_ok(VH_SRCDIR "/tests/data/rules/valid/versions.yaml");
	const struct vh_rule *a, *b;

	(void)state;
	assert_int_equal(vh_rules_count(rs), 4);
	/* the version change on 2025-01-01 */
	a = vh_rules_find(rs, "DD-01", D("2024-12-31"));
	b = vh_rules_find(rs, "DD-01", D("2025-01-01"));
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_string_equal(a->title_vi, "Uống rượu, bia trong giờ làm việc");
	assert_int_equal(a->valid_from, D("2020-01-01"));
	assert_int_equal(a->valid_to, D("2024-12-31"));
	assert_int_equal(b->valid_from, D("2025-01-01"));
	assert_int_equal(b->valid_to, D("2030-12-31"));
	assert_ptr_equal(vh_rules_find(rs, "DD-01", D("2020-01-01")), a);
	assert_ptr_equal(vh_rules_find(rs, "DD-01", D("2030-12-31")), b);
	assert_string_not_equal(a->content_hash, b->content_hash);
	/* outside the ruleset's period */
	assert_null(vh_rules_find(rs, "DD-01", D("2019-12-31")));
	assert_null(vh_rules_find(rs, "DD-01", D("2031-01-01")));
	/* as an inspector types it */
	assert_ptr_equal(vh_rules_find(rs, "dd-01", D("2025-06-01")), b);
	assert_ptr_equal(vh_rules_latest(rs, "DD-01"), b);
	assert_ptr_equal(vh_rules_latest(rs, "dd-07"), vh_rules_find(rs, "DD-07", D("2022-02-02")));
	assert_true(vh_rules_latest(rs, "DD-07")->no_limitation);
	/* a rule in force for one day */
	assert_null(vh_rules_find(rs, "TD-07", D("2026-02-19")));
	assert_non_null(vh_rules_find(rs, "TD-07", D("2026-02-20")));
	assert_null(vh_rules_find(rs, "TD-07", D("2026-02-21")));
	/* unknown or impossible codes */
	assert_null(vh_rules_find(rs, "DD-99", D("2025-01-01")));
	assert_null(vh_rules_find(rs, "", D("2025-01-01")));
	assert_null(vh_rules_find(rs, "DD-01-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", D("2025-01-01")));
	assert_null(vh_rules_latest(rs, "XX-01"));
	/* the versions of one code in valid_from order, then NULL */
	assert_ptr_equal(vh_rules_version(rs, "DD-01", 0), a);
	assert_ptr_equal(vh_rules_version(rs, "dd-01", 1), b);
	assert_null(vh_rules_version(rs, "DD-01", 2));
	assert_ptr_equal(vh_rules_version(rs, "TD-07", 0), vh_rules_latest(rs, "TD-07"));
	assert_null(vh_rules_version(rs, "TD-07", 1));
	assert_null(vh_rules_version(rs, "XX-01", 0));
	assert_null(vh_rules_version(NULL, "DD-01", 0));
	assert_null(vh_rules_find(NULL, "DD-01", D("2025-01-01")));
	/* categories come sorted, whatever the order written */
	assert_string_equal(b->categories[0], "can_bo");
	assert_string_equal(b->categories[3], "vien_chuc");
	/* rules in the order written */
	assert_string_equal(vh_rules_get(rs, 0)->code, "DD-01");
	assert_string_equal(vh_rules_get(rs, 3)->code, "TD-07");
	assert_null(vh_rules_get(rs, 4));
	vh_rules_free(rs);
}

#define HEAD \
	"format: 1\n" \
	"id: h-2019\n" \
	"title: Bộ quy tắc\n" \
	"issuer: Cơ quan\n" \
	"legal_basis: [QĐ 1847]\n" \
	"valid_from: 2019-08-06\n" \
	"groups:\n" \
	"  - {code: thai_do, name_vi: Thái độ, name_en: Attitude}\n" \
	"  - {code: dao_duc, name_vi: Đạo đức, name_en: Ethics}\n" \
	"rules:\n"

#define RULE_BLOCK \
	"  - code: TD-01\n" \
	"    group: thai_do\n" \
	"    title_vi: Đi muộn, về sớm\n" \
	"    title_en: Arriving late\n" \
	"    description: Đến cơ quan muộn hoặc về sớm.\n" \
	"    legal_basis: [QĐ 1847, Chỉ thị 26]\n" \
	"    default_severity: it_nghiem_trong\n" \
	"    categories: [cong_chuc, vien_chuc]\n"

/* the same rule in another layout, key order and style, with comments */
#define RULE_REFORMATTED \
	"  # reformatted\n" \
	"  - categories:\n" \
	"      - vien_chuc   # order does not matter for categories\n" \
	"      - cong_chuc\n" \
	"    default_severity: \"it_nghiem_trong\"\n" \
	"    description: >\n" \
	"      Đến cơ quan muộn\n" \
	"        hoặc   về sớm.\n" \
	"    legal_basis:\n" \
	"      - QĐ 1847\n" \
	"      - 'Chỉ thị 26'\n" \
	"    title_en: 'Arriving late'\n" \
	"    no_limitation: false\n" \
	"    title_vi: \"Đi muộn, về sớm\"\n" \
	"    valid_from: 2019-08-06\n" \
	"    group: thai_do\n" \
	"    code: TD-01\n"

#define OTHER_RULE \
	"  - code: DD-03\n" \
	"    group: dao_duc\n" \
	"    title_vi: Đánh bạc\n" \
	"    title_en: Gambling\n" \
	"    description: Đánh bạc.\n" \
	"    legal_basis: [QĐ 1847]\n" \
	"    default_severity: nghiem_trong\n" \
	"    categories: [can_bo]\n"

#define OTHER_RULE2 \
	"  - code: DD-04\n" \
	"    group: dao_duc\n" \
	"    title_vi: Sử dụng tài sản công vào việc riêng\n" \
	"    title_en: Private use of public assets\n" \
	"    description: Dùng xe công đi việc riêng.\n" \
	"    legal_basis: [Luật 15/2017/QH14]\n" \
	"    default_severity: nghiem_trong\n" \
	"    categories: [can_bo, cong_chuc]\n"

/* the content hash of TD-01 in text, and its canonical form in canon */
static void
td01(const char *text, char hash[VH_SHA256_HEX], char **canon)
{
	struct vh_ruleset *rs = load_text(text, NULL);
	const struct vh_rule *r;

	assert_non_null(rs);
	r = vh_rules_latest(rs, "TD-01");
	assert_non_null(r);
	memcpy(hash, r->content_hash, VH_SHA256_HEX);
	if (canon)
		*canon = strdup(r->canonical);
	vh_rules_free(rs);
}

static void
test_content_hash(void **state)
{
	char h0[VH_SHA256_HEX], h[VH_SHA256_HEX];
	char *c0, *c;

	(void)state;
	td01(HEAD RULE_BLOCK, h0, &c0);
	assert_string_equal(c0,
		"{\"ruleset\":\"h-2019\",\"code\":\"TD-01\",\"group\":\"thai_do\","
		"\"title_vi\":\"Đi muộn, về sớm\",\"title_en\":\"Arriving late\","
		"\"description\":\"Đến cơ quan muộn hoặc về sớm.\","
		"\"legal_basis\":[\"QĐ 1847\",\"Chỉ thị 26\"],"
		"\"default_severity\":\"it_nghiem_trong\","
		"\"categories\":[\"cong_chuc\",\"vien_chuc\"],"
		"\"no_limitation\":false,\"valid_from\":\"2019-08-06\"}");
	/* layout, key order, comments, quoting, folding: the same content */
	td01("# a comment\n" HEAD RULE_REFORMATTED, h, &c);
	assert_string_equal(c, c0);
	assert_string_equal(h, h0);
	free(c);
	/* other rules around it do not matter */
	td01(HEAD OTHER_RULE RULE_REFORMATTED OTHER_RULE2, h, NULL);
	assert_string_equal(h, h0);
	/* closing the version does not change it */
	td01(HEAD RULE_BLOCK "    valid_to: 2030-01-01\n", h, NULL);
	assert_string_equal(h, h0);
	/* any change of content does */
	td01(HEAD RULE_BLOCK "    valid_from: 2019-08-07\n", h, NULL);
	assert_string_not_equal(h, h0);
	td01(HEAD RULE_BLOCK "    no_limitation: true\n", h, NULL);
	assert_string_not_equal(h, h0);
	{
		static const struct { const char *from, *to; } edits[] = {
			{ "Đi muộn, về sớm", "Đi muộn, về sớm." },
			{ "Arriving late", "Arriving late or leaving early" },
			{ "muộn hoặc về sớm.", "muộn hoặc về sớm" },
			{ "[QĐ 1847, Chỉ thị 26]", "[Chỉ thị 26, QĐ 1847]" },
			{ "it_nghiem_trong", "nghiem_trong" },
			{ "[cong_chuc, vien_chuc]", "[cong_chuc]" },
			{ "group: thai_do", "group: dao_duc" },
			{ "id: h-2019", "id: h-2020" },
		};
		for (size_t i = 0; i < VH_NELEM(edits); i++) {
			char buf[4096];
			const char *src = HEAD RULE_BLOCK, *at = strstr(src, edits[i].from);
			assert_non_null(at);
			snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - src), src,
				 edits[i].to, at + strlen(edits[i].from));
			td01(buf, h, NULL);
			assert_string_not_equal(h, h0);
		}
	}
	free(c0);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
test_set_hash(void **state)
{
	char dir[] = "/tmp/vh-rules-XXXXXX", a[256], b[256], h0[VH_SHA256_HEX];
	struct vh_ruleset *rs;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/10-a.yaml", dir);
	snprintf(b, sizeof(b), "%s/20-b.yaml", dir);
	write_file(a, HEAD RULE_BLOCK OTHER_RULE);
	rs = load_path_ok(dir);
	assert_int_equal(vh_rules_count(rs), 2);
	memcpy(h0, vh_rules_hash(rs), VH_SHA256_HEX);
	vh_rules_free(rs);
	/* reformatted and reordered: the same version of the code */
	write_file(a, "# reordered\n" HEAD OTHER_RULE RULE_REFORMATTED);
	rs = load_path_ok(dir);
	assert_string_equal(vh_rules_hash(rs), h0);
	vh_rules_free(rs);
	/* a changed text is a new version of the code */
	write_file(a, HEAD OTHER_RULE "  - code: TD-01\n    group: thai_do\n"
		   "    title_vi: Đi muộn, về sớm, bỏ vị trí\n    title_en: Arriving late\n"
		   "    description: Đến cơ quan muộn hoặc về sớm.\n"
		   "    legal_basis: [QĐ 1847, Chỉ thị 26]\n"
		   "    default_severity: it_nghiem_trong\n"
		   "    categories: [cong_chuc, vien_chuc]\n");
	rs = load_path_ok(dir);
	assert_string_not_equal(vh_rules_hash(rs), h0);
	vh_rules_free(rs);
	/* so is a closed period: the set's hash covers valid_to */
	write_file(a, HEAD RULE_BLOCK "    valid_to: 2030-01-01\n" OTHER_RULE);
	rs = load_path_ok(dir);
	assert_string_not_equal(vh_rules_hash(rs), h0);
	vh_rules_free(rs);
	/* a second file adds to the set */
	write_file(a, HEAD RULE_BLOCK OTHER_RULE);
	write_file(b, "format: 1\nid: b-2021\ntitle: Bổ sung\nissuer: Bộ\n"
		   "legal_basis: [QĐ 874]\nvalid_from: 2021-06-17\n"
		   "groups: [{code: thai_do, name_vi: Thái độ, name_en: Attitude}]\n"
		   "rules:\n  - code: TD-09\n    group: thai_do\n    title_vi: Khác\n"
		   "    title_en: Other\n    description: Khác.\n    legal_basis: [QĐ 874]\n"
		   "    default_severity: it_nghiem_trong\n    categories: [can_bo]\n");
	rs = load_path_ok(dir);
	assert_int_equal(vh_rules_count(rs), 3);
	assert_string_not_equal(vh_rules_hash(rs), h0);
	/* file order: 10-a before 20-b */
	assert_string_equal(vh_rules_get(rs, 2)->code, "TD-09");
	assert_string_equal(vh_rules_header_get(rs, 1)->id, "b-2021");
	vh_rules_free(rs);
	/* a broken file: nothing loads, and the error names the file */
	write_file(b, "format: 1\nid: [\n");
	{
		struct vh_diag d;
		vh_diag_init(&d);
		rs = (struct vh_ruleset *)1;
		assert_int_equal(vh_rules_load_path(&rs, dir, &vocab, &d), -1);
		assert_null(rs);
		assert_true(d.n >= 1);
		assert_non_null(strstr(d.msgs[0], "20-b.yaml:"));
		vh_diag_free(&d);
	}
	unlink(a);
	unlink(b);
	/* a folder without rules files */
	{
		struct vh_diag d;
		vh_diag_init(&d);
		assert_int_equal(vh_rules_load_path(&rs, dir, &vocab, &d), -1);
		assert_null(rs);
		assert_int_equal(d.n, 1);
		assert_non_null(strstr(d.msgs[0], "no *.yaml file in the folder"));
		vh_diag_free(&d);
	}
	rmdir(dir);
}

static void
test_load_errors(void **state)
{
	struct vh_ruleset *rs = (struct vh_ruleset *)1;
	struct vh_diag d;
	const char *name = "big.yaml";
	char *big;
	size_t len = VH_RULES_MAX_BYTES + 1, n;

	(void)state;
	/* a missing file */
	vh_diag_init(&d);
	assert_int_equal(vh_rules_load_path(&rs, "/nonexistent/rules.yaml", &vocab, &d), -1);
	assert_null(rs);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.msgs[0], "/nonexistent/rules.yaml: cannot read"));
	vh_diag_free(&d);
	/* a buffer over the limit */
	big = malloc(len);
	assert_non_null(big);
	memset(big, '#', len);
	vh_diag_init(&d);
	assert_int_equal(vh_rules_load_buffers(&rs, 1, &name, (const char *const *)&big,
					       &len, &vocab, &d), -1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], "big.yaml:1:1: larger than 1048576 bytes");
	vh_diag_free(&d);
	free(big);
	/* no files at all */
	vh_diag_init(&d);
	assert_int_equal(vh_rules_load_buffers(&rs, 0, NULL, NULL, NULL, &vocab, &d), -1);
	assert_int_equal(d.n, 1);
	vh_diag_free(&d);
	/* without a vocabulary, only the syntax of codes is checked */
	{
		const char *text = HEAD "  - code: TD-01\n    group: thai_do\n"
			"    title_vi: Đi muộn\n    title_en: Late\n    description: Muộn.\n"
			"    legal_basis: [QĐ 1847]\n    default_severity: rat_nhe\n"
			"    categories: [cong_nhan]\n";
		size_t tlen = strlen(text);
		const char *tname = "novocab.yaml";
		struct vh_vocab none = { NULL, NULL };
		vh_diag_init(&d);
		assert_int_equal(vh_rules_load_buffers(&rs, 1, &tname, &text, &tlen, NULL, &d), 0);
		assert_string_equal(vh_rules_get(rs, 0)->categories[0], "cong_nhan");
		vh_rules_free(rs);
		assert_int_equal(vh_rules_load_buffers(&rs, 1, &tname, &text, &tlen, &none, &d), 0);
		vh_rules_free(rs);
		assert_int_equal(vh_rules_load_buffers(&rs, 1, &tname, &text, &tlen, &vocab, &d), -1);
		assert_null(rs);
		assert_int_equal(d.n, 2);
		vh_diag_free(&d);
	}
	/* the errors of two files are all reported */
	{
		const char *names[] = { "a.yaml", "b.yaml" };
		const char *bufs[] = { "format: 2\n", "rules: 1\n" };
		size_t lens[] = { 10, 9 };
		vh_diag_init(&d);
		assert_int_equal(vh_rules_load_buffers(&rs, 2, names, bufs, lens, &vocab, &d), -1);
		assert_true(d.n >= 4);
		assert_string_equal(d.msgs[0], "a.yaml:1:1: missing key 'id'");
		assert_non_null(strstr(d.msgs[d.n - 1], "b.yaml:1:8: rules: expected a list"));
		vh_diag_free(&d);
	}
	/* a set with an error is nothing: not even its valid rules */
	assert_null(load_text(HEAD RULE_BLOCK OTHER_RULE "  - code: X\n", &n));
	assert_true(n > 0);
	vh_rules_free(NULL);
	assert_int_equal(vh_rules_count(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_code),
		cmocka_unit_test(test_find_versions),
		cmocka_unit_test(test_content_hash),
		cmocka_unit_test(test_set_hash),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
