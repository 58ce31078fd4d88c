/*
 * The legal engine against the shipped tables (config/legal, from
 * $VH_LEGAL_DIR): a table of legal scenarios, each with the answer the law
 * gives (LEGAL.md), and the engine's API around them.
 *
 * Every expected date was counted by hand: periods end on the date
 * corresponding to the start (the last day, inclusive), on the month's last
 * day when the month lacks it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "legal.h"

static struct vh_legal *law;

enum kind { FORMS, LIMIT, DEADLINE, EFFECT, LADDER, CHECK };

struct scenario {
	const char *name;
	enum kind kind;
	const char *category;
	bool leader;
	enum vh_legal_status status;
	const char *violation, *detection, *decision, *effective;
	const char *form, *severity, *in_effect, *reason;
	bool no_limitation, complex, already;
	int paused;
	const char *klass, *deferral_ended, *ended;
	bool elected;
	/* what the law answers, as the runner prints it (see run()) */
	const char *expect;
};

#define A VH_LEGAL_ACTIVE
#define R VH_LEGAL_RETIRED
#define L VH_LEGAL_LEFT

static const struct scenario scenarios[] = {
	/* forms: the regime in force on the decision date */
	{ "forms cong_chuc, last day of A", FORMS, "cong_chuc", false, A,
	  .decision = "2025-06-30",
	  .expect = "regime_a: khien_trach canh_cao ha_bac_luong buoc_thoi_viec" },
	{ "forms cong_chuc, first day of B", FORMS, "cong_chuc", false, A,
	  .decision = "2025-07-01",
	  .expect = "regime_b: khien_trach canh_cao buoc_thoi_viec" },
	{ "forms cong_chuc leader, last day of A", FORMS, "cong_chuc", true, A,
	  .decision = "2025-06-30",
	  .expect = "regime_a: khien_trach canh_cao giang_chuc cach_chuc buoc_thoi_viec" },
	{ "forms cong_chuc leader, first day of B", FORMS, "cong_chuc", true, A,
	  .decision = "2025-07-01",
	  .expect = "regime_b: khien_trach canh_cao cach_chuc buoc_thoi_viec" },
	/* item 9: cách chức for cán bộ appointed, bãi nhiệm for the elected (LEGAL.md §1) */
	{ "forms can_bo appointed, A", FORMS, "can_bo", false, A, .decision = "2024-01-10",
	  .expect = "regime_a: khien_trach canh_cao cach_chuc" },
	{ "forms can_bo leader appointed, B", FORMS, "can_bo", true, A, .decision = "2025-08-01",
	  .expect = "regime_b: khien_trach canh_cao cach_chuc" },
	{ "forms can_bo elected, A", FORMS, "can_bo", true, A, .decision = "2025-06-30",
	  .elected = true, .expect = "regime_a: khien_trach canh_cao bai_nhiem" },
	{ "forms can_bo elected, B", FORMS, "can_bo", false, A, .decision = "2025-07-01",
	  .elected = true, .expect = "regime_b: khien_trach canh_cao bai_nhiem" },
	{ "forms cong_chuc leader 'elected': no list of its own, as leader", FORMS, "cong_chuc",
	  true, A, .decision = "2025-07-01", .elected = true,
	  .expect = "regime_b: khien_trach canh_cao cach_chuc buoc_thoi_viec" },
	{ "forms vien_chuc, A", FORMS, "vien_chuc", false, A, .decision = "2023-05-05",
	  .expect = "regime_a: khien_trach canh_cao buoc_thoi_viec" },
	{ "forms vien_chuc leader, B", FORMS, "vien_chuc", true, A, .decision = "2025-07-01",
	  .expect = "regime_b: khien_trach canh_cao cach_chuc buoc_thoi_viec" },
	/* Labour Code 2019 art. 124, in force 01/01/2021 (item 14) */
	{ "forms nguoi_lao_dong (Labour Code)", FORMS, "nguoi_lao_dong", false, A,
	  .decision = "2022-02-02",
	  .expect = "labour_code_2019: khien_trach keo_dai_nang_luong cach_chuc sa_thai" },
	{ "forms nguoi_lao_dong leader", FORMS, "nguoi_lao_dong", true, A,
	  .decision = "2026-02-02",
	  .expect = "labour_code_2019: khien_trach keo_dai_nang_luong cach_chuc sa_thai" },
	/* Labour Code 2012 art. 124 until 31/12/2020 [check] */
	{ "forms nguoi_lao_dong decided 31/12/2020: Labour Code 2012", FORMS, "nguoi_lao_dong",
	  false, A, .decision = "2020-12-31",
	  .expect = "labour_code_2012: khien_trach keo_dai_nang_luong cach_chuc sa_thai" },
	{ "forms nguoi_lao_dong decided 01/01/2021: Labour Code 2019", FORMS, "nguoi_lao_dong",
	  false, A, .decision = "2021-01-01",
	  .expect = "labour_code_2019: khien_trach keo_dai_nang_luong cach_chuc sa_thai" },
	/* item 9: retired or left: reprimand, warning, removal of the title (Law 80/2025 art. 43(3)) */
	{ "forms retired cong_chuc", FORMS, "cong_chuc", false, R, .decision = "2025-09-01",
	  .expect = "regime_b: khien_trach canh_cao xoa_ten_chuc_danh" },
	{ "forms retired cong_chuc leader: removal of the title", FORMS, "cong_chuc", true, R,
	  .decision = "2024-09-01",
	  .expect = "regime_a: khien_trach canh_cao xoa_ten_chuc_danh" },
	{ "forms can_bo leader who left", FORMS, "can_bo", true, L, .decision = "2025-07-01",
	  .expect = "regime_b: khien_trach canh_cao xoa_ten_chuc_danh" },
	{ "forms vien_chuc who left, 30/6/2025", FORMS, "vien_chuc", false, L,
	  .decision = "2025-06-30", .expect = "regime_a: khien_trach canh_cao xoa_ten_chuc_danh" },
	{ "forms nguoi_lao_dong who left: none", FORMS, "nguoi_lao_dong", false, L,
	  .decision = "2025-07-01", .expect = "labour_code_2019:" },
	{ "forms decided 30/6/2020: no regime gives forms", FORMS, "cong_chuc", false, A,
	  .decision = "2020-06-30", .expect = "error -3" },
	/* Law 52/2019 in force 01/7/2020, Decree 112/2020 only from 20/9/2020 (item 14) */
	{ "forms decided 01/7/2020: the law itself", FORMS, "vien_chuc", false, A,
	  .decision = "2020-07-01", .expect = "law_52_2019: khien_trach canh_cao buoc_thoi_viec" },
	{ "forms decided 19/9/2020: the law itself", FORMS, "cong_chuc", false, A,
	  .decision = "2020-09-19",
	  .expect = "law_52_2019: khien_trach canh_cao ha_bac_luong buoc_thoi_viec" },
	{ "forms decided 20/9/2020: Decree 112", FORMS, "cong_chuc", false, A,
	  .decision = "2020-09-20",
	  .expect = "regime_a: khien_trach canh_cao ha_bac_luong buoc_thoi_viec" },
	/* Decree 112 not in force before 20/9/2020: no ladder */
	{ "ladder decided 19/9/2020: none yet", LADDER, "cong_chuc", false, A,
	  .decision = "2020-09-19", .severity = "nghiem_trong", .expect = "error -3" },
	{ "ladder decided 20/9/2020: Decree 112", LADDER, "cong_chuc", false, A,
	  .decision = "2020-09-20", .severity = "nghiem_trong", .expect = "canh_cao" },

	/*
	 * limitation (items 1, 2, 5, 6): a dated table of its own, the regime
	 * in force on the day the act ended; the period of the level the
	 * violation deserves (here given as the form)
	 */
	/* Law 22/2008 art. 80, Law 58/2010 art. 53: 24 months before 01/7/2020 */
	{ "limitation violation 30/6/2020: 24 months", LIMIT, .violation = "2020-06-30",
	  .form = "khien_trach", .expect = "limitation_2008 any 2022-06-30" },
	/* Law 52/2019 art. 80: 2 years at reprimand level, 5 years otherwise */
	{ "limitation violation 01/7/2020 reprimand: 2 years", LIMIT, .violation = "2020-07-01",
	  .form = "khien_trach", .expect = "limitation_law52 reprimand 2022-07-01" },
	{ "limitation violation 01/7/2020 warning: 5 years", LIMIT, .violation = "2020-07-01",
	  .form = "canh_cao", .expect = "limitation_law52 above 2025-07-01" },
	{ "limitation violation 14/11/2022 reprimand: still 2 years", LIMIT,
	  .violation = "2022-11-14", .form = "khien_trach",
	  .expect = "limitation_law52 reprimand 2024-11-14" },
	{ "limitation violation 14/11/2022 warning: still 5 years", LIMIT,
	  .violation = "2022-11-14", .form = "canh_cao",
	  .expect = "limitation_law52 above 2027-11-14" },
	/* Resolution 76/2022/QH15 from 15/11/2022: 5 years reprimand, 10 above */
	{ "limitation violation 15/11/2022 reprimand: 5 years", LIMIT,
	  .violation = "2022-11-15", .form = "khien_trach",
	  .expect = "limitation_res76 reprimand 2027-11-15" },
	{ "limitation violation 15/11/2022 warning: 10 years", LIMIT,
	  .violation = "2022-11-15", .form = "canh_cao",
	  .expect = "limitation_res76 above 2032-11-15" },
	/* issue #9 item 1: reprimand-level act of 01/12/2022 runs to 01/12/2027 */
	{ "limitation violation 01/12/2022 reprimand: 01/12/2027", LIMIT,
	  .violation = "2022-12-01", .form = "khien_trach",
	  .expect = "limitation_res76 reprimand 2027-12-01" },
	/* Resolution 76 kept by Law 80/2025: the 2025 regime change changes nothing */
	{ "limitation violation 30/6/2025 reprimand: 5 years", LIMIT, .violation = "2025-06-30",
	  .decision = "2025-08-01", .form = "khien_trach",
	  .expect = "limitation_res76 reprimand 2030-06-30" },
	{ "limitation violation 01/7/2025 reprimand: 5 years", LIMIT, .violation = "2025-07-01",
	  .form = "khien_trach", .expect = "limitation_res76 reprimand 2030-07-01" },
	{ "limitation violation 01/7/2025 removal: 10 years", LIMIT, .violation = "2025-07-01",
	  .form = "cach_chuc", .expect = "limitation_res76 above 2035-07-01" },
	/* month ends and leap days (Civil Code art. 147-148 [check]) */
	{ "limitation from 29/02/2024, 5 years: 28/02/2029", LIMIT, .violation = "2024-02-29",
	  .form = "khien_trach", .expect = "limitation_res76 reprimand 2029-02-28" },
	{ "limitation from 29/02/2020, 24 months: 28/02/2022", LIMIT, .violation = "2020-02-29",
	  .form = "canh_cao", .expect = "limitation_2008 any 2022-02-28" },
	{ "limitation from 29/02/2028 warning, 10 years: 28/02/2038", LIMIT,
	  .violation = "2028-02-29", .form = "canh_cao", .expect = "limitation_res76 above 2038-02-28" },
	{ "limitation from 31/8/2021 reprimand, 2 years: 31/8/2023", LIMIT,
	  .violation = "2021-08-31", .form = "khien_trach",
	  .expect = "limitation_law52 reprimand 2023-08-31" },
	/* level not known yet (at report): the longest period */
	{ "limitation level not known yet: the longest", LIMIT, .violation = "2023-01-01",
	  .expect = "limitation_res76 above 2033-01-01" },
	/* Law 52/2019 art. 80(2): no limitation for fake degrees */
	{ "limitation none (fake degree), 2021", LIMIT, .violation = "2021-03-01",
	  .form = "buoc_thoi_viec", .no_limitation = true, .expect = "limitation_law52 - none" },
	{ "limitation none asked before 2020: the old law has no exception", LIMIT,
	  .violation = "2019-03-01", .form = "buoc_thoi_viec", .no_limitation = true,
	  .expect = "limitation_2008 any 2021-03-01" },
	/* item 5: a pause stops only the handling deadline (pauses_extend: false [check]) */
	{ "limitation paused 30 days: unchanged", LIMIT, .violation = "2021-01-31",
	  .form = "khien_trach", .paused = 30, .expect = "limitation_law52 reprimand 2023-01-31" },
	/* item 6: Labour Code 2019 art. 123: 6 months, 12 for finance/assets/secrets */
	{ "limitation labour worker 01/01/2021: 6 months", LIMIT, "nguoi_lao_dong",
	  .violation = "2021-01-01", .form = "khien_trach",
	  .expect = "labour_code_2019 labour 2021-07-01" },
	{ "limitation labour worker 31/12/2020: Labour Code 2012", LIMIT, "nguoi_lao_dong",
	  .violation = "2020-12-31", .form = "sa_thai", .expect = "labour_code_2012 labour 2021-06-30" },
	{ "limitation labour worker 31/8/2023: month end", LIMIT, "nguoi_lao_dong",
	  .violation = "2023-08-31", .expect = "labour_code_2019 labour 2024-02-29" },
	{ "limitation labour worker, assets: 12 months", LIMIT, "nguoi_lao_dong",
	  .violation = "2024-02-29", .klass = "DD-04", .expect = "labour_code_2019 labour_finance 2025-02-28" },
	{ "limitation labour worker, the level changes nothing", LIMIT, "nguoi_lao_dong",
	  .violation = "2025-07-01", .form = "sa_thai", .expect = "labour_code_2019 labour 2026-01-01" },
	/* art. 123(2): a deferral ground past the period leaves 60 days after it ends */
	{ "limitation labour worker, deferral ended past the period: +60 days", LIMIT,
	  "nguoi_lao_dong", .violation = "2025-01-10", .deferral_ended = "2025-08-01",
	  .expect = "labour_code_2019 labour 2025-09-30" },
	{ "limitation labour worker, deferral ended early: the period", LIMIT,
	  "nguoi_lao_dong", .violation = "2025-01-10", .deferral_ended = "2025-03-01",
	  .expect = "labour_code_2019 labour 2025-07-10" },
	{ "limitation labour worker, no exception for fake degrees", LIMIT, "nguoi_lao_dong",
	  .violation = "2025-01-10", .no_limitation = true, .expect = "labour_code_2019 labour 2025-07-10" },
	{ "limitation civil servant: not the labour periods", LIMIT, "cong_chuc",
	  .violation = "2021-01-01", .form = "khien_trach",
	  .expect = "limitation_law52 reprimand 2023-01-01" },

	/* handling deadline from detection */
	{ "deadline 90 days", DEADLINE, .detection = "2025-01-10", .expect = "procedure_2023 90 2025-04-10" },
	{ "deadline complex 150 days", DEADLINE, .detection = "2025-01-10", .complex = true,
	  .expect = "procedure_2023 150 2025-06-09" },
	{ "deadline 90 days paused 20", DEADLINE, .detection = "2025-01-10", .paused = 20,
	  .expect = "procedure_2023 90 2025-04-30" },
	{ "deadline complex paused 10, B", DEADLINE, .detection = "2025-07-01", .complex = true,
	  .paused = 10, .expect = "regime_b 150 2025-12-08" },

	/* effect and career freeze from the effective date */
	{ "effect khien_trach: 12 and 12 months", EFFECT, "cong_chuc", .decision = "2025-03-10",
	  .effective = "2025-03-15", .form = "khien_trach", .expect = "regime_a 2026-03-15 2026-03-15" },
	{ "effect cach_chuc: freeze 24 months", EFFECT, "cong_chuc", .decision = "2025-08-01",
	  .form = "cach_chuc", .expect = "regime_b 2026-08-01 2027-08-01" },
	{ "effect giang_chuc from 29/02/2024", EFFECT, "cong_chuc", .decision = "2024-02-29",
	  .form = "giang_chuc", .expect = "regime_a 2025-02-28 2026-02-28" },
	{ "effect buoc_thoi_viec: no end", EFFECT, "vien_chuc", .decision = "2024-05-05",
	  .form = "buoc_thoi_viec", .expect = "regime_a none none" },
	{ "effect labour reprimand 3 months from 31/01", EFFECT, "nguoi_lao_dong",
	  .decision = "2025-01-31", .form = "khien_trach", .expect = "labour_code_2019 2025-04-30 none" },
	{ "effect ha_bac_luong under B: not a form there", EFFECT, "cong_chuc",
	  .decision = "2025-07-02", .form = "ha_bac_luong", .expect = "error -1" },

	/* the ladder */
	{ "ladder less serious, first: reprimand", LADDER, "cong_chuc", false, A,
	  .decision = "2025-08-01", .severity = "it_nghiem_trong", .expect = "khien_trach" },
	{ "ladder serious, first: warning", LADDER, "cong_chuc", false, A,
	  .decision = "2025-08-01", .severity = "nghiem_trong", .expect = "canh_cao" },
	{ "ladder very serious, staff: dismissal", LADDER, "cong_chuc", false, A,
	  .decision = "2025-08-01", .severity = "rat_nghiem_trong", .expect = "buoc_thoi_viec" },
	{ "ladder very serious, leader: removal", LADDER, "cong_chuc", true, A,
	  .decision = "2025-08-01", .severity = "rat_nghiem_trong", .expect = "cach_chuc" },
	{ "ladder repeat after reprimand: warning", LADDER, "vien_chuc", false, A,
	  .decision = "2025-08-01", .severity = "it_nghiem_trong", .in_effect = "khien_trach",
	  .expect = "canh_cao" },
	{ "ladder repeat after warning, leader: removal", LADDER, "cong_chuc", true, A,
	  .decision = "2025-08-01", .severity = "it_nghiem_trong", .in_effect = "canh_cao",
	  .expect = "cach_chuc" },
	{ "ladder repeat after warning, staff A: one heavier", LADDER, "cong_chuc", false, A,
	  .decision = "2024-08-01", .severity = "it_nghiem_trong", .in_effect = "canh_cao",
	  .expect = "ha_bac_luong" },
	{ "ladder repeat after warning, staff B: one heavier", LADDER, "cong_chuc", false, A,
	  .decision = "2025-08-01", .severity = "it_nghiem_trong", .in_effect = "canh_cao",
	  .expect = "buoc_thoi_viec" },
	/* item 9: the ladder follows how a cán bộ holds office */
	{ "ladder can_bo appointed very serious: removal from post", LADDER, "can_bo", false, A,
	  .decision = "2025-08-01", .severity = "rat_nghiem_trong", .expect = "cach_chuc" },
	{ "ladder can_bo elected very serious: removal from elected office", LADDER, "can_bo",
	  true, A, .decision = "2025-08-01", .severity = "rat_nghiem_trong", .elected = true,
	  .expect = "bai_nhiem" },
	{ "ladder can_bo elected very serious, A", LADDER, "can_bo", true, A,
	  .decision = "2024-08-01", .severity = "rat_nghiem_trong", .elected = true,
	  .expect = "bai_nhiem" },
	/* item 9: retired or left: the ladder suggests their forms */
	{ "ladder retired very serious: removal of the title", LADDER, "cong_chuc", false, R,
	  .decision = "2025-08-01", .severity = "rat_nghiem_trong", .expect = "xoa_ten_chuc_danh" },
	{ "ladder left especially serious, A: removal of the title", LADDER, "vien_chuc", true, L,
	  .decision = "2024-08-01", .severity = "dac_biet_nghiem_trong",
	  .expect = "xoa_ten_chuc_danh" },
	{ "ladder retired serious: warning", LADDER, "cong_chuc", false, R,
	  .decision = "2024-08-01", .severity = "nghiem_trong", .expect = "canh_cao" },
	/* item 7: a level Decree 172 lacks has no rung */
	{ "ladder especially serious under B: not a level", LADDER, "cong_chuc", false, A,
	  .decision = "2025-08-01", .severity = "dac_biet_nghiem_trong", .expect = "(none)" },
	/* item 8: Decree 112 art. 10-11: very serious first act */
	{ "ladder A very serious, civil servant without a post: salary step", LADDER,
	  "cong_chuc", false, A, .decision = "2025-06-30", .severity = "rat_nghiem_trong",
	  .expect = "ha_bac_luong" },
	{ "ladder A very serious, civil servant with a post: demotion", LADDER,
	  "cong_chuc", true, A, .decision = "2020-09-20", .severity = "rat_nghiem_trong",
	  .expect = "giang_chuc" },
	{ "ladder A very serious, public employee: dismissal [check]", LADDER,
	  "vien_chuc", false, A, .decision = "2023-01-01", .severity = "rat_nghiem_trong",
	  .expect = "buoc_thoi_viec" },
	{ "ladder A especially serious, leader: removal first [check]", LADDER,
	  "cong_chuc", true, A, .decision = "2023-01-01", .severity = "dac_biet_nghiem_trong",
	  .expect = "cach_chuc" },
	/* Decree 112: a sanction in effect: one form heavier than it */
	{ "ladder A repeat after warning, leader: demotion", LADDER, "cong_chuc", true, A,
	  .decision = "2024-08-01", .severity = "it_nghiem_trong", .in_effect = "canh_cao",
	  .expect = "giang_chuc" },
	{ "ladder A repeat, new act heavier: the new act's form", LADDER, "cong_chuc", false, A,
	  .decision = "2024-08-01", .severity = "rat_nghiem_trong", .in_effect = "khien_trach",
	  .expect = "ha_bac_luong" },
	/* Decree 172: a new act heavier than the sanction in effect: one step above its form */
	{ "ladder B repeat, new act heavier: one above its form", LADDER, "cong_chuc", false, A,
	  .decision = "2025-07-01", .severity = "nghiem_trong", .in_effect = "khien_trach",
	  .expect = "buoc_thoi_viec" },
	{ "ladder B repeat, new act heavier, leader: one above warning", LADDER, "cong_chuc",
	  true, A, .decision = "2025-07-01", .severity = "nghiem_trong", .in_effect = "khien_trach",
	  .expect = "cach_chuc" },
	{ "ladder B repeat, new act lighter: one above the sanction in effect", LADDER,
	  "vien_chuc", true, A, .decision = "2025-07-01", .severity = "it_nghiem_trong",
	  .in_effect = "canh_cao", .expect = "cach_chuc" },
	{ "ladder B repeat, same level: one above", LADDER, "cong_chuc", false, A,
	  .decision = "2026-02-28", .severity = "it_nghiem_trong", .in_effect = "khien_trach",
	  .expect = "canh_cao" },
	{ "ladder nobody to sanction", LADDER, "nguoi_lao_dong", false, L,
	  .decision = "2025-08-01", .severity = "nghiem_trong", .expect = "(none)" },

	/* decisions */
	{ "check reprimand as the ladder says", CHECK, "cong_chuc", false, A,
	  "2025-08-01", "2025-08-05", "2025-09-01", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "accepted" },
	{ "check demotion under B: the category lacks it", CHECK, "cong_chuc", true, A,
	  "2025-05-01", "2025-06-01", "2025-07-01", NULL, "giang_chuc", "nghiem_trong",
	  .reason = "x", .expect = "refused form_not_allowed" },
	{ "check demotion on 30/6/2025 with a reason", CHECK, "cong_chuc", true, A,
	  "2025-05-01", "2025-06-01", "2025-06-30", NULL, "giang_chuc", "nghiem_trong",
	  .reason = "hậu quả lớn", .expect = "warning ladder_departure" },
	{ "check departure without a reason", CHECK, "cong_chuc", true, A,
	  "2025-05-01", "2025-06-01", "2025-06-30", NULL, "giang_chuc", "nghiem_trong",
	  .expect = "refused ladder_reason_required" },
	{ "check time-barred the day after expiry", CHECK, "cong_chuc", false, A,
	  "2020-07-01", NULL, "2022-07-02", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "refused time_barred" },
	{ "check on the expiry day itself", CHECK, "cong_chuc", false, A,
	  "2020-07-01", NULL, "2022-07-01", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "accepted" },
	/* item 5: a pause does not move the limitation (pauses_extend: false [check]) */
	{ "check paused days do not save a time-barred case", CHECK, "cong_chuc", false, A,
	  "2020-07-01", NULL, "2022-07-02", NULL, "khien_trach", "it_nghiem_trong",
	  .paused = 1, .expect = "refused time_barred" },
	/* item 1: Resolution 76/2022: 5 years from 15/11/2022, whatever the forms regime */
	{ "check violation 30/6/2025 decided 2027-07-01: 5 years", CHECK, "vien_chuc", false, A,
	  "2025-06-30", NULL, "2027-07-01", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "accepted" },
	{ "check reprimand-level act 01/12/2022 decided 01/12/2025: in time", CHECK,
	  "cong_chuc", false, A, "2022-12-01", "2025-03-01", "2025-12-01", NULL, "khien_trach",
	  "it_nghiem_trong", .reason = "x", .expect = "warning deadline_passed" },
	{ "check reprimand-level act 01/12/2022 decided 01/12/2027: last day", CHECK,
	  "cong_chuc", false, A, "2022-12-01", NULL, "2027-12-01", NULL, "khien_trach",
	  "it_nghiem_trong", .expect = "accepted" },
	{ "check reprimand-level act 01/12/2022 decided 02/12/2027: time-barred", CHECK,
	  "cong_chuc", false, A, "2022-12-01", NULL, "2027-12-02", NULL, "khien_trach",
	  "it_nghiem_trong", .expect = "refused time_barred" },
	{ "check act of 14/11/2022 at reprimand level: 2 years, barred 15/11/2024", CHECK,
	  "cong_chuc", false, A, "2022-11-14", NULL, "2024-11-15", NULL, "khien_trach",
	  "it_nghiem_trong", .expect = "refused time_barred" },
	{ "check act of 15/11/2022 at reprimand level: 5 years, in time 15/11/2024", CHECK,
	  "cong_chuc", false, A, "2022-11-15", NULL, "2024-11-15", NULL, "khien_trach",
	  "it_nghiem_trong", .expect = "accepted" },
	/*
	 * item 2: the period is the level's the violation deserves, never the
	 * form proposed: a less serious act (reprimand level, 2 years) decided
	 * after 2 years stays time-barred when a warning is proposed
	 */
	{ "check heavier form proposed does not revive an expired case", CHECK, "cong_chuc",
	  false, A, "2021-03-01", NULL, "2023-03-02", NULL, "canh_cao", "it_nghiem_trong",
	  .reason = "muốn nặng hơn", .expect = "refused time_barred" },
	{ "check serious act (warning level) in its 5 years", CHECK, "cong_chuc",
	  false, A, "2021-03-01", NULL, "2023-03-02", NULL, "khien_trach", "nghiem_trong",
	  .reason = "nhẹ hơn", .expect = "warning ladder_departure" },
	/* a reprimand in effect on the new act: the new act deserves a warning (10 years) */
	{ "check repeat while a reprimand is in effect: warning level", CHECK, "cong_chuc",
	  false, A, "2023-01-10", NULL, "2028-02-01", NULL, "canh_cao", "it_nghiem_trong",
	  .in_effect = "khien_trach", .expect = "accepted" },
	/* item 6: Labour Code art. 123: 6 months */
	{ "check labour worker after 6 months: time-barred", CHECK, "nguoi_lao_dong", false, A,
	  "2025-01-10", NULL, "2025-07-11", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "refused time_barred" },
	{ "check labour worker on the last day of 6 months", CHECK, "nguoi_lao_dong", false, A,
	  "2025-01-10", NULL, "2025-07-10", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "accepted" },
	{ "check labour worker, finance rule: 12 months", CHECK, "nguoi_lao_dong", false, A,
	  "2025-01-10", NULL, "2026-01-10", NULL, "khien_trach", "it_nghiem_trong",
	  .klass = "DD-05", .expect = "accepted" },
	{ "check labour worker, 60 days after a deferral ground ended", CHECK, "nguoi_lao_dong",
	  false, A, "2025-01-10", NULL, "2025-09-30", NULL, "khien_trach", "it_nghiem_trong",
	  .deferral_ended = "2025-08-01", .expect = "accepted" },
	{ "check already sanctioned", CHECK, "cong_chuc", false, A,
	  "2025-08-01", NULL, "2025-09-01", NULL, "khien_trach", "it_nghiem_trong",
	  .already = true, .expect = "refused already_sanctioned" },
	{ "check fake degree, no limitation, 9 years later", CHECK, "cong_chuc", false, A,
	  "2020-08-01", "2029-12-01", "2030-01-01", NULL, "buoc_thoi_viec",
	  "rat_nghiem_trong", .no_limitation = true, .expect = "accepted" },
	/* item 7: Decree 172/2025 has three levels */
	{ "check especially serious under B: not a level", CHECK, "cong_chuc", false, A,
	  "2025-08-01", NULL, "2025-09-01", NULL, "buoc_thoi_viec", "dac_biet_nghiem_trong",
	  .expect = "refused severity_not_in_regime" },
	{ "check especially serious decided 30/6/2025 under A", CHECK, "cong_chuc", false, A,
	  "2025-05-01", NULL, "2025-06-30", NULL, "buoc_thoi_viec", "dac_biet_nghiem_trong",
	  .expect = "accepted" },
	{ "check especially serious decided 01/7/2025 under B", CHECK, "cong_chuc", false, A,
	  "2025-05-01", NULL, "2025-07-01", NULL, "buoc_thoi_viec", "dac_biet_nghiem_trong",
	  .expect = "refused severity_not_in_regime" },
	/* item 9: bãi nhiệm only for the elected, cách chức only for the appointed */
	{ "check bai_nhiem of an appointed cán bộ", CHECK, "can_bo", true, A,
	  "2025-08-01", NULL, "2025-09-01", NULL, "bai_nhiem", "rat_nghiem_trong",
	  .reason = "x", .expect = "refused form_not_allowed" },
	{ "check cach_chuc of an elected cán bộ", CHECK, "can_bo", true, A,
	  "2025-08-01", NULL, "2025-09-01", NULL, "cach_chuc", "rat_nghiem_trong",
	  .elected = true, .reason = "x", .expect = "refused form_not_allowed" },
	{ "check bai_nhiem of an elected cán bộ", CHECK, "can_bo", true, A,
	  "2025-08-01", NULL, "2025-09-01", NULL, "bai_nhiem", "rat_nghiem_trong",
	  .elected = true, .expect = "accepted" },
	{ "check removal of the title of a retired official", CHECK, "cong_chuc", false, R,
	  "2025-08-01", NULL, "2025-09-01", NULL, "xoa_ten_chuc_danh", "rat_nghiem_trong",
	  .expect = "accepted" },
	{ "check after the 90-day deadline: warning", CHECK, "cong_chuc", false, A,
	  "2025-07-20", "2025-08-01", "2025-10-31", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "warning deadline_passed" },
	{ "check complex case within 150 days", CHECK, "cong_chuc", false, A,
	  "2025-07-20", "2025-08-01", "2025-12-29", NULL, "khien_trach", "it_nghiem_trong",
	  .complex = true, .expect = "accepted" },
	{ "check decision before the violation", CHECK, "cong_chuc", false, A,
	  "2025-08-01", NULL, "2025-07-01", NULL, "khien_trach", "it_nghiem_trong",
	  .expect = "refused bad_case" },
	{ "check retired official warned", CHECK, "can_bo", false, R,
	  "2025-08-01", NULL, "2025-09-01", NULL, "canh_cao", "nghiem_trong",
	  .expect = "accepted" },
	{ "check retired official, salary step", CHECK, "cong_chuc", false, R,
	  "2024-08-01", NULL, "2024-09-01", NULL, "ha_bac_luong", "nghiem_trong",
	  .reason = "x", .expect = "refused form_not_allowed" },
	{ "check no sanction on a time-barred case", CHECK, "cong_chuc", false, A,
	  "2020-07-01", NULL, "2024-07-02", NULL, NULL, "it_nghiem_trong",
	  .expect = "accepted" },
	{ "check labour dismissal with a reason", CHECK, "nguoi_lao_dong", false, A,
	  "2025-08-01", NULL, "2025-09-01", NULL, "sa_thai", "rat_nghiem_trong",
	  .reason = "tái phạm", .expect = "warning ladder_departure" },
	{ "check unknown form", CHECK, "cong_chuc", false, A,
	  "2025-08-01", NULL, "2025-09-01", NULL, "phat_tien", "it_nghiem_trong",
	  .expect = "refused unknown_form" },
};

