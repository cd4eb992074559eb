//! The role × route authorisation matrix: every route is tried by every kind of actor, and each
//! must be refused (401/403 or a sign-in redirect) exactly where the rules say. Removing an
//! authorisation check from any handler listed here makes this test fail.

use danvan_domain::account::AccountDraft;
use danvan_domain::unit::UnitDraft;
use danvan_domain::{Role, UnitKind};
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;

pub(crate) const ACTORS: &[&str] = &["anonymous", "citizen", "viewer_a", "front_a", "officer_a", "leader_b", "leader_a", "admin"];
pub(crate) const ADMIN: &[&str] = &["admin"];
pub(crate) const LEADER_A: &[&str] = &["leader_a", "admin"];
pub(crate) const LEADERS: &[&str] = &["leader_a", "leader_b", "admin"];
pub(crate) const SIGNED_IN: &[&str] = &["citizen", "viewer_a", "front_a", "officer_a", "leader_b", "leader_a", "admin"];
pub(crate) const OFFICIALS: &[&str] = &["viewer_a", "front_a", "officer_a", "leader_b", "leader_a", "admin"];
pub(crate) const EVERYONE: &[&str] = ACTORS;

/// A target created afresh for each actor, for routes that consume it (delete, dissolve…).
#[derive(Clone, Copy)]
pub(crate) enum Fresh {
    None,
    /// A residential group under ward A ({id}).
    UnitInA,
    /// An official of ward A ({id}).
    AccountInA,
    /// A membership in ward A ({id}).
    MembershipInA,
    /// An administrator who also works in ward A ({id}): out of the ward leader's reach.
    AdminInA,
    /// A calendar override on 2031-03-03 (no id).
    CalendarOverride,
    /// An accepted case handled by ward A's people's committee ({id}, {code}).
    CaseInA,
    /// A response template owned by ward A ({id}).
    TemplateInA,
    /// An open case handled in ward A ({id}), and another one to merge it into ({into}: its code).
    CasePairInA,
    /// A case of ward A's people's committee whose answer was signed off and sent ({id}).
    AnsweredCaseInA,
    /// A file attached to the (unsent) answer of an accepted case in ward A ({id}: the file's).
    AnswerFileInA,
    /// A case of ward A's people's committee that ward A itself supports ({id}).
    SupportedCaseInA,
    /// A published case recorded by the hotline, its answer sent, followed by its private link
    /// ({id}, {code}, {secret}).
    TrackedCase,
    /// An API token of the acting actor (the citizen's for the anonymous visitor) ({id}).
    OwnToken,
    /// A sub-unit of a dissolved district waiting for an administrator to place it ({id});
    /// ward A is one of the successors.
    PendingTransfer,
    /// An Open311 API key ({key}).
    Open311Key,
}

