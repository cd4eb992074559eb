//! History across unit mergers (issue 11 item 9), on SQLite and (when configured) PostgreSQL: a
//! unit dissolved through the administrators' API into ward A keeps its collective's award under
//! the names it had when awarded; ward A's emulation page, its records list in the API and its own
//! collective's record show it "from predecessors", the engine judges ward A's collective with
//! the predecessor's years, an official of ward B sees none of it, and a person of the dissolved
//! unit keeps their own record.

use chrono::NaiveDate;
use danvan_domain::emulation::{Award, Rating, RecipientKind};
use danvan_domain::org::unit::UnitDraft;
use danvan_domain::UnitKind;
use danvan_store::emulation::{Entry, NewRecipient};
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const OLD_NAME: &str = "Ủy ban nhân dân quận Cũ";
const COLLECTIVE_THEN: &str = "Tập thể UBND quận Cũ";
const PROVINCIAL_2025: &str = "award=certificate_of_commendation_provincial&year=2025";

#[tokio::test]
async fn a_dissolved_units_award_stays_under_its_old_name_in_the_successors_history() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let ctx = AuditCtx::system("test");
        let draft = |name: &str| UnitDraft {
            code: "Q-CU".into(),
            name: name.into(),
            kind: UnitKind::PeoplesCommittee,
            parent_id: Some(f.city.id),
            territory_id: None,
            effective_from: None,
            remote_area: false,
        };
        let old = s.create_unit(&ctx, &draft(OLD_NAME)).await.unwrap();
        // The district's committee as a collective: excellent in 2023 and 2024, Tập thể lao động
        // xuất sắc 2024 by decision 12/QĐ-UBND.
        let new =
            |kind, name: &str, unit_id, account_id| NewRecipient { kind, name: name.into(), unit_id, woman: false, account_id };
        let collective =
            s.create_emulation_recipient(&ctx, &new(RecipientKind::Collective, COLLECTIVE_THEN, old.id, None)).await.unwrap();
        let title = |award, year, no: &str| Entry::Title {
            award,
            year,
            decision_no: no.into(),
            decided_on: d(year + 1, 1, 15),
            issuer: "UBND thành phố Thử nghiệm".into(),
        };
        let rated = |year| Entry::Rating { year, rating: Rating::Excellent, in_emulation: true };
        s.add_emulation_entries(
            &ctx,
            collective,
            COLLECTIVE_THEN,
            &[rated(2023), rated(2024), title(Award::ExcellentCollective, 2024, "12/QĐ-UBND")],
        )
        .await
        .unwrap();
        // A person of that committee, with their account, and their own title.
        let viewer = s.get_account_by_username("viewer_a").await.unwrap().unwrap();
        let person = s
            .create_emulation_recipient(&ctx, &new(RecipientKind::Individual, "Lê Văn Cũ", old.id, Some(viewer.id)))
            .await
            .unwrap();
        s.add_emulation_entries(&ctx, person, "Lê Văn Cũ", &[rated(2024), title(Award::AdvancedWorker, 2024, "13/QĐ-UBND")])
            .await
            .unwrap();
        // The unit was renamed after the award: the award keeps the name it was given under.
        s.update_unit(&ctx, old.id, &draft("UBND quận Cũ (tên sau)")).await.unwrap();
        // Ward A's own collective, excellent in 2025 (its first year).
        let mut officer = signed_in(&app, "emulation_a").await;
        let r = officer
            .post_form("/emulation/records", &[("kind", "collective"), ("name", "Tập thể phường An Bình"), ("unit", "TA")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let ward = r.headers()["location"].to_str().unwrap().trim_start_matches("/emulation/records/").parse::<i64>().unwrap();
        let r = officer
            .post_form(
                &format!("/emulation/records/{ward}/entries"),
                &[("entry", "rating"), ("year", "2025"), ("rating", "excellent"), ("in_emulation", "on")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);

        // Before the merger ward A's collective has one excellent year only, and no history.
        let check = format!("/api/v1/emulation/records/{ward}/eligibility?{PROVINCIAL_2025}");
        let v: Value = officer.get(&check).await.json().await.unwrap();
        assert_eq!(v["eligible"], false, "{}: {v}", app.backend);
        let list: Value = officer.get("/api/v1/emulation/records").await.json().await.unwrap();
        assert_eq!(list["from_predecessors"], json!([]), "{}", app.backend);

        // The 2025 reform: the old committee dissolved into ward A, through the administrators' API.
        let mut admin = signed_in(&app, "admin").await;
        let body = json!({"successors": [f.ward_a.id], "effective_on": "2025-06-30"});
        let r = admin.json(Method::POST, &format!("/api/v1/units/{}/dissolve", old.id), Some(body)).await;
        assert_eq!(r.status().as_u16(), 204, "{}: {}", app.backend, r.text().await.unwrap());

        // Ward A's emulation page shows the award from its predecessor, under the old names.
        let (status, html) = officer.page("/emulation").await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"from-predecessors\""), "{}: no history on the page", app.backend);
        for text in [COLLECTIVE_THEN, OLD_NAME, "12/QĐ-UBND", "Phường An Bình"] {
            assert!(html.contains(text), "{}: the page lacks {text}", app.backend);
        }
        assert!(!html.contains("tên sau"), "{}: the award shows the unit's later name", app.backend);
        assert!(!html.contains("13/QĐ-UBND"), "{}: a person's title is not the successor's history", app.backend);
        // So does the API's list of records, with the dissolution's date.
        let list: Value = officer.get("/api/v1/emulation/records").await.json().await.unwrap();
        let inherited = list["from_predecessors"].as_array().unwrap();
        assert_eq!(inherited.len(), 1, "{}: {list}", app.backend);
        let t = &inherited[0];
        assert_eq!(t["successor_id"], f.ward_a.id);
        assert_eq!(t["recipient_name"], COLLECTIVE_THEN);
        assert_eq!(t["unit_name"], OLD_NAME);
        assert_eq!(t["dissolved_on"], "2025-06-30");
        assert_eq!(t["award"], "excellent_collective");
        assert_eq!(t["year"], 2024);
        assert_eq!(t["decision_no"], "12/QĐ-UBND");
        // Ward A's collective carries it on its record, page and API.
        let (status, html) = officer.page(&format!("/emulation/records/{ward}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"record-from-predecessors\"") && html.contains(COLLECTIVE_THEN), "{}", app.backend);
        let rec: Value = officer.get(&format!("/api/v1/emulation/records/{ward}")).await.json().await.unwrap();
        assert_eq!(rec["from_predecessors"][0]["recipient_name"], COLLECTIVE_THEN, "{}", app.backend);
        assert_eq!(rec["titles"], json!([]), "{}: nothing was copied onto the successor", app.backend);
        // The engine judges it with the predecessor's 2024, and tells the council so.
        let v: Value = officer.get(&check).await.json().await.unwrap();
        assert_eq!(v["eligible"], true, "{}: {v}", app.backend);
        assert!(v["judged"].as_array().unwrap().iter().any(|j| j.as_str().unwrap().contains("sáp nhập")), "{}: {v}", app.backend);
        // The dissolved unit's own record is untouched.
        let rows = s.emulation_record_rows(collective).await.unwrap();
        assert_eq!(rows.titles.len(), 1);
        assert_eq!(rows.titles[0].unit_name, OLD_NAME);

        // An official of an unrelated ward sees none of it.
        let mut other = signed_in(&app, "leader_b").await;
        let (status, html) = other.page("/emulation").await;
        assert_eq!(status, 200);
        assert!(
            !html.contains("from-predecessors") && !html.contains(COLLECTIVE_THEN),
            "{}: ward B sees ward A's history",
            app.backend
        );
        let list: Value = other.get("/api/v1/emulation/records").await.json().await.unwrap();
        assert_eq!(list["from_predecessors"], json!([]), "{}", app.backend);
        assert_eq!(other.get(&format!("/api/v1/emulation/records/{ward}")).await.status().as_u16(), 403);

        // The person of the dissolved committee keeps their record, and reads it.
        let mut me = signed_in(&app, "viewer_a").await;
        let mine: Value = me.get(&format!("/api/v1/emulation/records/{person}")).await.json().await.unwrap();
        assert_eq!(mine["titles"][0]["decision_no"], "13/QĐ-UBND", "{}: {mine}", app.backend);
        assert_eq!(mine["from_predecessors"], json!([]));
    }
}