static vh_date
date_of(const char *s)
{
	vh_date d;

	if (s == NULL)
		return VH_DATE_NONE;
	assert_int_equal(vh_date_parse(&d, s), 0);
	return d;
}

static void
put_date(char *buf, size_t size, vh_date d)
{
	char s[VH_DATE_STRLEN];

	if (d == VH_DATE_NONE) {
		snprintf(buf, size, "none");
		return;
	}
	vh_date_format(s, d);
	snprintf(buf, size, "%s", s);
}

static void
run(void **state)
{
	const struct scenario *s = *state;
	struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
	char got[512] = "", a[VH_DATE_STRLEN + 5], b[VH_DATE_STRLEN + 5];
	int e = 0;

	w.violation = date_of(s->violation);
	w.detection = date_of(s->detection);
	w.decision = date_of(s->decision);
	w.effective = date_of(s->effective);
	w.ended = date_of(s->ended);
	switch (s->kind) {
	case FORMS: {
		struct vh_legal_forms f;
		struct vh_legal_who who = { s->category, s->leader, s->elected, s->status };
		if ((e = vh_legal_allowed_forms_w(law, &f, &who, &w)) < 0)
			break;
		snprintf(got, sizeof(got), "%s:", f.regime);
		for (size_t i = 0; i < f.n; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " %s", f.forms[i]);
		assert_null(f.forms[f.n]);
		assert_non_null(f.basis);
		break;
	}
	case LIMIT: {
		struct vh_legal_limit lim;
		struct vh_legal_limit_query q = {
			.when = w, .category = s->category, .level = s->form, .klass = s->klass,
			.no_limitation = s->no_limitation, .paused_days = s->paused,
			.deferral_ended = date_of(s->deferral_ended),
		};
		if ((e = vh_legal_limitation_q(law, &lim, &q)) < 0)
			break;
		put_date(a, sizeof(a), lim.expires);
		snprintf(got, sizeof(got), "%s %s %s", lim.regime, lim.period ? lim.period : "-", a);
		assert_non_null(lim.basis);
		break;
	}
	case DEADLINE: {
		struct vh_legal_deadline dl;
		if ((e = vh_legal_deadline(law, &dl, &w, s->complex, s->paused)) < 0)
			break;
		put_date(a, sizeof(a), dl.due);
		snprintf(got, sizeof(got), "%s %d %s", dl.regime, dl.days, a);
		break;
	}
	case EFFECT: {
		struct vh_legal_effect ef;
		if ((e = vh_legal_effect(law, &ef, s->form, s->category, &w)) < 0)
			break;
		put_date(a, sizeof(a), ef.effect_until);
		put_date(b, sizeof(b), ef.freeze_until);
		snprintf(got, sizeof(got), "%s %s %s", ef.regime, a, b);
		break;
	}
	case LADDER: {
		struct vh_legal_suggestion sg;
		struct vh_legal_who who = { s->category, s->leader, s->elected, s->status };
		if ((e = vh_legal_ladder_w(law, &sg, s->severity, s->in_effect, &who, &w)) < 0)
			break;
		snprintf(got, sizeof(got), "%s", sg.form ? sg.form : "(none)");
		break;
	}
	case CHECK: {
		struct vh_legal_case c = {
			.category = s->category, .leader = s->leader, .status = s->status,
			.when = w, .form = s->form, .severity = s->severity,
			.no_limitation = s->no_limitation, .complex = s->complex,
			.paused_days = s->paused, .already_sanctioned = s->already,
			.in_effect = s->in_effect, .reason = s->reason, .elected = s->elected,
			.klass = s->klass, .deferral_ended = date_of(s->deferral_ended),
		};
		struct vh_legal_result res;
		enum vh_legal_verdict v = vh_legal_check_decision(law, &res, &c);
		assert_int_equal(v, res.verdict);
		print_message("  %s: %s\n", res.id ? res.id : "ok", res.message);
		if (v == VH_LEGAL_ACCEPTED) {
			assert_null(res.id);
			snprintf(got, sizeof(got), "accepted");
		} else {
			assert_non_null(res.id);
			assert_true(res.message[0] != '\0');
			snprintf(got, sizeof(got), "%s %s",
				 v == VH_LEGAL_REFUSED ? "refused" : "warning", res.id);
		}
		/* a refusal by the law names its legal basis */
		if (v != VH_LEGAL_ACCEPTED && strcmp(res.id, "bad_case") != 0 &&
		    strncmp(res.id, "unknown_", 8) != 0)
			assert_non_null(res.basis);
		break;
	}
	}
	if (e < 0)
		snprintf(got, sizeof(got), "error %d", e);
	assert_string_equal(got, s->expect);
}

