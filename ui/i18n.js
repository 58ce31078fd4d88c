// Vietnamese first, English by the switch; dates dd/mm/yyyy, times in the
// register's time zone (from GET /v1/session).
const dict = {
  vi: {
    app: 'Sổ theo dõi vi phạm văn hóa công vụ',
    skip: 'Bỏ qua, đến nội dung chính',
    switch_to: 'English', switch_label: 'Switch to English',
    nav: 'Điều hướng chính', inbox: 'Hộp việc', report: 'Báo cáo vi phạm', signout: 'Đăng xuất',
    record: 'Hồ sơ cán bộ', eligibility: 'Danh sách đủ điều kiện', stats: 'Thống kê', warnings: 'Cảnh báo sớm',
    signin: 'Đăng nhập', name: 'Tên đăng nhập', password: 'Mật khẩu',
    signin_intro: 'Đăng nhập bằng tài khoản do quản trị viên cấp.',
    wrong_password: 'Sai tên đăng nhập hoặc mật khẩu.',
    rate_limited: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.',
    disabled: 'Tài khoản đã bị khóa.',
    session_over: 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.',
    signed_in_as: 'Đang đăng nhập: {0}',
    loading: 'Đang tải…', none: 'không có', yes: 'có', no: 'không',
    inbox_title: 'Vụ việc đang chờ xử lý', inbox_intro: 'Quá hạn trước, sau đó theo số ngày còn lại đến hạn xử lý và thời hiệu.',
    filters: 'Lọc', all: 'Tất cả', status: 'Trạng thái', unit: 'Đơn vị', group: 'Nhóm quy tắc', source: 'Nguồn',
    search: 'Tìm theo số vụ việc hoặc cán bộ', count: '{0} vụ việc',
    case_no: 'Số vụ việc', official: 'Cán bộ', rule: 'Quy tắc', deadline: 'Hạn xử lý', days_left: 'Còn lại',
    limitation: 'Thời hiệu đến', overdue: 'Quá hạn', days: '{0} ngày', days_over: 'quá {0} ngày',
    no_cases: 'Không có vụ việc nào đang chờ.',
    case_title: 'Vụ việc {0}', facts: 'Thông tin vụ việc', reporter: 'Người báo cáo', occurred: 'Ngày xảy ra',
    detected: 'Ngày phát hiện', place: 'Địa điểm', description: 'Mô tả', severity: 'Mức độ', category: 'Ngạch',
    leader: 'lãnh đạo', rule_text: 'Nội dung quy tắc (phiên bản {0})', basis: 'Căn cứ pháp lý',
    timeline: 'Diễn biến (chuỗi băm)', seq: 'STT', event: 'Sự kiện', actor: 'Người thực hiện', at: 'Thời điểm',
    hash: 'Mã băm', data: 'Dữ liệu', evidence: 'Chứng cứ', download: 'Tải về', upload: 'Tải lên chứng cứ',
    file: 'Tệp', no_evidence: 'Chưa có chứng cứ.', links: 'Vụ việc liên quan', duplicates: 'Có thể trùng lặp',
    decisions: 'Quyết định', council: 'Hội đồng kỷ luật', actions: 'Xử lý', no_actions: 'Bạn không có thao tác nào với vụ việc ở trạng thái này.',
    note: 'Ghi chú', add_note: 'Thêm ghi chú', submit: 'Gửi', print: 'In',
    a_accept: 'Thụ lý', a_reject: 'Không thụ lý', a_council: 'Thành lập hội đồng kỷ luật', a_defer: 'Tạm hoãn',
    a_resume: 'Tiếp tục xử lý', a_waive: 'Miễn kỷ luật', a_close: 'Kết thúc', a_appeal: 'Ghi nhận khiếu nại',
    a_uphold: 'Giữ nguyên quyết định', a_annul: 'Hủy quyết định', a_decide: 'Quyết định kỷ luật', a_link: 'Liên kết vụ việc', a_links: 'Liên kết vụ việc', a_notes: 'Thêm ghi chú',
    reason: 'Lý do', of_case: 'Trùng với vụ việc', to_authority: 'Cơ quan có thẩm quyền', members: 'Thành viên (mã cán bộ, cách nhau bởi dấu phẩy)',
    recommend: 'Hình thức hội đồng đề nghị', ground: 'Căn cứ', until: 'Đến ngày', filed_on: 'Ngày nộp khiếu nại',
    number: 'Số quyết định', signed_on: 'Ngày ký', effective_on: 'Ngày có hiệu lực', form: 'Hình thức kỷ luật',
    complex: 'Vụ việc phức tạp', other_case: 'Số vụ việc khác', date_hint: 'dd/mm/yyyy',
    allowed_forms: 'Các hình thức pháp luật cho phép với cán bộ này vào ngày ký',
    ladder: 'Gợi ý theo thang kỷ luật', in_effect: 'Kỷ luật đang có hiệu lực', recommended: 'Hội đồng đề nghị',
    no_sanction: 'Không kỷ luật', reason_hint: 'Bắt buộc khi khác với gợi ý của thang kỷ luật',
    refused: 'Pháp luật không cho phép', refused_rule: 'Quy tắc', refused_basis: 'Căn cứ',
    stale: 'Vụ việc đã thay đổi kể từ khi bạn mở trang này (trạng thái hiện tại: {0}). Thao tác không được thực hiện; hãy tải lại vụ việc.',
    reload: 'Tải lại vụ việc', done: 'Đã thực hiện: {0}', error: 'Lỗi: {0}', forbidden: 'Bạn không có quyền: {0}',
    not_found: 'Không tìm thấy: {0}', bad_field: 'Trường “{0}”: {1}', bad_date: 'Ngày phải có dạng dd/mm/yyyy', no_such_day: 'Không có ngày {0} trong lịch',
    official_pick: 'Cán bộ (mã hoặc họ tên)', official_hint: 'Gõ mã, họ tên hoặc vài chữ của tên theo thứ tự bất kỳ (vd. «văn an»), có dấu hay không dấu đều được, rồi chọn trong danh sách (phím mũi tên và Enter).',
    officials_found: 'Cán bộ tìm thấy', found_n: 'Tìm thấy {0} cán bộ; dùng phím mũi tên để chọn.', found_none: 'Không tìm thấy cán bộ nào.',
    chosen: 'Đã chọn {0} ({1}).',
    e_forbidden: 'thao tác này nằm ngoài vai trò hoặc các đơn vị của bạn.',
    e_not_found: 'không có đối tượng này (số hoặc mã có thể sai).', e_not_found_official: 'không có cán bộ với mã này.',
    e_not_found_unit: 'không có đơn vị này.', e_not_found_rule: 'không có quy tắc này (hoặc quy tắc không có hiệu lực vào ngày đó).',
    e_not_found_on: 'không có hồ sơ vào ngày này.', e_not_found_group: 'không có nhóm quy tắc này.',
    e_not_found_other: 'không có vụ việc này.', e_not_found_case: 'không có vụ việc này (số vụ việc có thể sai).', e_not_found_of: 'không có vụ việc này.',
    e_invalid: 'giá trị không hợp lệ.', e_invalid_occurred_on: 'ngày không hợp lệ, ở tương lai hoặc quá xa.',
    e_invalid_detected_on: 'ngày không hợp lệ, ở tương lai hoặc trước ngày xảy ra.', e_invalid_signed_on: 'ngày không hợp lệ.',
    e_invalid_name: 'tên tệp không hợp lệ: không chứa “/” hoặc “\\”, và không chỉ là “.” hoặc “..”.',
    e_invalid_members: 'danh sách thành viên không hợp lệ (mã cán bộ, cách nhau bởi dấu phẩy; không gồm cán bộ bị xem xét).',
    e_invalid_q: 'nhập ít nhất một chữ cái hoặc chữ số.',
    e_conflict: 'xung đột với dữ liệu hiện có.', e_conflict_name: 'vụ việc đã có chứng cứ cùng tên.',
    e_conflict_number: 'số quyết định này đã được dùng.', e_conflict_idempotency_key: 'mã chống trùng đã dùng cho một báo cáo khác; hãy tải lại trang.',
    e_too_large: 'tệp hoặc nội dung quá lớn.', e_unavailable: 'máy chủ tạm thời không phục vụ được; vui lòng thử lại sau.',
    conflict: 'Xung đột: {0}',
    report_title: 'Báo cáo vi phạm', official_code: 'Mã cán bộ', lookup: 'Tra cứu', rule_pick: 'Quy tắc bị vi phạm',
    evidence_files: 'Chứng cứ (có thể chọn nhiều tệp)', reported: 'Đã tạo vụ việc {0}.',
    key_note: 'Mã chống trùng: {0} — gửi lại cũng không tạo vụ việc thứ hai.',
    src_inspection: 'Thanh tra, kiểm tra', src_supervision: 'Giám sát', src_citizen: 'Phản ánh của người dân',
    src_front: 'Mặt trận, đoàn thể', src_self: 'Tự phát hiện',
    st_reported: 'Mới báo cáo', st_under_review: 'Đang xem xét', st_council: 'Hội đồng kỷ luật', st_deferred: 'Tạm hoãn',
    st_decided: 'Đã quyết định', st_appealed: 'Đang khiếu nại', st_closed: 'Đã kết thúc', st_closed_no_sanction: 'Kết thúc, không kỷ luật',
    st_rejected: 'Không thụ lý',
    r_unfounded: 'Không có căn cứ', r_duplicate: 'Trùng với vụ việc khác', r_not_competent: 'Không thuộc thẩm quyền',
    c_expired: 'Hết thời hiệu', c_window_ended: 'Hết thời hạn khiếu nại',
    d_illness: 'Ốm đau, điều trị bệnh hiểm nghèo', d_maternity: 'Thai sản, nuôi con dưới 12 tháng',
    d_prosecution: 'Bị khởi tố, tạm giữ, tạm giam', d_leave: 'Nghỉ phép, nghỉ việc riêng được phép (Nghị định 112)',
    law_already_sanctioned: "Hành vi này đã bị xử lý kỷ luật trong một vụ việc khác; chỉ quyết định khi đó là một hành vi khác (nêu rõ lý do).",
    law_complaint_window_open: "Thời hạn khiếu nại chưa hết: chưa thể kết thúc vụ việc.",
    law_complaint_window_passed: "Đã quá thời hạn khiếu nại.",
    law_no_court_action: "Không được khởi kiện ra tòa đối với hình thức kỷ luật này, hoặc đã quá thời hạn khởi kiện.",
    law_no_regime: "Không có văn bản pháp luật nào áp dụng cho ngày này.",
    law_not_time_barred: "Vụ việc chưa hết thời hiệu: không thể kết thúc vì hết thời hiệu.",
    law_party_form_mismatch: "Hình thức kỷ luật không tương xứng với hình thức kỷ luật Đảng.",
    law_rule_not_applicable: "Quy tắc này không áp dụng cho cán bộ, công chức này vào ngày vi phạm.",
    law_time_barred: "Đã hết thời hiệu xử lý kỷ luật.",
    law_form_not_allowed: "Pháp luật không quy định hình thức kỷ luật này cho cán bộ, công chức này vào ngày ký.",
    law_ladder_reason_required: "Hình thức khác với gợi ý của thang kỷ luật: phải nêu lý do.",
    law_severity_not_in_regime: "Mức độ vi phạm này không có trong văn bản pháp luật áp dụng vào ngày ký.",
    details: 'Chi tiết',
    a_dispense: 'Không thành lập hội đồng kỷ luật', ref_doc: 'Văn bản căn cứ (số, ký hiệu)', party_form: 'Hình thức kỷ luật Đảng',
    g_inspection_conclusion: 'Kết luận thanh tra, kiểm tra đề xuất hình thức', g_court_conviction: 'Bản án có hiệu lực pháp luật',
    g_party_sanction: 'Đã bị kỷ luật Đảng', effect_until: 'Hiệu lực kỷ luật đến', freeze_until: 'Không nâng ngạch, bổ nhiệm đến',
    warning: 'Cảnh báo', ds_in_effect: 'Đang có hiệu lực', ds_ended: 'Đã hết hiệu lực', ds_superseded: 'Đã được thay thế',
    ds_annulled: 'Đã bị hủy', ds_annulment: 'Quyết định hủy',
    rec_title: 'Hồ sơ kỷ luật của cán bộ', elig_title: 'Danh sách đủ điều kiện', year: 'Năm', show: 'Xem',
    freeze: 'Chưa được nâng lương, bổ nhiệm đến', open_cases: 'Vụ việc đang mở', closed_cases: 'Vụ việc đã kết thúc',
    count_officials: '{0} cán bộ', el_eligible: 'Đủ điều kiện', el_not_eligible: 'Không đủ điều kiện', el_held: 'Chờ kết quả xử lý',
    as_table: 'Xem dạng bảng', key: 'Nhóm', value: 'Số lượng', from: 'Từ ngày', to: 'Đến ngày', by: 'Theo',
    by_unit: 'đơn vị', by_group: 'nhóm quy tắc', by_rule: 'quy tắc', by_month: 'tháng', by_source: 'nguồn', by_form: 'hình thức',
    m_reported: 'Số vụ việc báo cáo', m_decided: 'Số quyết định', m_changed: 'Thay đổi', m_annulled: 'Hủy', m_rejected: 'Không thụ lý',
    m_appealed: 'Khiếu nại', m_closed: 'Kết thúc', m_median: 'Trung vị số ngày đến quyết định', m_within: 'Quyết định trong hạn',
    by_source_chart: 'Vụ việc theo nguồn', by_form_chart: 'Quyết định theo hình thức kỷ luật',
    warn_intro: 'Cán bộ và đơn vị có từ {0} vụ việc cùng nhóm trở lên trong {1} ngày (từ {2}).', kind: 'Loại', count_cases: 'Số lượng vụ việc', cases_list: 'Các vụ việc',
    csv: 'Tải CSV', stats_title: 'Thống kê', warn_title: 'Cảnh báo sớm', not_available: 'Chức năng này chưa có trên máy chủ.',
  },
  en: {
    app: 'Public-service conduct register',
    skip: 'Skip to the main content',
    switch_to: 'Tiếng Việt', switch_label: 'Chuyển sang tiếng Việt',
    nav: 'Main navigation', inbox: 'Inbox', report: 'Report a violation', signout: 'Sign out',
    record: "Official's record", eligibility: 'Eligibility', stats: 'Statistics', warnings: 'Early warnings',
    signin: 'Sign in', name: 'Account name', password: 'Password',
    signin_intro: 'Sign in with the account your administrator gave you.',
    wrong_password: 'Wrong account name or password.',
    rate_limited: 'Too many failed sign-ins. Please try again later.',
    disabled: 'This account is disabled.',
    session_over: 'Your session has ended. Please sign in again.',
    signed_in_as: 'Signed in: {0}',
    loading: 'Loading…', none: 'none', yes: 'yes', no: 'no',
    inbox_title: 'Cases waiting for you', inbox_intro: 'Overdue first, then by days left to the handling deadline and to the limitation date.',
    filters: 'Filters', all: 'All', status: 'Status', unit: 'Unit', group: 'Rule group', source: 'Source',
    search: 'Search by case number or official', count: '{0} cases',
    case_no: 'Case', official: 'Official', rule: 'Rule', deadline: 'Handling deadline', days_left: 'Days left',
    limitation: 'Limitation until', overdue: 'Overdue', days: '{0} days', days_over: '{0} days over',
    no_cases: 'No case is waiting.',
    case_title: 'Case {0}', facts: 'The case', reporter: 'Reporter', occurred: 'Occurred on',
    detected: 'Detected on', place: 'Place', description: 'Description', severity: 'Severity', category: 'Category',
    leader: 'leader', rule_text: 'Rule text (version {0})', basis: 'Legal basis',
    timeline: 'Timeline (hash-chained)', seq: 'Seq', event: 'Event', actor: 'By', at: 'At',
    hash: 'Hash', data: 'Data', evidence: 'Evidence', download: 'Download', upload: 'Upload evidence',
    file: 'File', no_evidence: 'No evidence yet.', links: 'Linked cases', duplicates: 'Probable duplicates',
    decisions: 'Decisions', council: 'Disciplinary council', actions: 'Actions', no_actions: 'You have no action on a case in this state.',
    note: 'Note', add_note: 'Add a note', submit: 'Submit', print: 'Print',
    a_accept: 'Accept', a_reject: 'Reject', a_council: 'Convene the council', a_defer: 'Defer',
    a_resume: 'Resume', a_waive: 'Waive', a_close: 'Close', a_appeal: 'Record an appeal',
    a_uphold: 'Uphold the decision', a_annul: 'Annul the decision', a_decide: 'Decide', a_link: 'Link a case', a_links: 'Link a case', a_notes: 'Add a note',
    reason: 'Reason', of_case: 'Duplicate of case', to_authority: 'Competent authority', members: 'Members (official codes, comma separated)',
    recommend: 'Form the council recommends', ground: 'Ground', until: 'Until', filed_on: 'Complaint filed on',
    number: 'Decision number', signed_on: 'Signed on', effective_on: 'Effective on', form: 'Sanction form',
    complex: 'Complex case', other_case: 'Other case number', date_hint: 'dd/mm/yyyy',
    allowed_forms: 'Forms the law allows for this official on the signing date',
    ladder: "The ladder's suggestion", in_effect: 'Sanction in effect', recommended: 'Council recommends',
    no_sanction: 'No sanction', reason_hint: "Required when departing from the ladder's suggestion",
    refused: 'Refused by the law', refused_rule: 'Rule', refused_basis: 'Basis',
    stale: 'The case changed since you opened this page (now: {0}). Nothing was done; reload the case.',
    reload: 'Reload the case', done: 'Done: {0}', error: 'Error: {0}', forbidden: 'Not allowed: {0}',
    not_found: 'Not found: {0}', bad_field: 'Field “{0}”: {1}', bad_date: 'Dates are dd/mm/yyyy', no_such_day: 'There is no day {0}',
    official_pick: 'Official (code or name)', official_hint: 'Type a code, a name or some of its words in any order (e.g. “van an”), with or without diacritics, then choose from the list (arrow keys and Enter).',
    officials_found: 'Officials found', found_n: '{0} officials found; use the arrow keys to choose.', found_none: 'No official found.',
    chosen: '{0} ({1}) chosen.',
    e_forbidden: 'this action is outside your role or your units.',
    e_not_found: 'no such thing (the number or code may be wrong).', e_not_found_official: 'no official has this code.',
    e_not_found_unit: 'no such unit.', e_not_found_rule: 'no such rule (or not in force on that day).',
    e_not_found_on: 'no record on that day.', e_not_found_group: 'no such rule group.',
    e_not_found_other: 'no such case.', e_not_found_case: 'no such case (the number may be wrong).', e_not_found_of: 'no such case.',
    e_invalid: 'not a valid value.', e_invalid_occurred_on: 'not a valid date, in the future or too far back.',
    e_invalid_detected_on: 'not a valid date, in the future or before the act.', e_invalid_signed_on: 'not a valid date.',
    e_invalid_name: 'not a valid file name: no “/” or “\\”, and not “.” or “..” alone.',
    e_invalid_members: 'not a valid list of members (official codes, comma separated; not the official concerned).',
    e_invalid_q: 'type at least one letter or digit.',
    e_conflict: 'conflicts with the data as it stands.', e_conflict_name: 'the case has evidence of that name already.',
    e_conflict_number: 'this decision number is taken.', e_conflict_idempotency_key: 'this key was used for another report; reload the page.',
    e_too_large: 'the file or the text is too large.', e_unavailable: 'the server cannot answer right now; please try again later.',
    conflict: 'Conflict: {0}',
    report_title: 'Report a violation', official_code: 'Official code', lookup: 'Look up', rule_pick: 'Rule violated',
    evidence_files: 'Evidence (several files allowed)', reported: 'Case {0} created.',
    key_note: 'Idempotency key: {0} — sending again never makes a second case.',
    src_inspection: 'Inspection', src_supervision: 'Supervision', src_citizen: 'Citizen report',
    src_front: 'Fatherland Front, unions', src_self: 'Found by the unit',
    st_reported: 'Reported', st_under_review: 'Under review', st_council: 'Council', st_deferred: 'Deferred',
    st_decided: 'Decided', st_appealed: 'Appealed', st_closed: 'Closed', st_closed_no_sanction: 'Closed, no sanction',
    st_rejected: 'Rejected',
    r_unfounded: 'Unfounded', r_duplicate: 'Duplicate of another case', r_not_competent: 'Not within competence',
    c_expired: 'Limitation expired', c_window_ended: 'Complaint window ended',
    d_illness: 'Grave illness, treatment', d_maternity: 'Maternity, a child under 12 months',
    d_prosecution: 'Prosecution, custody or detention', d_leave: 'Authorised leave (Decree 112)',
    law_already_sanctioned: "This act was already sanctioned in another case; decide only if it is another act (state why).",
    law_complaint_window_open: "The complaint window is still open: the case cannot close yet.",
    law_complaint_window_passed: "The complaint window has passed.",
    law_no_court_action: "No court action against this form, or its time has passed.",
    law_no_regime: "No legal regime applies on this date.",
    law_not_time_barred: "The case is not time-barred: it cannot close as expired.",
    law_party_form_mismatch: "The form does not correspond to the Party sanction.",
    law_rule_not_applicable: "The rule does not apply to this official on the day of the act.",
    law_time_barred: "The limitation period has expired.",
    law_form_not_allowed: "The law has no such form for this official on the signing date.",
    law_ladder_reason_required: "The form departs from the ladder's suggestion: state a reason.",
    law_severity_not_in_regime: "The regime in force on the signing date has no such severity level.",
    details: 'Details',
    a_dispense: 'Go without a council', ref_doc: 'Document relied on (number and symbol)', party_form: 'Party sanction',
    g_inspection_conclusion: 'Inspection conclusion proposing the form', g_court_conviction: 'Court conviction in force',
    g_party_sanction: 'Party sanction', effect_until: 'Sanction in effect until', freeze_until: 'No promotion or appointment until',
    warning: 'Warning', ds_in_effect: 'In effect', ds_ended: 'Ended', ds_superseded: 'Superseded',
    ds_annulled: 'Annulled', ds_annulment: 'Annulment',
    rec_title: "Official's disciplinary record", elig_title: 'Eligibility', year: 'Year', show: 'Show',
    freeze: 'No raise or appointment until', open_cases: 'Open cases', closed_cases: 'Closed cases',
    count_officials: '{0} officials', el_eligible: 'Eligible', el_not_eligible: 'Not eligible', el_held: 'Held (case open)',
    as_table: 'As a table', key: 'Group', value: 'Count', from: 'From', to: 'To', by: 'By',
    by_unit: 'unit', by_group: 'rule group', by_rule: 'rule', by_month: 'month', by_source: 'source', by_form: 'form',
    m_reported: 'Cases reported', m_decided: 'Decisions', m_changed: 'Changed', m_annulled: 'Annulled', m_rejected: 'Rejected',
    m_appealed: 'Appealed', m_closed: 'Closed', m_median: 'Median days to a decision', m_within: 'Decided within the deadline',
    by_source_chart: 'Cases by source', by_form_chart: 'Decisions by sanction form',
    warn_intro: 'Officials and units with {0} or more cases of one rule group in {1} days (since {2}).', kind: 'Kind', count_cases: 'Number of cases', cases_list: 'Case numbers',
    csv: 'Download CSV', stats_title: 'Statistics', warn_title: 'Early warnings', not_available: 'The server does not offer this yet.',
  },
};

