//! Matrix entries: administration pages and settings, the JSON API, the inbox and the officer's
//! case work; `authz_matrix_routes.rs` adds the rest.

use super::*;
use reqwest::Method;

/// A complete, valid time-limits form (the legal defaults), built once.
fn deadlines_form() -> &'static [(&'static str, &'static str)] {
    use danvan_domain::cases::{ClockStart, DayCount};
    let d = danvan_domain::settings::Deadlines::default();
    let mut v: Vec<(&'static str, &'static str)> = vec![];
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    for kind in danvan_domain::cases::CaseKind::ALL {
        let p = d.get(*kind);
        let k = kind.as_str();
        let nums = [
            p.accept_days,
            p.resolve_days,
            p.resolve_days_complex,
            p.resolve_days_remote,
            p.resolve_days_remote_complex,
            p.max_extensions,
            p.extension_days,
            p.reopen_window_days,
        ];
        for (f, n) in danvan_domain::settings::POLICY_DAY_FIELDS.iter().zip(nums) {
            v.push((leak(format!("{k}.{f}")), leak(n.to_string())));
        }
        let count = |c: DayCount| if c == DayCount::Working { "working" } else { "calendar" };
        v.push((leak(format!("{k}.accept_count")), count(p.accept_count)));
        v.push((leak(format!("{k}.resolve_count")), count(p.resolve_count)));
        v.push((leak(format!("{k}.resolve_from")), if p.resolve_from == ClockStart::Receipt { "receipt" } else { "acceptance" }));
        v.push((leak(format!("{k}.basis")), leak(p.basis.clone())));
    }
    Box::leak(v.into_boxed_slice())
}