/* ---- the API around the scenarios ---- */

static void
test_vocab(void **state)
{
	struct vh_vocab v;
	size_t n = 0;

	(void)state;
	vh_legal_vocab(law, &v);
	for (; v.categories[n]; n++)
		;
	assert_int_equal(n, 4);
	assert_string_equal(v.severities[0], "it_nghiem_trong");
	assert_string_equal(v.severities[3], "dac_biet_nghiem_trong");
	assert_null(v.severities[4]);
	assert_true(vh_legal_has_category(law, "vien_chuc"));
	assert_false(vh_legal_has_category(law, "vien chuc"));
	assert_false(vh_legal_has_category(law, NULL));
	assert_true(vh_legal_has_severity(law, "nghiem_trong"));
	assert_true(vh_legal_has_form(law, "sa_thai"));
	assert_false(vh_legal_has_form(law, "phat_tien"));
	assert_string_equal(vh_legal_form_name(law, "giang_chuc"), "giáng chức");
	assert_string_equal(vh_legal_category_name(law, "cong_chuc"), "công chức");
	assert_string_equal(vh_legal_severity_name(law, "rat_nghiem_trong"), "rất nghiêm trọng");
	assert_null(vh_legal_form_name(law, "x"));
	assert_true(vh_legal_form_weight(law, "buoc_thoi_viec") >
		    vh_legal_form_weight(law, "cach_chuc"));
	assert_int_equal(vh_legal_form_weight(law, "x"), -1);
}

