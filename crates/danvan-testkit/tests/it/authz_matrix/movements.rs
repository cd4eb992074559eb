//! The emulation movements' routes in the role × route matrix (issue 11 items 1–2): a movement
//! launched by ward A for its people's committee and residential group 1 ({code}: its id), with
//! a cluster of both, a reviewed criterion ({key}: its id) and group 1's registration ({id}).
//! Ward A's officials read it; its emulation officers and leaders (and the administrators) keep
//! it and take part for the units under ward A; ward B's leader does neither.

use super::targets::Target;
use super::{c, Body, Case, Fresh, SIGNED_IN};
use danvan_domain::emulation::{CriterionKind, PeriodKind};
use danvan_store::emulation::{NewCriterion, NewMovement};
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp};
use reqwest::Method;

const READERS: &[&str] = &["viewer_a", "front_a", "officer_a", "emulation_a", "leader_a", "admin"];
const KEEPERS: &[&str] = &["emulation_a", "leader_a", "admin"];

pub(super) async fn fresh_movement(app: &TestApp, f: &Fixture, n: usize) -> Target {
    let s = &app.store;
    let ctx = AuditCtx::system("matrix");
    let cluster =
        s.create_emulation_cluster(&ctx, f.ward_a.id, &format!("Cụm {n}"), &[f.committee_a.id, f.group_a1.id]).await.unwrap();
    let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let m = NewMovement {
        unit_id: f.ward_a.id,
        name: format!("Dân vận khéo {n}"),
        purpose: String::new(),
        period_kind: PeriodKind::Annual,
        starts_on: d(1, 1),
        ends_on: d(12, 31),
        cluster_id: Some(cluster),
        target_unit_ids: vec![f.committee_a.id, f.group_a1.id],
    };
    let id = s.create_emulation_movement(&ctx, &m).await.unwrap();
    let c = NewCriterion { name: "Mô hình".into(), kind: CriterionKind::Reviewed, indicator: None, target: None, weight: 10 };
    let crit = s.add_emulation_criterion(&ctx, id, &c).await.unwrap();
    let reg = s.register_for_emulation(&ctx, id, f.group_a1.id, "", &[]).await.unwrap();
    Target { id: Some(reg), code: id.to_string(), key: crit.to_string(), ..Default::default() }
}

pub(super) fn cases() -> Vec<Case> {
    use Body::*;
    let m = Fresh::MovementInA;
    vec![
        c(Method::GET, "/emulation/movements", None, Fresh::None, SIGNED_IN),
        c(
            Method::POST,
            "/emulation/movements",
            Form(&[
                ("unit", "TA"),
                ("name", "Phong trào {actor}"),
                ("period_kind", "annual"),
                ("starts_on", "2026-01-01"),
                ("ends_on", "2026-12-31"),
                ("targets", "TA-1"),
            ]),
            Fresh::None,
            KEEPERS,
        ),
        c(
            Method::POST,
            "/emulation/movements/clusters",
            Form(&[("unit", "TA"), ("name", "Cụm {actor}"), ("members", "TA-1, TA-UB")]),
            Fresh::None,
            KEEPERS,
        ),
        c(Method::GET, "/emulation/movements/{code}", None, m, READERS),
        c(
            Method::POST,
            "/emulation/movements/{code}/criteria",
            Form(&[
                ("name", "Trả lời đúng hạn"),
                ("kind", "measured"),
                ("indicator", "answered_on_time_share"),
                ("target", "90"),
                ("weight", "30"),
            ]),
            m,
            KEEPERS,
        ),
        c(
            Method::POST,
            "/emulation/movements/{code}/pacts",
            Form(&[("unit", "TA-1"), ("commitment", "Không để đơn quá hạn"), ("signed_on", "2026-01-15")]),
            m,
            KEEPERS,
        ),
        c(Method::POST, "/emulation/movements/{code}/registrations", Form(&[("unit", "TA-UB")]), m, KEEPERS),
        c(Method::GET, "/emulation/movements/{code}/registrations/{id}", None, m, READERS),
        c(
            Method::POST,
            "/emulation/movements/{code}/registrations/{id}/achievements",
            Form(&[("reported_on", "2026-06-01"), ("body", "Tổ chức 3 buổi đối thoại")]),
            m,
            KEEPERS,
        ),
        c(
            Method::POST,
            "/emulation/movements/{code}/registrations/{id}/assessments",
            Form(&[("side", "review"), ("criterion", "{key}"), ("points", "80")]),
            m,
            KEEPERS,
        ),
        c(Method::GET, "/api/v1/emulation/movements", None, Fresh::None, SIGNED_IN),
        c(
            Method::POST,
            "/api/v1/emulation/movements",
            Json(
                r#"{"unit":"TA","name":"Phong trào {actor}","period_kind":"thematic","starts_on":"2026-03-01","ends_on":"2026-05-31","targets":"TA-1"}"#,
            ),
            Fresh::None,
            KEEPERS,
        ),
        c(Method::GET, "/api/v1/emulation/movements/{code}", None, m, READERS),
        c(Method::GET, "/api/v1/emulation/movements/{code}/standings", None, m, READERS),
        c(
            Method::POST,
            "/api/v1/emulation/movements/{code}/criteria",
            Json(r#"{"name":"Hài lòng","kind":"measured","indicator":"satisfaction","target":4,"weight":20}"#),
            m,
            KEEPERS,
        ),
        c(Method::POST, "/api/v1/emulation/movements/{code}/registrations", Json(r#"{"unit":"TA-UB"}"#), m, KEEPERS),
        c(Method::GET, "/api/v1/emulation/movements/{code}/registrations/{id}/score", None, m, READERS),
        c(
            Method::POST,
            "/api/v1/emulation/movements/{code}/registrations/{id}/assessments",
            Json(r#"{"criterion":{key},"side":"review","points":80}"#),
            m,
            KEEPERS,
        ),
    ]
}