pub(super) fn cases() -> Vec<Case> {
    use Body::*;
    let mut v = vec![
        // Pages
        c(Method::GET, "/admin", None, Fresh::None, LEADERS),
        c(Method::GET, "/admin/accounts", None, Fresh::None, LEADERS),
        c(Method::GET, "/admin/audit", None, Fresh::None, ADMIN),
        c(Method::GET, "/admin/units/new?parent={ward_a}", None, Fresh::None, LEADER_A),
        c(
            Method::POST,
            "/admin/units",
            Form(&[
                ("code", "N-{actor}"),
                ("name", "Tổ dân phố mới {actor}"),
                ("kind", "residential_group"),
                ("parent_code", "TA"),
            ]),
            Fresh::None,
            LEADER_A,
        ),
        c(Method::GET, "/admin/units/{group_a1}/edit", None, Fresh::None, LEADER_A),
        c(Method::GET, "/admin/units/{group_a1}/answer-symbol", None, Fresh::None, LEADER_A),
        c(Method::POST, "/admin/units/{group_a1}/answer-symbol", Form(&[("answer_symbol", "UBND-VP")]), Fresh::None, LEADER_A),
        c(
            Method::POST,
            "/admin/units/{group_a1}",
            Form(&[
                ("code", "TA-1"),
                ("name", "Tổ dân phố số 1 ({actor})"),
                ("kind", "residential_group"),
                ("parent_code", "TA"),
            ]),
            Fresh::None,
            LEADER_A,
        ),
        c(Method::POST, "/admin/units/{id}/delete", None, Fresh::UnitInA, LEADER_A),
        c(Method::GET, "/admin/units/{group_a1}/dissolve", None, Fresh::None, LEADER_A),
        c(
            Method::POST,
            "/admin/units/{id}/dissolve",
            Form(&[("successors", "TA-1"), ("effective_on", "2026-11-01")]),
            Fresh::UnitInA,
            LEADER_A,
        ),
        c(Method::GET, "/admin/units/import", None, Fresh::None, ADMIN),
        c(Method::GET, "/admin/units/export.csv", None, Fresh::None, LEADERS),
        c(Method::GET, "/admin/transfers", None, Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/accounts",
            Form(&[
                ("username", "new.{actor}"),
                ("full_name", "Cán bộ Mới"),
                ("new_password", "mot-mat-khau-dai"),
                ("unit_code", "TA-1"),
                ("role", "officer"),
            ]),
            Fresh::None,
            LEADER_A,
        ),
        c(Method::GET, "/admin/accounts/{viewer_a}", None, Fresh::None, LEADER_A),
        c(
            Method::POST,
            "/admin/accounts/{viewer_a}/edit",
            Form(&[("username", "viewer_a"), ("full_name", "Người xem {actor}"), ("email", "viewer_a@example.vn")]),
            Fresh::None,
            LEADER_A,
        ),
        c(
            Method::POST,
            "/admin/accounts/{id}/password",
            Form(&[("new_password", "mat-khau-moi-dai")]),
            Fresh::AccountInA,
            LEADER_A,
        ),
        c(Method::POST, "/admin/accounts/{id}/active", Form(&[("active", "false")]), Fresh::AccountInA, LEADER_A),
        c(Method::POST, "/admin/accounts/{id}/password", Form(&[("new_password", "mat-khau-moi-dai")]), Fresh::AdminInA, ADMIN),
        c(
            Method::POST,
            "/admin/accounts/{id}/edit",
            Form(&[("username", "quan.tri.{actor}"), ("full_name", "Quản trị")]),
            Fresh::AdminInA,
            ADMIN,
        ),
        c(
            Method::POST,
            "/admin/accounts/{id}/memberships",
            Form(&[("unit_code", "TA-1"), ("role", "viewer"), ("title", "Tổ viên")]),
            Fresh::AccountInA,
            LEADER_A,
        ),
        c(Method::POST, "/admin/memberships/{id}/delete", None, Fresh::MembershipInA, LEADER_A),
        // Settings, categories, calendar (administrators only)
        c(Method::GET, "/admin/settings", None, Fresh::None, ADMIN),
        c(Method::GET, "/admin/settings/deadlines", None, Fresh::None, ADMIN),
        c(Method::POST, "/admin/settings/deadlines", Form(deadlines_form()), Fresh::None, ADMIN),
        c(Method::GET, "/admin/settings/map", None, Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/settings/map",
            Form(&[("default_province", "T01"), ("tile_url", ""), ("attribution", "")]),
            Fresh::None,
            ADMIN,
        ),
        c(Method::POST, "/admin/settings/map/boundaries/clear", None, Fresh::None, ADMIN),
        c(Method::GET, "/admin/categories", None, Fresh::None, ADMIN),
        c(Method::GET, "/admin/categories/new", None, Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/categories",
            Form(&[("code", "moi-{actor}"), ("name", "Lĩnh vực mới"), ("unit_kind", "peoples_committee")]),
            Fresh::None,
            ADMIN,
        ),
        c(Method::GET, "/admin/categories/1/edit", None, Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/categories/1",
            Form(&[("code", "giao-thong"), ("name", "Đường sá {actor}"), ("unit_kind", "peoples_committee")]),
            Fresh::None,
            ADMIN,
        ),
        c(Method::POST, "/admin/categories/1/active", Form(&[("active", "0")]), Fresh::None, ADMIN),
        c(Method::GET, "/admin/calendar?year=2031", None, Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/calendar",
            Form(&[("day", "2031-03-04"), ("kind", "day_off"), ("reason", "Thông báo {actor}")]),
            Fresh::None,
            ADMIN,
        ),
        c(Method::POST, "/admin/calendar/delete", Form(&[("day", "2031-03-03")]), Fresh::CalendarOverride, ADMIN),
        c(Method::GET, "/public/map", None, Fresh::None, EVERYONE),
        c(Method::GET, "/public/map.geojson", None, Fresh::None, EVERYONE),
        c(Method::GET, "/units/{ward_a}", None, Fresh::None, EVERYONE),
        c(Method::GET, "/account", None, Fresh::None, SIGNED_IN),
        c(Method::POST, "/account/tokens", Form(&[("name", "thử {actor}")]), Fresh::None, SIGNED_IN),
        // API
        c(Method::GET, "/api/v1/units", None, Fresh::None, EVERYONE),
        c(Method::GET, "/api/v1/units/{ward_a}", None, Fresh::None, EVERYONE),
        c(Method::GET, "/api/v1/me", None, Fresh::None, SIGNED_IN),
        c(Method::GET, "/api/v1/units/{ward_a}/members", None, Fresh::None, OFFICIALS),
        c(
            Method::POST,
            "/api/v1/units",
            Json(r#"{"code":"J-{actor}","name":"Tổ {actor}","kind":"residential_group","parent_id":{ward_a}}"#),
            Fresh::None,
            LEADER_A,
        ),
        c(
            Method::PUT,
            "/api/v1/units/{group_a1}",
            Json(r#"{"code":"TA-1","name":"Tổ số 1 {actor}","kind":"residential_group","parent_id":{ward_a}}"#),
            Fresh::None,
            LEADER_A,
        ),
        c(Method::DELETE, "/api/v1/units/{id}", None, Fresh::UnitInA, LEADER_A),
        c(
            Method::POST,
            "/api/v1/units/{id}/dissolve",
            Json(r#"{"successors":[{group_a1}],"effective_on":"2026-11-01"}"#),
            Fresh::UnitInA,
            LEADER_A,
        ),
        c(
            Method::POST,
            "/api/v1/units/import",
            Csv("code,name,kind,parent_code\nCSV-{actor},Tổ nhập {actor},residential_group,TA\n"),
            Fresh::None,
            ADMIN,
        ),
        c(Method::GET, "/api/v1/units/export", None, Fresh::None, LEADERS),
        c(Method::GET, "/api/v1/transfers", None, Fresh::None, ADMIN),
        c(Method::GET, "/api/v1/accounts", None, Fresh::None, LEADERS),
        c(
            Method::POST,
            "/api/v1/accounts",
            Json(
                r#"{"username":"api.{actor}","full_name":"Cán bộ API","password":"mot-mat-khau-dai","membership":{"unit_id":{group_a1},"role":"officer"}}"#,
            ),
            Fresh::None,
            LEADER_A,
        ),
        c(Method::GET, "/api/v1/accounts/{viewer_a}", None, Fresh::None, &["viewer_a", "leader_a", "admin"]),
        c(
            Method::PUT,
            "/api/v1/accounts/{viewer_a}",
            Json(r#"{"username":"viewer_a","full_name":"Người xem {actor}"}"#),
            Fresh::None,
            &["viewer_a", "leader_a", "admin"],
        ),
        c(
            Method::POST,
            "/api/v1/accounts/{id}/memberships",
            Json(r#"{"unit_id":{group_a1},"role":"viewer"}"#),
            Fresh::AccountInA,
            LEADER_A,
        ),
        c(Method::DELETE, "/api/v1/memberships/{id}", None, Fresh::MembershipInA, LEADER_A),
        c(Method::GET, "/api/v1/audit", None, Fresh::None, ADMIN),
        c(Method::POST, "/api/v1/tokens", Json(r#"{"name":"thử {actor}"}"#), Fresh::None, SIGNED_IN),
        c(Method::GET, "/api/v1/tokens", None, Fresh::None, SIGNED_IN),
        // One inbox scope for the page and the API: the Front's representatives see what they support.
        c(Method::GET, "/api/v1/cases", None, Fresh::None, &["viewer_a", "front_a", "officer_a", "leader_b", "leader_a", "admin"]),
        c(
            Method::POST,
            "/api/v1/cases",
            Json(
                r#"{"kind":"feedback","category":"ve-sinh","description":"Rác chưa thu gom ở {actor}.","place":"TA","address":"Chợ"}"#,
            ),
            Fresh::None,
            &["officer_a", "leader_a", "admin"],
        ),
        // The Front's representatives have an inbox too: the cases their unit supports.
        c(Method::GET, "/inbox", None, Fresh::None, &["viewer_a", "front_a", "officer_a", "leader_b", "leader_a", "admin"]),
        c(Method::GET, "/cases/record", None, Fresh::None, &["officer_a", "leader_b", "leader_a", "admin"]),
        c(Method::GET, "/admin/cases/import", None, Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/cases/import",
            CaseFile("source_ref,received_at,category,place,description,address\nM-{actor},2026-11-02,thoat-nuoc,TA,Cống trước chợ bị tắc nhiều ngày.,Chợ\n"),
            Fresh::None,
            ADMIN,
        ),
        // Supporting units: chosen and removed by the lead unit's handlers only.
        c(
            Method::POST,
            "/cases/{id}/supports",
            Form(&[("support_unit", "TB")]),
            Fresh::CaseInA,
            &["officer_a", "leader_a", "admin"],
        )
        .refused_as(&[404]),
        c(
            Method::POST,
            "/cases/{id}/supports/{ward_a}/remove",
            Form(&[]),
            Fresh::SupportedCaseInA,
            &["officer_a", "leader_a", "admin"],
        )
        .refused_as(&[404]),
        // Officer inbox: bulk assignment, export, response templates. An official of another unit
        // hears every case "not found" and nothing is done (409), as for unknown ids.
        c(
            Method::POST,
            "/inbox/assign",
            Form(&[("ids", "{id}"), ("assignee", "officer_a")]),
            Fresh::CaseInA,
            &["officer_a", "leader_a", "admin"],
        )
        .refused_as(&[409]),
        c(
            Method::POST,
            "/api/v1/cases/assign",
            Json(r#"{"codes":["{code}"],"assignee":"officer_a"}"#),
            Fresh::CaseInA,
            &["officer_a", "leader_a", "admin"],
        )
        .refused_as(&[409]),
        c(
            Method::GET,
            "/inbox/export.xlsx",
            None,
            Fresh::None,
            &["viewer_a", "front_a", "officer_a", "leader_b", "leader_a", "admin"],
        ),
        c(
            Method::GET,
            "/inbox/export.csv",
            None,
            Fresh::None,
            &["viewer_a", "front_a", "officer_a", "leader_b", "leader_a", "admin"],
        ),
        c(Method::GET, "/templates", None, Fresh::None, LEADERS),
        c(Method::GET, "/templates/new", None, Fresh::None, LEADERS),
        c(
            Method::POST,
            "/templates",
            Form(&[("unit_code", "TA"), ("title", "Mẫu {actor}"), ("body", "Hồ sơ {ma_ho_so} đã được tiếp nhận.")]),
            Fresh::None,
            LEADER_A,
        ),
        c(Method::GET, "/templates/{id}/edit", None, Fresh::TemplateInA, LEADER_A),
        c(
            Method::POST,
            "/templates/{id}",
            Form(&[("unit_code", "TA-1"), ("title", "Mẫu sửa {actor}"), ("body", "Đã xử lý.")]),
            Fresh::TemplateInA,
            LEADER_A,
        ),
        c(Method::POST, "/templates/{id}/delete", None, Fresh::TemplateInA, LEADER_A),
        c(Method::GET, "/admin/settings/retention", None, Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/settings/retention",
            Form(&[("feedback_years", "3"), ("complaint_years", "6")]),
            Fresh::None,
            ADMIN,
        ),
        c(
            Method::POST,
            "/cases/{id}/merge",
            Form(&[("into", "{into}"), ("note", "Trùng nội dung")]),
            Fresh::CasePairInA,
            &["officer_a", "leader_a", "admin"],
        )
        .refused_as(&[404]),
        // The answer document: whoever may open the officer's case page.
        // Whoever may not know of the case hears 404, as for an unknown one.
        c(Method::GET, "/cases/{id}/answer/print", None, Fresh::AnsweredCaseInA, &["viewer_a", "officer_a", "leader_a", "admin"])
            .refused_as(&[404]),
        // Answer files: attached and removed by those who handle the case.
        c(Method::POST, "/cases/{id}/files", Pdf, Fresh::CaseInA, &["officer_a", "leader_a", "admin"]).refused_as(&[404]),
        c(Method::POST, "/files/{id}/delete", None, Fresh::AnswerFileInA, &["officer_a", "leader_a", "admin"]).refused_as(&[404]),
    ];
    v.extend(crate::authz_matrix_routes::cases());
    v.extend(super::emulation::cases());
    v.extend(super::emulation_models::cases());
    v.extend(super::emulation_council::cases());
    v.extend(super::emulation_mergers::cases());
    v.extend(super::movements::cases());
    v.extend(super::emulation_statistics::cases());
    v.extend(super::review::cases());
    v.extend(super::ux::cases());
    v.extend(super::resident::cases());
    v
}