static void
test_regimes(void **state)
{
	struct vh_legal_dates w = VH_LEGAL_DATES_INIT;

	(void)state;
	assert_string_equal(vh_legal_regime_on(law, VH_LEGAL_LIMITATION, date_of("2020-06-30")),
			    "limitation_2008");
	assert_string_equal(vh_legal_regime_on(law, VH_LEGAL_LIMITATION, date_of("2020-07-01")),
			    "limitation_law52");
	assert_string_equal(vh_legal_regime_on(law, VH_LEGAL_LIMITATION, date_of("2022-11-15")),
			    "limitation_res76");
	assert_string_equal(vh_legal_regime_on(law, VH_LEGAL_FORMS, date_of("2025-06-30")),
			    "regime_a");
	assert_string_equal(vh_legal_regime_on(law, VH_LEGAL_PROCEDURE, date_of("2025-07-01")),
			    "regime_b");
	/* before 01/7/2020 only the Labour Code gives forms (its workers) */
	assert_string_equal(vh_legal_regime_on(law, VH_LEGAL_FORMS, date_of("2019-01-01")),
			    "labour_code_2012");
	assert_null(vh_legal_regime_on(law, VH_LEGAL_PROCEDURE, date_of("2019-01-01")));
	assert_null(vh_legal_regime_on(law, VH_LEGAL_FORMS, VH_DATE_NONE));
	/* procedure: the decision date, else the detection date */
	w.detection = date_of("2025-06-20");
	assert_int_equal(vh_legal_selecting_date(law, VH_LEGAL_PROCEDURE, &w), w.detection);
	w.decision = date_of("2025-07-10");
	assert_int_equal(vh_legal_selecting_date(law, VH_LEGAL_PROCEDURE, &w), w.decision);
	assert_int_equal(vh_legal_selecting_date(law, VH_LEGAL_LIMITATION, &w), VH_DATE_NONE);
}

