//! Walk finding M5: a denunciation of a ward's people's committee went to the ward itself, where
//! nobody works, and stayed there. It now goes to the nearest unit above the one concerned where
//! someone may handle it: the people's committee one level up (Luật Tố cáo 2018, Điều 12 khoản 1,
//! Điều 13).

use super::{action, create, signed_in};
use danvan_domain::org::unit::UnitDraft;
use danvan_domain::{Role, UnitKind};
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use serde_json::json;

fn id_code(created: &serde_json::Value) -> (i64, String) {
    (created["case"]["id"].as_i64().unwrap(), created["case"]["code"].as_str().unwrap().to_string())
}

async fn unit(app: &TestApp, code: &str, kind: UnitKind, parent: i64, territory: Option<i64>) -> i64 {
    let draft = UnitDraft {
        code: code.into(),
        name: format!("Đơn vị {code}"),
        kind,
        parent_id: Some(parent),
        territory_id: territory,
        effective_from: None,
        remote_area: false,
    };
    app.store.create_unit(&AuditCtx::system("test"), &draft).await.unwrap().id
}

async fn official(app: &TestApp, username: &str, unit: i64, role: Role) {
    let ctx = AuditCtx::system("test");
    let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.unwrap();
    let draft = danvan_domain::org::account::AccountDraft {
        username: username.into(),
        full_name: format!("Cán bộ {username}"),
        email: None,
        phone: None,
    };
    let acc = app.store.create_account(&ctx, &draft, &hash).await.unwrap();
    app.store.add_membership(&ctx, acc.id, unit, role, "").await.unwrap();
}

#[tokio::test]
async fn a_denunciation_of_a_wards_committee_goes_to_the_committee_above() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        // Ward C as the demo's wards are: its officials work on its bodies, none on the ward.
        let ward_c = unit(&app, "TC", UnitKind::Ward, f.city.id, None).await;
        let committee_c = unit(&app, "TC-UB", UnitKind::PeoplesCommittee, ward_c, Some(ward_c)).await;
        official(&app, "officer_c", committee_c, Role::Officer).await;
        let body = |concerned: &str| {
            json!({
                "kind": "denunciation", "category": "xay-dung", "place": "TC", "address": "Phường C", "channel": "walk_in",
                "description": "Ủy ban phường cấp phép sai cho công trình xây dựng.",
                "sender_name": "Người Tố Cáo", "sender_phone": "0911000111", "sender_address": "Số 1",
                "concerned_unit": concerned, "concerned_name": "Ủy ban nhân dân phường C",
            })
        };
        let mut admin = signed_in(&app, "admin").await;
        // No one above the ward handles cases yet: it stays at the ward, as before.
        let (status, created) = create(&mut admin, body("TC-UB")).await;
        assert_eq!(status, 201, "{b}: {created}");
        assert_eq!(app.store.get_case(id_code(&created).0).await.unwrap().unit_id, ward_c, "{b}");
        // With the city's people's committee staffed, it goes there, and its officer handles it.
        let city_committee = unit(&app, "T01-UB", UnitKind::PeoplesCommittee, f.city.id, Some(f.city.id)).await;
        official(&app, "officer_city", city_committee, Role::Officer).await;
        let (status, created) = create(&mut admin, body("TC-UB")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (id, code) = id_code(&created);
        assert_eq!(app.store.get_case(id).await.unwrap().unit_id, city_committee, "{b}: routed to the committee above");
        let mut city = signed_in(&app, "officer_city").await;
        let (status, out) = action(&mut city, &code, json!({"action": "accept"})).await;
        assert_eq!(status, 200, "{b}: the city's officer accepts it: {out}");
        let mut officer_c = signed_in(&app, "officer_c").await;
        let (status, _) = action(&mut officer_c, &code, json!({"action": "start"})).await;
        assert_eq!(status, 404, "{b}: the ward's committee does not know of it");
        // A denunciation of a ward whose officials work on the ward itself stays there (the
        // committee concerned is stepped around, the ward's people may handle it).
        let (status, created) = create(&mut admin, super::denunciation("TA-UB", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        assert_eq!(app.store.get_case(id_code(&created).0).await.unwrap().unit_id, f.ward_a.id, "{b}");
    }
}
