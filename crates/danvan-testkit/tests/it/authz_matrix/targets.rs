//! Targets made afresh for each actor, for routes that consume them (delete, dissolve, send…).

use super::*;
use danvan_domain::org::account::AccountDraft;
use danvan_domain::org::unit::UnitDraft;
use danvan_domain::{Role, UnitKind};
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp};

/// What a fresh target puts into a path or body.
#[derive(Default)]
pub(crate) struct Target {
    pub(crate) id: Option<i64>,
    pub(crate) code: String,
    pub(crate) secret: String,
    pub(crate) key: String,
}

pub(super) async fn fresh_target(app: &TestApp, f: &Fixture, fresh: Fresh, n: usize, actor: &str) -> Target {
    if let Fresh::Round(round) = fresh {
        return super::emulation_council::fresh(app, f, round, n).await;
    }
    if let Fresh::MovementInA = fresh {
        return super::movements::fresh_movement(app, f, n).await;
    }
    if let Fresh::ReportInA = fresh {
        return super::review::fresh_report(app, f, n).await;
    }
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
        // Finds the case again with its code (`POST /track`).
        phone: "0912 345 678",
        ..Default::default()
    };
    let (c, secret) = danvan_testkit::record_case(s, &spec).await;
    let unit = s.get_unit(c.unit_id).await.unwrap();
    let now = chrono::Utc::now();
    s.save_answer_draft(&ctx, c.id, "Đơn vị đã thay bóng đèn.", now).await.unwrap();
    s.approve_answer(&ctx, c.id, &unit, now).await.unwrap();
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
        Fresh::None | Fresh::TrackedCase | Fresh::Open311Key | Fresh::Round(_) | Fresh::MovementInA | Fresh::ReportInA => None,
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
            let plan = danvan_domain::org::unit::DissolutionPlan { moves: vec![], unplaced: vec![child.id] };
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
        Fresh::EmulationSettingsVersion => {
            let mut book = s.emulation_settings_book().await.unwrap();
            let effective_from = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
            let settings = danvan_domain::emulation::EmulationSettings::default();
            book.put(danvan_domain::emulation::SettingsVersion { effective_from, settings });
            s.save_emulation_settings_book(&ctx, &book).await.unwrap();
            None
        }
        Fresh::EmulationRecordInA => {
            let r = danvan_store::emulation::NewRecipient {
                kind: danvan_domain::emulation::RecipientKind::Individual,
                name: format!("Người thi đua {n}"),
                unit_id: f.group_a1.id,
                woman: false,
                account_id: None,
            };
            Some(s.create_emulation_recipient(&ctx, &r).await.unwrap())
        }
        Fresh::ModelInA | Fresh::RecognisedModelInA | Fresh::ModelPhotoInA => {
            Some(super::emulation_models::fresh_model(app, f, fresh, n).await)
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
            danvan_testkit::case_in(app, &f.committee_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", true).await.id,
        ),
        Fresh::SupportedCaseInA => {
            let c =
                danvan_testkit::case_in(app, &f.committee_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", true).await;
            s.add_case_support(&ctx, c.id, f.ward_a.id, "").await.unwrap();
            Some(c.id)
        }
        Fresh::AnsweredCaseInA => {
            let c =
                danvan_testkit::case_in(app, &f.committee_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", true).await;
            let now = chrono::Utc::now();
            s.save_answer_draft(&ctx, c.id, "Đơn vị đã xử lý xong phản ánh.", now).await.unwrap();
            s.approve_answer(&ctx, c.id, &f.committee_a, now).await.unwrap();
            s.mark_answer_sent(c.id, now).await.unwrap();
            Some(c.id)
        }
        Fresh::TemplateInA => {
            let d =
                danvan_domain::cases::inbox::TemplateDraft { title: format!("Mẫu {n}"), body: "Đã tiếp nhận.".into() };
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
                danvan_testkit::case_in(app, &f.committee_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", true).await;
            let att = danvan_store::cases::attachments::NewAttachment {
                purpose: danvan_domain::cases::attachment::Purpose::Answer,
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