static void
test_grounds(void **state)
{
	struct vh_legal_dates w = VH_LEGAL_DATES_INIT;

	(void)state;
	w.detection = date_of("2025-08-01");
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_DEFERRAL, "illness", &w));
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_DEFERRAL, "maternity", &w));
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_DEFERRAL, "prosecution", &w));
	assert_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_DEFERRAL, "holiday", &w));
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_WAIVER, "force_majeure", &w));
	assert_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_WAIVER, "illness", &w));
	/* item 10: Decree 112 art. 5: leave is a fourth deferral ground; not in Decree 172 */
	w.detection = date_of("2025-06-30");
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_DEFERRAL, "leave", &w));
	assert_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_WAIVER, "approved_innovation", &w));
	w.detection = date_of("2025-07-01");
	assert_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_DEFERRAL, "leave", &w));
	/* Law 80/2025 art. 34: six waiver grounds */
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_WAIVER, "approved_innovation", &w));
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_WAIVER,
					     "correct_no_self_interest", &w));
	w.detection = date_of("2025-08-01");
	/* no-limitation grounds follow the violation date */
	assert_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_NO_LIMITATION, "fake_degree", &w));
	w.violation = date_of("2021-01-01");
	assert_non_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_NO_LIMITATION, "fake_degree", &w));
	w.violation = date_of("2019-01-01");
	assert_null(vh_legal_ground_name(law, VH_LEGAL_GROUND_NO_LIMITATION, "fake_degree", &w));
}