let lang = localStorage.getItem('vhcv-lang') === 'en' ? 'en' : 'vi';
let zone = 'Asia/Ho_Chi_Minh';

export function getLang() { return lang; }
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'vi';
  localStorage.setItem('vhcv-lang', lang);
  document.documentElement.lang = lang;
}
export function setZone(z) { if (z) zone = z; }

export function t(key, ...args) {
  const s = (dict[lang] && dict[lang][key]) || dict.vi[key] || key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

// "2026-11-02" → "02/11/2026"
export function fmtDate(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

// "02/11/2026" (or 2/11/2026) → "2026-11-02"; null when not a date
export function parseDate(s) {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(s || '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[3], +m[2] - 1, +m[1]));
  if (d.getUTCDate() !== +m[1] || d.getUTCMonth() !== +m[2] - 1) return null;
  return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

// why a date text was not taken: not dd/mm/yyyy, or a day that does not exist (30/02/2026)
export function dateError(s) {
  return /^\s*\d{1,2}\/\d{1,2}\/\d{4}\s*$/.test(s || '') ? t('no_such_day', String(s).trim()) : t('bad_date');
}

// today in the register's zone, as dd/mm/yyyy
export function today() {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year}`;
}

// an RFC 3339 time → "dd/mm/yyyy HH:MM:SS" in the register's zone
export function fmtTime(rfc) {
  if (!rfc) return '—';
  const d = new Date(rfc);
  if (isNaN(d)) return rfc;
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

// days from today (in the zone) to an ISO date
export function daysUntil(iso) {
  if (!iso) return null;
  const now = parseDate(today());
  return Math.round((Date.parse(iso + 'T00:00:00Z') - Date.parse(now + 'T00:00:00Z')) / 86400000);
}

export function statusName(s) { return dict[lang]['st_' + s] ? t('st_' + s) : s; }

// The names of the law's codes (categories, severities, forms, rule
// groups) in the reader's language, from GET /v1/vocabulary: the tables in
// force, never a copy of them. fallback: the name the answer carried.
let vocab = {};
export function setVocab(v) {
  vocab = {};
  for (const kind of ['categories', 'severities', 'forms', 'groups'])
    vocab[kind] = Object.fromEntries(((v && v[kind]) || []).map((e) => [e.code, e]));
}
export function named(kind, code, fallback) {
  if (code === null || code === undefined || code === '') return fallback || '—';
  const e = vocab[kind] && vocab[kind][code];
  if (lang === 'en') return (e && e.name_en) || (code === 'none' ? t('no_sanction') : code);
  return (e && e.name) || fallback || (code === 'none' ? t('no_sanction') : code);
}
// a rule's title in the reader's language
export function ruleTitle(r) { return (lang === 'en' && r.title_en) || r.title_vi || r.title_en || ''; }
// is there a catalogue message for this key (in either language)?
export function known(key) { return Boolean(dict.vi[key]); }
export function sourceName(s) { return dict[lang]['src_' + s] ? t('src_' + s) : s; }