pub(crate) enum Body {
    None,
    Form(&'static [(&'static str, &'static str)]),
    Json(&'static str),
    Csv(&'static str),
    /// A multipart form with one small PDF in the `files` field.
    Pdf,
    /// A multipart form with a `source` field and this text as the `file`.
    CaseFile(&'static str),
    /// A multipart form with this text as its only field, the `file`.
    File(&'static str),
}

pub(crate) struct Case {
    pub(crate) method: Method,
    /// `{ward_a}`, `{group_a1}`, `{viewer_a}`, `{id}`, `{code}`, `{into}`, `{secret}`, `{key}`
    /// (fresh target) and `{actor}` are replaced.
    pub(crate) path: &'static str,
    pub(crate) body: Body,
    pub(crate) fresh: Fresh,
    pub(crate) allowed: &'static [&'static str],
    /// Statuses that also count as a refusal here: 404 where a route hides what one may not
    /// see, 422 where it explains the refusal on the form.
    pub(crate) refused_as: &'static [u16],
}

impl Case {
    pub(crate) fn refused_as(self, statuses: &'static [u16]) -> Case {
        Case { refused_as: statuses, ..self }
    }
}

/// One matrix entry.
pub(crate) fn c(method: Method, path: &'static str, body: Body, fresh: Fresh, allowed: &'static [&'static str]) -> Case {
    Case { method, path, body, fresh, allowed, refused_as: &[] }
}

/// A complete, valid time-limits form (the legal defaults), built once.
fn deadlines_form() -> &'static [(&'static str, &'static str)] {
    use danvan_domain::case::{ClockStart, DayCount};
    let d = danvan_domain::settings::Deadlines::default();
    let mut v: Vec<(&'static str, &'static str)> = vec![];
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    for kind in danvan_domain::case::CaseKind::ALL {
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

fn cases() -> Vec<Case> {
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
        ),
        c(
            Method::POST,
            "/cases/{id}/supports/{ward_a}/remove",
            Form(&[]),
            Fresh::SupportedCaseInA,
            &["officer_a", "leader_a", "admin"],
        ),
        // Officer inbox: bulk assignment, export, response templates
        c(
            Method::POST,
            "/inbox/assign",
            Form(&[("ids", "{id}"), ("assignee", "officer_a")]),
            Fresh::CaseInA,
            &["officer_a", "leader_a", "admin"],
        ),
        c(
            Method::POST,
            "/api/v1/cases/assign",
            Json(r#"{"codes":["{code}"],"assignee":"officer_a"}"#),
            Fresh::CaseInA,
            &["officer_a", "leader_a", "admin"],
        ),
        c(
            Method::GET,
            "/inbox/export.xlsx",
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
        ),
        // The answer document: whoever may open the officer's case page.
        c(Method::GET, "/cases/{id}/answer/print", None, Fresh::AnsweredCaseInA, &["viewer_a", "officer_a", "leader_a", "admin"]),
        // Answer files: attached and removed by those who handle the case.
        c(Method::POST, "/cases/{id}/files", Pdf, Fresh::CaseInA, &["officer_a", "leader_a", "admin"]),
        c(Method::POST, "/files/{id}/delete", None, Fresh::AnswerFileInA, &["officer_a", "leader_a", "admin"]),
    ];
    v.extend(crate::authz_matrix_routes::cases());
    v
}

/// What a fresh target puts into a path or body.
#[derive(Default)]
pub(crate) struct Target {
    pub(crate) id: Option<i64>,
    pub(crate) code: String,
    pub(crate) secret: String,
    pub(crate) key: String,
}

async fn fresh_target(app: &TestApp, f: &Fixture, fresh: Fresh, n: usize, actor: &str) -> Target {
    let id = fresh_id(app, f, fresh, n, actor).await;
    let mut t = Target { id, ..Default::default() };
    match (fresh, id) {
        (Fresh::CaseInA, Some(id)) => t.code = app.store.get_case(id).await.unwrap().code,
        // The case to merge into was recorded just before the fresh one.
        (Fresh::CasePairInA, Some(id)) => t.code = app.store.get_case(id - 1).await.unwrap().code,
        (Fresh::TrackedCase, _) => (t.id, t.code, t.secret) = tracked_case(app, f, n).await,
        (Fresh::Open311Key, _) => {
            t.key = app.store.create_open311_key(&AuditCtx::system("matrix"), &format!("App {n}")).await.unwrap().1
        }
        _ => {}
    }
    t
}

/// A published feedback recorded by the hotline, its answer signed off and sent: (id, code, secret).
pub(crate) async fn tracked_case(app: &TestApp, f: &Fixture, n: usize) -> (Option<i64>, String, String) {
    let s = &app.store;
    let ctx = AuditCtx::system("matrix");
    let spec = danvan_testkit::CaseSpec {
        description: format!("Đèn đường ngõ {n} bị hỏng nhiều ngày"),
        place: f.ward_a.id,
        ..Default::default()
    };
    let (c, secret) = danvan_testkit::record_case(s, &spec).await;
    let unit = s.get_unit(c.unit_id).await.unwrap();
    let now = chrono::Utc::now();
    s.save_answer_draft(&ctx, c.id, "Đơn vị đã thay bóng đèn.", now).await.unwrap();
    s.approve_answer(&ctx, c.id, unit.id, &unit.code, now).await.unwrap();
    s.mark_answer_sent(c.id, now).await.unwrap();
    (Some(c.id), c.code, secret)
}

async fn fresh_id(app: &TestApp, f: &Fixture, fresh: Fresh, n: usize, actor: &str) -> Option<i64> {
    let ctx = AuditCtx::system("matrix");
    let s = &app.store;
    let unit = |code: String| UnitDraft {
        code,
        name: format!("Tổ tạm {n}"),
        kind: UnitKind::ResidentialGroup,
        parent_id: Some(f.ward_a.id),
        territory_id: None,
        effective_from: None,
        remote_area: false,
    };
    let account =
        |n: usize| AccountDraft {
            username: format!("tam.{n}"), full_name: format!("Cán bộ tạm {n}"), email: None, phone: None
        };
    match fresh {
        Fresh::None | Fresh::TrackedCase | Fresh::Open311Key => None,
        Fresh::OwnToken => {
            let owner = if actor == "anonymous" { "citizen" } else { actor };
            let id = account_id(app, owner).await;
            Some(s.create_api_token(&ctx, id, &format!("thử {n}")).await.unwrap().0.id)
        }
        Fresh::PendingTransfer => {
            let district = UnitDraft { kind: UnitKind::District, parent_id: Some(f.city.id), ..unit(format!("OLD-{n}")) };
            let old = s.create_unit(&ctx, &district).await.unwrap();
            let child = UnitDraft { parent_id: Some(old.id), ..unit(format!("OLD-{n}-1")) };
            let child = s.create_unit(&ctx, &child).await.unwrap();
            let plan = danvan_domain::unit::DissolutionPlan { moves: vec![], unplaced: vec![child.id] };
            let on = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
            s.dissolve_unit(&ctx, old.id, &[f.ward_a.id, f.ward_b.id], &plan, on).await.unwrap();
            s.pending_transfers().await.unwrap().into_iter().find(|t| t.item_id == child.id).map(|t| t.id)
        }
        Fresh::CalendarOverride => {
            let date = chrono::NaiveDate::from_ymd_opt(2031, 3, 3).unwrap();
            let o = danvan_domain::calendar::Override::DayOff { date, reason: "thử".into() };
            s.set_calendar_override(&ctx, &o).await.unwrap();
            None
        }
        Fresh::UnitInA => Some(s.create_unit(&ctx, &unit(format!("FRESH-{n}"))).await.unwrap().id),
        Fresh::AccountInA | Fresh::MembershipInA | Fresh::AdminInA => {
            let a = s.create_account(&ctx, &account(n), "unused").await.unwrap();
            let m = s.add_membership(&ctx, a.id, f.group_a1.id, Role::Officer, "").await.unwrap();
            if matches!(fresh, Fresh::AdminInA) {
                s.add_membership(&ctx, a.id, f.city.id, Role::Admin, "").await.unwrap();
            }
            Some(if matches!(fresh, Fresh::MembershipInA) { m } else { a.id })
        }
        Fresh::CaseInA => Some(
            danvan_testkit::case_in(app, &f.committee_a, danvan_domain::case::CaseKind::Feedback, "Người gửi", true).await.id,
        ),
        Fresh::SupportedCaseInA => {
            let c =
                danvan_testkit::case_in(app, &f.committee_a, danvan_domain::case::CaseKind::Feedback, "Người gửi", true).await;
            s.add_case_support(&ctx, c.id, f.ward_a.id, "").await.unwrap();
            Some(c.id)
        }
        Fresh::AnsweredCaseInA => {
            let c =
                danvan_testkit::case_in(app, &f.committee_a, danvan_domain::case::CaseKind::Feedback, "Người gửi", true).await;
            let now = chrono::Utc::now();
            s.save_answer_draft(&ctx, c.id, "Đơn vị đã xử lý xong phản ánh.", now).await.unwrap();
            s.approve_answer(&ctx, c.id, f.committee_a.id, &f.committee_a.code, now).await.unwrap();
            s.mark_answer_sent(c.id, now).await.unwrap();
            Some(c.id)
        }
        Fresh::TemplateInA => {
            let d = danvan_domain::inbox::TemplateDraft { title: format!("Mẫu {n}"), body: "Đã tiếp nhận.".into() };
            Some(s.create_template(&ctx, f.ward_a.id, None, &d).await.unwrap())
        }
        Fresh::CasePairInA => {
            let spec = danvan_testkit::CaseSpec {
                description: format!("Cống đầu ngõ {n} bị tắc nhiều ngày"),
                place: f.ward_a.id,
                ..Default::default()
            };
            danvan_testkit::record_case(s, &spec).await;
            Some(danvan_testkit::record_case(s, &spec).await.0.id)
        }
        Fresh::AnswerFileInA => {
            let c =
                danvan_testkit::case_in(app, &f.committee_a, danvan_domain::case::CaseKind::Feedback, "Người gửi", true).await;
            let att = danvan_store::attachments::NewAttachment {
                purpose: danvan_domain::attachment::Purpose::Answer,
                content_type: "application/pdf".into(),
                file_name: format!("cong-van-{n}.pdf"),
                storage_key: Some(format!("2031/01/matrix-{n}.pdf")),
                thumb_key: None,
                external_url: None,
                bytes: 8,
                width: None,
                height: None,
                sha256: "0".repeat(64),
            };
            s.add_attachments(&ctx, c.id, &[att]).await.unwrap();
            // The file itself, so that those who may download it really do.
            let path = app.uploads_dir.join(format!("2031/01/matrix-{n}.pdf"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, b"%PDF-1.4\n%%EOF\n").unwrap();
            s.attachments(c.id).await.unwrap().into_iter().find(|a| a.purpose == "answer").map(|a| a.id)
        }
    }
}

/// A client with a session of `actor`, made in the store: signing in through `/login` for each
/// actor of each route would spend most of the matrix's time hashing passwords (the sign-in
/// itself is tested in admin.rs; the other tests here still sign in through the form).
async fn signed_in(app: &TestApp, actor: &str) -> Client {
    let id = account_id(app, actor).await;
    let (token, _) = app.store.create_session(id, chrono::Duration::hours(1), "127.0.0.1", "matrix").await.unwrap();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let url: reqwest::Url = app.url.parse().unwrap();
    jar.add_cookie_str(&format!("{}={token}; Path=/", danvan_web::ctx::SESSION_COOKIE), &url);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, app.url.parse().unwrap());
    let http = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    let mut client = Client { http, base: app.url.clone(), csrf: String::new() };
    // The session's own CSRF token, from a page.
    let (status, home) = client.page("/").await;
    assert!(status == 200 && home.contains("id=\"logout\""), "{actor} is signed in");
    client
}

pub(crate) async fn account_id(app: &TestApp, username: &str) -> i64 {
    app.store.get_account_by_username(username).await.unwrap().unwrap().id
}

async fn send(client: &mut Client, case: &Case, path: &str, actor: &str, subst: &dyn Fn(&str) -> String) -> reqwest::Response {
    match &case.body {
        Body::Form(fields) => {
            let owned: Vec<(String, String)> =
                fields.iter().map(|(k, v)| (k.to_string(), subst(v).replace("{actor}", actor))).collect();
            let refs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            client.post_form(path, &refs).await
        }
        Body::Json(j) => {
            let body: serde_json::Value = serde_json::from_str(&subst(j).replace("{actor}", actor)).unwrap();
            client.json(case.method.clone(), path, Some(body)).await
        }
        Body::CaseFile(text) => {
            let file = text.replace("{actor}", actor).into_bytes();
            client.post_multipart(path, &[("source", "matrix")], &[("file", "cases.csv", file)]).await
        }
        Body::Csv(text) => {
            client.json(Method::GET, "/", None).await; // ensure the CSRF token is known
            client
                .http
                .post(format!("{}{path}", client.base))
                .header("x-csrf-token", client.csrf.clone())
                .header("content-type", "text/csv")
                .body(text.replace("{actor}", actor))
                .send()
                .await
                .unwrap()
        }
        Body::File(text) => {
            let file = subst(text).replace("{actor}", actor).into_bytes();
            client.post_multipart(path, &[], &[("file", "data.txt", file)]).await
        }
        Body::Pdf => client.post_multipart(path, &[], &[("files", "a.pdf", b"%PDF-1.4\n%%EOF\n".to_vec())]).await,
        Body::None if case.method == Method::GET => client.get(path).await,
        Body::None => client.json(case.method.clone(), path, None).await,
    }
}

#[tokio::test]
async fn every_route_refuses_exactly_the_actors_the_rules_refuse() {
    let mut failures = vec![];
    let mut n = 0;
    for case in cases() {
        // A fresh locality per route, so one actor's change cannot mask another's refusal.
        let app = TestApp::sqlite().await;
        let f = Fixture::build(&app.store).await;
        let viewer = account_id(&app, "viewer_a").await;
        // Refused actors go first: an allowed one may consume the target.
        let mut order: Vec<&str> = ACTORS.iter().copied().filter(|a| !case.allowed.contains(a)).collect();
        order.extend(ACTORS.iter().copied().filter(|a| case.allowed.contains(a)));
        for actor in order {
            n += 1;
            let t = fresh_target(&app, &f, case.fresh, n, actor).await;
            let subst = |s: &str| {
                s.replace("{ward_a}", &f.ward_a.id.to_string())
                    .replace("{group_a1}", &f.group_a1.id.to_string())
                    .replace("{viewer_a}", &viewer.to_string())
                    .replace("{id}", &t.id.map(|i| i.to_string()).unwrap_or_default())
                    .replace("{code}", &t.code)
                    .replace("{into}", &t.code)
                    .replace("{secret}", &t.secret)
                    .replace("{key}", &t.key)
            };
            let path = subst(case.path).replace("{actor}", actor);
            let mut client = if actor == "anonymous" { app.client() } else { signed_in(&app, actor).await };
            let resp = send(&mut client, &case, &path, actor, &subst).await;
            let status = resp.status().as_u16();
            let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            // A sign-in redirect names where to come back (`/login?next=…`); a plain `/login` is
            // where a password change sends its author.
            let refused = status == 401
                || status == 403
                || (status == 303 && location.starts_with("/login?"))
                || case.refused_as.contains(&status);
            let allowed = case.allowed.contains(&actor);
            if allowed && (refused || status >= 400) {
                failures.push(format!("{} {path}: {actor} should be allowed, got {status} {location}", case.method));
            }
            if !allowed && !refused {
                failures.push(format!("{} {path}: {actor} should be refused, got {status} {location}", case.method));
            }
        }
    }
    assert!(failures.is_empty(), "authorisation matrix failures:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn state_changes_without_the_csrf_token_or_from_another_origin_are_refused() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut client = app.client();
    client.login("admin", PASSWORD).await;
    let form = [("code", "X1"), ("name", "Phường X"), ("kind", "ward")];
    // No token
    let r = client.http.post(format!("{}/admin/units", app.url)).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // Wrong token
    let r = client.http.post(format!("{}/admin/units", app.url)).form(&[("code", "X1"), ("_csrf", "0000")]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // Right token, foreign origin
    let csrf = client.csrf.clone();
    let mut with_token: Vec<(&str, &str)> = form.to_vec();
    with_token.push(("_csrf", &csrf));
    let r = client
        .http
        .post(format!("{}/admin/units", app.url))
        .header("origin", "https://evil.example")
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // JSON API with the session cookie but no header
    let r = client
        .http
        .post(format!("{}/api/v1/units", app.url))
        .json(&serde_json::json!({"code":"X2","name":"Phường Y","kind":"ward"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.store.get_unit_by_code("X1").await.unwrap(), None, "nothing was created");
    // The same form with the token works.
    let r = client.post_form("/admin/units", &form).await;
    assert_eq!(r.status().as_u16(), 303);
}

/// Whether a registered route (`/cases/{id}/act`) is the one a matrix path (`/cases/{id}/act`,
/// `/units/{ward_a}`, `/track/{code}?…`) exercises: same method, same segments, parameters free.
fn covers(case: &Case, route: &danvan_web::routes::Route) -> bool {
    let path = case.path.split('?').next().unwrap_or("");
    let (a, b): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), route.path.split('/').collect());
    case.method.as_str() == route.method
        && a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (y.starts_with('{') && y.ends_with('}')) || (x.starts_with('{') && y.contains('{')))
}

#[test]
fn the_matrix_covers_every_route_of_the_route_table() {
    let cases = cases();
    let table = danvan_web::route_table();
    assert!(table.len() > 80, "the route table lists {} routes", table.len());
    // Each line of the matrix exercises the route the router dispatches it to: of the routes it
    // matches, the one with the most fixed segments (`/cases/record` is not `/cases/{id}`).
    let fixed = |r: &danvan_web::routes::Route| r.path.split('/').filter(|s| !s.contains('{')).count();
    let tried: Vec<&danvan_web::routes::Route> =
        cases.iter().filter_map(|c| table.iter().filter(|r| covers(c, r)).max_by_key(|r| fixed(r))).collect();
    let missing: Vec<String> = table.iter().filter(|r| !tried.contains(r)).map(|r| format!("{} {}", r.method, r.path)).collect();
    assert!(missing.is_empty(), "routes the authorisation matrix does not try:\n{}", missing.join("\n"));
}