static void
test_errors(void **state)
{
	struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
	struct vh_legal_forms f;
	struct vh_legal_limit lim;
	struct vh_legal_deadline dl;
	struct vh_legal_effect ef;
	struct vh_legal_suggestion sg;
	enum vh_legal_status st;

	(void)state;
	assert_int_equal(vh_legal_allowed_forms(law, &f, "cong_chuc", false, VH_LEGAL_ACTIVE, &w),
			 VH_LEGAL_ENODATE);
	assert_non_null(f.forms);
	assert_null(f.forms[0]);
	w.decision = date_of("2025-08-01");
	assert_int_equal(vh_legal_allowed_forms(law, &f, "x", false, VH_LEGAL_ACTIVE, &w),
			 VH_LEGAL_EUNKNOWN);
	assert_int_equal(vh_legal_allowed_forms(law, &f, "cong_chuc", false,
						(enum vh_legal_status)7, &w), VH_LEGAL_EINVALID);
	assert_int_equal(vh_legal_limitation(law, &lim, &w, "khien_trach", false, 0),
			 VH_LEGAL_ENODATE);
	w.violation = date_of("2025-07-15");
	assert_int_equal(vh_legal_limitation(law, &lim, &w, "khien_trach", false, -1),
			 VH_LEGAL_EINVALID);
	assert_int_equal(vh_legal_limitation(law, &lim, &w, "khien_trach", false, 2000000000),
			 VH_LEGAL_EINVALID);
	assert_int_equal(vh_legal_limitation(law, &lim, &w, "x", false, 0), VH_LEGAL_EUNKNOWN);
	assert_int_equal(vh_legal_deadline(law, &dl, &w, false, 0), VH_LEGAL_ENODATE);
	w.detection = 1000000000; /* far beyond the year 9999 */
	assert_int_equal(vh_legal_deadline(law, &dl, &w, false, 0), VH_LEGAL_EINVALID);
	assert_int_equal(vh_legal_effect(law, &ef, "khien_trach", "x", &w), VH_LEGAL_EUNKNOWN);
	assert_int_equal(vh_legal_ladder(law, &sg, "x", NULL, "cong_chuc", false,
					 VH_LEGAL_ACTIVE, &w), VH_LEGAL_EUNKNOWN);
	assert_int_equal(vh_legal_ladder(law, &sg, "nghiem_trong", "x", "cong_chuc", false,
					 VH_LEGAL_ACTIVE, &w), VH_LEGAL_EUNKNOWN);
	assert_int_equal(vh_legal_status_parse(&st, "retired"), 0);
	assert_int_equal(st, VH_LEGAL_RETIRED);
	assert_int_equal(vh_legal_status_parse(&st, "gone"), VH_LEGAL_EUNKNOWN);
}

/* what a refusal tells: the message, the basis, the regimes, the dates */
static void
test_refusal_details(void **state)
{
	struct vh_legal_case c = {
		.category = "cong_chuc", .leader = true, .status = VH_LEGAL_ACTIVE,
		.when = VH_LEGAL_DATES_INIT, .form = "giang_chuc", .severity = "nghiem_trong",
		.reason = "x",
	};
	struct vh_legal_result r;

	(void)state;
	c.when.violation = date_of("2025-07-02");
	c.when.detection = date_of("2025-07-03");
	c.when.decision = date_of("2025-07-04");
	assert_int_equal(vh_legal_check_decision(law, &r, &c), VH_LEGAL_REFUSED);
	assert_string_equal(r.id, "form_not_allowed");
	assert_non_null(strstr(r.message, "giáng chức"));
	assert_non_null(strstr(r.message, "allowed: khien_trach, canh_cao, cach_chuc, buoc_thoi_viec"));
	assert_string_equal(r.forms_regime, "regime_b");
	assert_string_equal(r.limitation_regime, "limitation_res76");
	assert_non_null(strstr(r.basis[0], "80/2025"));
	assert_int_equal(r.deadline, date_of("2025-10-01"));
	/* 10 years (above reprimand level) */
	assert_int_equal(r.limitation_expires, date_of("2035-07-02"));

	c.form = "cach_chuc";
	c.reason = NULL;
	assert_int_equal(vh_legal_check_decision(law, &r, &c), VH_LEGAL_REFUSED);
	assert_string_equal(r.id, "ladder_reason_required");
	assert_string_equal(r.suggested, "canh_cao");
	c.reason = "";
	assert_int_equal(vh_legal_check_decision(law, &r, &c), VH_LEGAL_REFUSED);
	c.reason = "lý do";
	c.when.decision = date_of("2025-12-01"); /* and after the deadline */
	assert_int_equal(vh_legal_check_decision(law, &r, &c), VH_LEGAL_ACCEPTED_WITH_WARNING);
	assert_string_equal(r.id, "ladder_departure");
	assert_int_equal(r.warnings, VH_LEGAL_WARN_LADDER | VH_LEGAL_WARN_DEADLINE);
	assert_non_null(strstr(r.message, "handling deadline 2025-10-01"));
}

/* item 8: several violations decided together: the heaviest (Decree 172/2025) */
static void
test_heaviest(void **state)
{
	const char *forms[] = { "khien_trach", NULL, "cach_chuc", "canh_cao", "phat_tien" };

	(void)state;
	assert_string_equal(vh_legal_heaviest(law, forms, 5), "cach_chuc");
	assert_string_equal(vh_legal_heaviest(law, forms, 2), "khien_trach");
	assert_null(vh_legal_heaviest(law, forms + 1, 1));
	assert_null(vh_legal_heaviest(law, NULL, 3));
}

/* the arithmetic the tables rely on (date.c) */
static void
test_month_ends(void **state)
{
	(void)state;
	assert_int_equal(vh_date_add_months(date_of("2024-01-31"), 1), date_of("2024-02-29"));
	assert_int_equal(vh_date_add_months(date_of("2023-01-31"), 1), date_of("2023-02-28"));
	assert_int_equal(vh_date_add_months(date_of("2025-08-31"), 1), date_of("2025-09-30"));
	assert_int_equal(vh_date_add_years(date_of("2024-02-29"), 4), date_of("2028-02-29"));
	assert_int_equal(vh_date_add_years(date_of("2024-02-29"), 1), date_of("2025-02-28"));
	assert_int_equal(vh_date_add_months(date_of("2025-12-15"), 1), date_of("2026-01-15"));
}

/* VH_DATE_NONE formats as "invalid", without overflowing (date.c) */
static void
test_format_none(void **state)
{
	char buf[VH_DATE_STRLEN];

	(void)state;
	vh_date_format(buf, VH_DATE_NONE);
	assert_string_equal(buf, "invalid");
	vh_date_format(buf, date_of("9999-12-31"));
	assert_string_equal(buf, "9999-12-31");
}

/* the same tables from buffers, split differently, load the same */
static void
test_buffers_and_hash(void **state)
{
	static const char vocab[] =
		"categories: [{code: a, name: \"á\", name_en: a}]\n"
		"severities: [{code: s, name: \"s\", name_en: s}]\n"
		"forms: [{code: f, name: \"f\", name_en: f, weight: 1}]\n"
		"regime_selection: {forms: decision_date, ladder: decision_date,"
		" effects: decision_date, procedure: decision_date, limitation: violation_date}\n";
	static const char regs[] =
		"regimes:\n"
		"  - id: r\n    name: r\n    valid_from: 2000-01-01\n    basis: [b]\n"
		"    forms: {basis: [b], double_sanction_basis: [b], by_category: {a: {"
		"active: {staff: [f], leader: [f]}, retired: {staff: [], leader: []},"
		" left: {staff: [], leader: []}}}}\n"
		"    effects: {basis: [b], table: [{categories: [a], forms: [f],"
		" effect_months: 1, freeze_months: none}]}\n"
		"    ladder: {basis: [b], first: [{severity: s, form: f}], otherwise: no_step,"
		" if_not_allowed: nearest_heavier}\n"
		"    limitation: {basis: [b], periods: [{name: p, months: 6}], no_limitation_grounds: []}\n"
		"    procedure: {basis: [b], handling_days: 10, complex_handling_days: 20,"
		" deferral_grounds: [], waiver_grounds: []}\n";
	const char *names[] = { "v.yaml", "r.yaml" };
	const char *bufs[] = { vocab, regs };
	size_t lens[] = { sizeof(vocab) - 1, sizeof(regs) - 1 };
	struct vh_legal *l = NULL, *l2 = NULL;
	struct vh_legal_limit lim;
	struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
	struct vh_diag d;
	char hex[VH_SHA256_HEX], both[sizeof(vocab) + sizeof(regs)];

	(void)state;
	vh_diag_init(&d);
	assert_int_equal(vh_legal_load_buffers(&l, 2, names, bufs, lens, &d), 0);
	for (size_t i = 0; i < d.n; i++)
		print_message("%s\n", d.msgs[i]);
	assert_int_equal(vh_diag_count(&d), 0);
	snprintf(both, sizeof(both), "%s%s", vocab, regs);
	vh_sha256_hex(hex, both, strlen(both));
	assert_string_equal(vh_legal_hash(l), hex);
	w.violation = date_of("2024-08-31");
	assert_int_equal(vh_legal_limitation(l, &lim, &w, NULL, true, 0), 0);
	/* no grounds: the flag changes nothing; 6 months from 31/8 is 28/2 */
	assert_int_equal(lim.expires, date_of("2025-02-28"));
	/* the regimes alone miss their vocabulary: every reference fails */
	assert_int_equal(vh_legal_load_buffers(&l2, 1, names + 1, bufs + 1, lens + 1, &d), -1);
	assert_null(l2);
	assert_true(vh_diag_count(&d) > 3);
	vh_diag_free(&d);
	/* no files at all */
	assert_int_equal(vh_legal_load_buffers(&l2, 0, NULL, NULL, NULL, &d), -1);
	assert_null(l2);
	vh_diag_free(&d);
	vh_legal_free(l);
	vh_legal_free(NULL);
}

/* the loader takes a folder or a file, and the hash follows the content */
static void
test_path(void **state)
{
	struct vh_legal *l = NULL;
	struct vh_diag d;

	(void)state;
	vh_diag_init(&d);
	assert_int_equal(vh_legal_load_path(&l, "/nonexistent/legal", &d), -1);
	assert_null(l);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.msgs[0], "/nonexistent/legal: cannot read"));
	vh_diag_free(&d);
	assert_string_equal(vh_legal_hash(law), vh_legal_hash(law));
	assert_int_equal(strlen(vh_legal_hash(law)), 64);
}

/* the complaint window: from the decision date, in the procedure regime */
static void
test_complaint(void **state)
{
	struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
	vh_date until;

	(void)state;
	assert_int_equal(vh_legal_complaint_until(law, &until, &w), VH_LEGAL_ENODATE);
	/* Law on Complaints 2011 art. 48: 15 days */
	w.decision = date_of("2026-01-31");
	assert_int_equal(vh_legal_complaint_until(law, &until, &w), 0);
	assert_int_equal(until, date_of("2026-02-15"));
	w.decision = date_of("2025-06-30"); /* regime A */
	assert_int_equal(vh_legal_complaint_until(law, &until, &w), 0);
	assert_int_equal(until, date_of("2025-07-15"));
	w.decision = date_of("2018-01-01"); /* no procedure regime then */
	assert_int_equal(vh_legal_complaint_until(law, &until, &w), VH_LEGAL_ENOREGIME);
	assert_int_equal(until, VH_DATE_NONE);
}

/*
 * item 11: complaints (Law on Complaints 2011 art. 48, 50; Law on
 * Administrative Procedure 2015 art. 116): a table of windows
 */
static const struct {
	const char *name, *signed_on, *received, *answered, *form;
	bool court;
	int obstacle;
	const char *expect; /* last day, or "error N" */
} windows[] = {
	{ "15 days from receipt", "2026-01-31", "2026-02-05", NULL, "khien_trach", false, 0,
	  "2026-02-20" },
	{ "received the day signed (default)", "2026-01-31", NULL, NULL, "canh_cao", false, 0,
	  "2026-02-15" },
	{ "obstacle days not counted", "2026-01-31", "2026-02-05", NULL, "khien_trach", false, 7,
	  "2026-02-27" },
	{ "over a leap day", "2028-02-20", "2028-02-20", NULL, "khien_trach", false, 0,
	  "2028-03-06" },
	{ "decided 30/6/2025 (A)", "2025-06-30", NULL, NULL, "khien_trach", false, 0,
	  "2025-07-15" },
	{ "decided 01/7/2025 (B)", "2025-07-01", NULL, NULL, "khien_trach", false, 0,
	  "2025-07-16" },
	{ "second complaint: 10 days from the answer", "2026-01-05", NULL, "2026-03-01",
	  "canh_cao", false, 0, "2026-03-11" },
	{ "second complaint against a forced dismissal: 30 days", "2026-01-05", NULL,
	  "2026-03-01", "buoc_thoi_viec", false, 0, "2026-03-31" },
	{ "court action against a forced dismissal: 1 year", "2025-02-28", "2025-03-01", NULL,
	  "buoc_thoi_viec", true, 0, "2026-03-01" },
	{ "court action from 29/02/2024: 28/02/2025", "2024-02-29", NULL, NULL,
	  "buoc_thoi_viec", true, 0, "2025-02-28" },
	{ "no court action against a reprimand", "2026-01-05", NULL, NULL, "khien_trach", true,
	  0, "error -1" },
};

static void
test_complaint_windows(void **state)
{
	(void)state;
	for (size_t i = 0; i < VH_NELEM(windows); i++) {
		struct vh_legal_complaint_q q = {
			.when = VH_LEGAL_DATES_INIT, .form = windows[i].form,
			.received = date_of(windows[i].received),
			.answered = date_of(windows[i].answered), .court = windows[i].court,
			.obstacle_days = windows[i].obstacle,
		};
		struct vh_legal_window w;
		char got[64];
		int e;

		q.when.decision = date_of(windows[i].signed_on);
		if ((e = vh_legal_complaint(law, &w, &q)) < 0)
			snprintf(got, sizeof(got), "error %d", e);
		else
			vh_date_format(got, w.until);
		print_message("  %s: %s\n", windows[i].name, got);
		assert_string_equal(got, windows[i].expect);
		if (e == 0)
			assert_non_null(strstr(w.basis[0], "02/2011/QH13"));
	}
}

/* item 12: no council (Decree 71/2023, in force 20/9/2023), Party sanctions */
static void
test_no_council(void **state)
{
	struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
	struct vh_legal_who staff = { "cong_chuc", false, false, VH_LEGAL_ACTIVE },
			    leader = { "cong_chuc", true, false, VH_LEGAL_ACTIVE },
			    labour = { "nguoi_lao_dong", false, false, VH_LEGAL_ACTIVE };

	(void)state;
	w.decision = date_of("2023-09-19");
	assert_null(vh_legal_no_council_ground(law, "court_conviction", &w));
	assert_int_equal(vh_legal_party_days(law, &w), 0);
	w.decision = date_of("2023-09-20");
	assert_non_null(vh_legal_no_council_ground(law, "court_conviction", &w));
	assert_non_null(vh_legal_no_council_ground(law, "inspection_conclusion", &w));
	assert_null(vh_legal_no_council_ground(law, "rumour", &w));
	assert_int_equal(vh_legal_party_days(law, &w), 30);
	w.decision = date_of("2025-07-01");
	assert_non_null(vh_legal_no_council_ground(law, "party_sanction", &w));
	/* expulsion from the Party: the heaviest form the official can receive */
	assert_string_equal(vh_legal_party_form(law, "khai_tru", &staff, &w), "buoc_thoi_viec");
	assert_string_equal(vh_legal_party_form(law, "khai_tru", &labour, &w), "sa_thai");
	assert_string_equal(vh_legal_party_form(law, "canh_cao", &leader, &w), "canh_cao");
	assert_null(vh_legal_party_form(law, "phe_binh", &staff, &w));
	/* cán bộ go without a council */
	assert_true(vh_legal_without_council(law, "can_bo", &w));
	assert_false(vh_legal_without_council(law, "cong_chuc", &w));
	w.decision = date_of("2020-07-01");
	assert_true(vh_legal_without_council(law, "can_bo", &w));
}

/* item 13: Circular 08/2013 art. 2(3): the regular salary raise delayed */
static void
test_raise_delay(void **state)
{
	static const struct {
		const char *form, *category, *decision;
		int months;
	} rows[] = {
		{ "khien_trach", "cong_chuc", "2025-06-30", 6 },
		{ "canh_cao", "can_bo", "2025-07-01", 6 },
		{ "khien_trach", "vien_chuc", "2025-07-01", 3 },
		{ "canh_cao", "vien_chuc", "2024-01-01", 6 },
		{ "giang_chuc", "cong_chuc", "2024-01-01", 12 },
		{ "cach_chuc", "vien_chuc", "2025-07-01", 12 },
		{ "khien_trach", "nguoi_lao_dong", "2025-07-01", 3 },
		{ "cach_chuc", "nguoi_lao_dong", "2021-01-01", 12 },
		{ "buoc_thoi_viec", "cong_chuc", "2025-07-01", 0 },
	};

	(void)state;
	for (size_t i = 0; i < VH_NELEM(rows); i++) {
		struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
		struct vh_legal_effect ef;
		w.decision = date_of(rows[i].decision);
		assert_int_equal(vh_legal_effect(law, &ef, rows[i].form, rows[i].category, &w), 0);
		assert_int_equal(ef.raise_delay_months, rows[i].months);
	}
}

/*
 * item 3: a continuing act counts from detection, in the regime then; item
 * 4: a new violation within the period restarts it (Law 52/2019 art. 80)
 */
static void
test_continuing_and_restart(void **state)
{
	struct vh_legal_limit_query q = { .when = VH_LEGAL_DATES_INIT, .category = "cong_chuc",
					  .deferral_ended = VH_DATE_NONE };
	struct vh_legal_limit lim;
	vh_date later[3];

	(void)state;
	/* a fake degree used since 2012, detected 2026: no limitation (res76 grounds) */
	q.when.violation = date_of("2012-05-01");
	q.when.detection = date_of("2026-10-01");
	q.no_limitation = true;
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_string_equal(lim.regime, "limitation_2008"); /* ended with the act: 2008 law */
	assert_int_equal(lim.expires, date_of("2014-05-01"));
	q.when.ended = q.when.detection; /* --continuing */
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_string_equal(lim.regime, "limitation_res76");
	assert_int_equal(lim.expires, VH_DATE_NONE);
	/* an act that ended on 14/11/2022 (begun 2021): 2 years from the end */
	q.no_limitation = false;
	q.level = "khien_trach";
	q.when.violation = date_of("2021-03-01");
	q.when.ended = date_of("2022-11-14");
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_int_equal(lim.expires, date_of("2024-11-14"));
	/* ended on 15/11/2022: Resolution 76, 5 years */
	q.when.ended = date_of("2022-11-15");
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_int_equal(lim.expires, date_of("2027-11-15"));
	/* an end before the act is refused */
	q.when.ended = date_of("2021-02-28");
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), VH_LEGAL_EINVALID);
	/* restart: act 01/3/2021 (2 years: 01/3/2023), new act 28/02/2023 within */
	q.when.ended = VH_DATE_NONE;
	later[0] = date_of("2023-02-28");
	later[1] = date_of("2025-02-27");
	later[2] = date_of("2027-03-01");
	q.later_acts = later;
	q.nlater = 1;
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_int_equal(lim.expires, date_of("2025-02-28"));
	/* a chain: 27/02/2025 is within the restarted period */
	q.nlater = 3;
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_int_equal(lim.expires, date_of("2027-02-27"));
	/* a new act after the period ran out restarts nothing */
	later[0] = date_of("2023-03-02");
	q.nlater = 1;
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_int_equal(lim.expires, date_of("2023-03-01"));
}

/* replace the first `from` in buf (malloc'd) by `to` */
static char *
edit(char *buf, const char *from, const char *to)
{
	char *at = strstr(buf, from), *out;
	size_t n;

	assert_non_null(at);
	n = strlen(buf) - strlen(from) + strlen(to) + 1;
	out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
	free(buf);
	return out;
}

/*
 * The law changes by editing YAML only: a copy of the shipped tables
 * where the 5/10-year periods end on 31/12/2026 and a 2027 regime brings
 * 3/7 years and takes over the acts still open (applies_to_running), and
 * where pauses extend the limitation. The same engine follows it.
 */
static void
test_modified_tables(void **state)
{
	static const char y2027[] =
		"regimes:\n"
		"  - id: limitation_2027\n"
		"    name: \"Luật giả định 2027\"\n"
		"    valid_from: 2027-01-01\n"
		"    basis: [\"Luật giả định số 1/2027\"]\n"
		"    limitation:\n"
		"      basis: [\"Luật giả định số 1/2027, Điều 1\"]\n"
		"      periods:\n"
		"        - {name: light, forms: [khien_trach], years: 3}\n"
		"        - {name: heavy, years: 7}\n"
		"      no_limitation_grounds: []\n"
		"      pauses_extend: true\n"
		"      applies_to_running: true\n";
	struct vh_files f;
	struct vh_diag d;
	struct vh_legal *l = NULL;
	struct vh_legal_limit lim;
	struct vh_legal_limit_query q = { .when = VH_LEGAL_DATES_INIT, .category = "cong_chuc",
					  .deferral_ended = VH_DATE_NONE };
	const char *names[16], *bufs[16];
	char *copies[16];
	size_t lens[16], n;

	(void)state;
	vh_diag_init(&d);
	assert_int_equal(vh_files_read(&f, getenv("VH_LEGAL_DIR"), VH_LEGAL_MAX_BYTES, &d), 0);
	assert_true(f.n < 15);
	for (n = 0; n < f.n; n++) {
		copies[n] = strndup(f.bufs[n], f.lens[n]);
		assert_non_null(copies[n]);
		if (strstr(f.names[n], "30-regime-b.yaml"))
			copies[n] = edit(copies[n], "next_working_day: false", "next_working_day: true");
		if (strstr(f.names[n], "10-limitation.yaml"))
			copies[n] = edit(copies[n], "    valid_from: 2022-11-15\n",
					 "    valid_from: 2022-11-15\n    valid_to: 2026-12-31\n");
		names[n] = f.names[n];
		bufs[n] = copies[n];
		lens[n] = strlen(copies[n]);
	}
	names[n] = "99-2027.yaml";
	bufs[n] = y2027;
	lens[n++] = strlen(y2027);
	assert_int_equal(vh_legal_load_buffers(&l, n, names, bufs, lens, &d), 0);
	/* an act of 2027: 3 years at reprimand level, pauses count */
	q.when.violation = date_of("2027-03-01");
	q.level = "khien_trach";
	q.paused_days = 10;
	assert_int_equal(vh_legal_limitation_q(l, &lim, &q), 0);
	assert_string_equal(lim.regime, "limitation_2027");
	assert_string_equal(lim.period, "light");
	assert_int_equal(lim.expires, date_of("2030-03-11"));
	/* an act of 2023 still open on 01/01/2027: taken over, 7 years */
	q.when.violation = date_of("2023-05-31");
	q.level = "canh_cao";
	q.paused_days = 0;
	assert_int_equal(vh_legal_limitation_q(l, &lim, &q), 0);
	assert_string_equal(lim.regime, "limitation_2027");
	assert_int_equal(lim.expires, date_of("2030-05-31"));
	/* the shipped tables: 10 years */
	assert_int_equal(vh_legal_limitation_q(law, &lim, &q), 0);
	assert_string_equal(lim.regime, "limitation_res76");
	assert_int_equal(lim.expires, date_of("2033-05-31"));
	/* an act of 2021 barred before 2027 stays under Law 52 */
	q.when.violation = date_of("2021-05-31");
	q.level = "khien_trach";
	assert_int_equal(vh_legal_limitation_q(l, &lim, &q), 0);
	assert_string_equal(lim.regime, "limitation_law52");
	assert_int_equal(lim.expires, date_of("2023-05-31"));
	/*
	 * item 15: next_working_day (Civil Code art. 148 [check]): off in the
	 * shipped tables, on in the copy: a deadline on Saturday 07/3/2026
	 * runs to Monday 09/3; a complaint window ending on 16/02/2026 (Tết)
	 * to Monday 23/02
	 */
	{
		struct vh_legal_dates w = VH_LEGAL_DATES_INIT;
		struct vh_legal_deadline dl;
		struct vh_legal_complaint_q cq = { .when = VH_LEGAL_DATES_INIT, .form = "khien_trach",
						   .received = VH_DATE_NONE,
						   .answered = VH_DATE_NONE };
		struct vh_legal_window win;

		w.detection = date_of("2025-12-07");
		assert_int_equal(vh_legal_deadline(law, &dl, &w, false, 0), 0);
		assert_int_equal(dl.due, date_of("2026-03-07"));
		assert_int_equal(vh_legal_deadline(l, &dl, &w, false, 0), 0);
		assert_int_equal(dl.due, date_of("2026-03-09"));
		cq.when.decision = date_of("2026-02-01");
		assert_int_equal(vh_legal_complaint(law, &win, &cq), 0);
		assert_int_equal(win.until, date_of("2026-02-16"));
		assert_int_equal(vh_legal_complaint(l, &win, &cq), 0);
		assert_int_equal(win.until, date_of("2026-02-23"));
	}
	vh_legal_free(l);
	for (size_t i = 0; i < f.n; i++)
		free(copies[i]);
	vh_files_free(&f);
	vh_diag_free(&d);
}

static int
setup(void **state)
{
	const char *dir = getenv("VH_LEGAL_DIR");
	struct vh_diag d;
	int r;

	(void)state;
	if (dir == NULL) {
		fprintf(stderr, "VH_LEGAL_DIR is not set\n");
		return -1;
	}
	vh_diag_init(&d);
	r = vh_legal_load_path(&law, dir, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	vh_diag_free(&d);
	return r;
}

static int
teardown(void **state)
{
	(void)state;
	vh_legal_free(law);
	return 0;
}

int
main(void)
{
	struct CMUnitTest tests[VH_NELEM(scenarios) + 16]; /* every ADD below */
	size_t n = 0;

	for (size_t i = 0; i < VH_NELEM(scenarios); i++) {
		tests[n].name = scenarios[i].name;
		tests[n].test_func = run;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n++].initial_state = (void *)&scenarios[i];
	}
#define ADD(f) tests[n++] = (struct CMUnitTest)cmocka_unit_test(f)
	ADD(test_vocab);
	ADD(test_regimes);
	ADD(test_grounds);
	ADD(test_errors);
	ADD(test_refusal_details);
	ADD(test_month_ends);
	ADD(test_format_none);
	ADD(test_buffers_and_hash);
	ADD(test_path);
	ADD(test_complaint);
	ADD(test_modified_tables);
	ADD(test_heaviest);
	ADD(test_complaint_windows);
	ADD(test_no_council);
	ADD(test_raise_delay);
	ADD(test_continuing_and_restart);
	return cmocka_run_group_tests_name("legal", tests, setup, teardown);
}
