//! The "Dân vận khéo" model routes in the role × route matrix. A model of group A1 registered
//! with ward A is read by ward A's officials (and its appraisers), kept by ward A's emulation
//! officers and leaders, scored only by front_a (on the culture–society team of ward A: no
//! system role scores in an appraiser's place), recognised by ward A's leader; the gallery and
//! a recognised model are public; an undecided model's photo is for those who read the model.

use super::{c, Body, Case, Fresh, EVERYONE, SIGNED_IN};
use danvan_domain::emulation::models::{Criterion, ModelField, ModelKind, Recognition};
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp};
use reqwest::Method;

/// Who reads a model of ward A: its officials, and its appraiser (front_a is both).
const READERS: &[&str] = &["viewer_a", "front_a", "officer_a", "emulation_a", "leader_a", "admin"];
/// Who keeps ward A's emulation work.
const KEEPERS: &[&str] = &["emulation_a", "leader_a", "admin"];
/// Who registers somewhere (ward B's leader keeps ward B's work).
const REGISTRARS: &[&str] = &["emulation_a", "leader_b", "leader_a", "admin"];

const MODEL_FORM: &[(&str, &str)] = &[
    ("kind", "model"),
    ("name", "Mô hình {actor}"),
    ("place", "Ngõ 3"),
    ("field", "economy"),
    ("owner_unit", "TA-1"),
    ("registered_unit", "TA"),
    ("year", "2025"),
    ("description", "Nội dung"),
    ("people_mobilised", "30"),
    ("results", "Kết quả"),
];

pub(super) fn cases() -> Vec<Case> {
    use Body::*;
    let scores = Form(&[("forces", "10"), ("effect", "11"), ("support", "12"), ("local_task", "13"), ("sustainable", "14")]);
    vec![
        c(Method::GET, "/emulation/models", None, Fresh::None, SIGNED_IN),
        c(Method::GET, "/emulation/models/new", None, Fresh::None, REGISTRARS),
        c(Method::POST, "/emulation/models", Form(MODEL_FORM), Fresh::None, KEEPERS),
        c(Method::GET, "/emulation/models/{id}", None, Fresh::ModelInA, READERS).refused_as(&[404]),
        c(Method::GET, "/emulation/models/{id}/edit", None, Fresh::ModelInA, KEEPERS).refused_as(&[404]),
        c(Method::POST, "/emulation/models/{id}/edit", Form(MODEL_FORM), Fresh::ModelInA, KEEPERS).refused_as(&[404]),
        c(Method::POST, "/emulation/models/{id}/scores", scores, Fresh::ModelInA, &["front_a"]).refused_as(&[404]),
        c(
            Method::POST,
            "/emulation/models/{id}/decision",
            Form(&[("decision", "recognised"), ("decided_on", "2026-01-05"), ("decision_ref", "1/QĐ-BCĐ")]),
            Fresh::ModelInA,
            &["leader_a", "admin"],
        )
        .refused_as(&[404]),
        c(
            Method::POST,
            "/emulation/models/{id}/replications",
            Form(&[("unit", "TB"), ("year", "2026"), ("note", "")]),
            Fresh::ModelInA,
            KEEPERS,
        )
        .refused_as(&[404]),
        c(Method::POST, "/emulation/models/{id}/photos", Photo, Fresh::ModelInA, KEEPERS).refused_as(&[404]),
        c(Method::GET, "/emulation/models/teams", None, Fresh::None, SIGNED_IN),
        c(
            Method::POST,
            "/emulation/models/teams",
            Form(&[("unit", "TA"), ("field", "economy"), ("account", "viewer_a")]),
            Fresh::None,
            KEEPERS,
        ),
        c(
            Method::POST,
            "/emulation/models/teams/remove",
            Form(&[("unit", "TA"), ("field", "culture_society"), ("account", "front_a")]),
            Fresh::None,
            KEEPERS,
        ),
        c(Method::GET, "/dan-van-kheo", None, Fresh::None, EVERYONE),
        c(Method::GET, "/dan-van-kheo/{id}", None, Fresh::RecognisedModelInA, EVERYONE),
        c(Method::GET, "/dan-van-kheo/photos/{id}", None, Fresh::ModelPhotoInA, READERS).refused_as(&[404]),
        c(Method::GET, "/dan-van-kheo/photos/{id}/thumb", None, Fresh::ModelPhotoInA, READERS).refused_as(&[404]),
        c(Method::GET, "/api/v1/emulation/models", None, Fresh::None, SIGNED_IN),
        c(Method::GET, "/api/v1/emulation/models/{id}", None, Fresh::ModelInA, READERS).refused_as(&[404]),
        c(Method::GET, "/api/v1/emulation/models/public?q=mo+hinh", None, Fresh::None, EVERYONE),
    ]
}

/// A fresh model (or its photo) for one actor of the matrix.
pub(super) async fn fresh_model(app: &TestApp, f: &Fixture, fresh: Fresh, n: usize) -> i64 {
    let s = &app.store;
    let ctx = AuditCtx::system("matrix");
    let front = super::account_id(app, "front_a").await;
    s.set_emulation_appraiser(&ctx, f.ward_a.id, ModelField::CultureSociety, front, true).await.unwrap();
    let new = danvan_store::emulation::NewModel {
        kind: ModelKind::Model,
        name: format!("Mô hình thử {n}"),
        place: "Tổ dân phố số 1".into(),
        field: ModelField::CultureSociety,
        owner_unit_id: f.group_a1.id,
        owner_name: String::new(),
        recipient_id: None,
        registered_unit_id: f.ward_a.id,
        year: 2025,
        description: "Nội dung".into(),
        people_mobilised: 40,
        results: "Kết quả".into(),
    };
    let id = s.create_emulation_model(&ctx, &new).await.unwrap();
    let scores: Vec<(Criterion, i32)> = Criterion::ALL.iter().map(|c| (*c, 15)).collect();
    s.score_emulation_model(&ctx, id, &new.name, front, &scores).await.unwrap();
    match fresh {
        Fresh::RecognisedModelInA => {
            let on = chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
            s.decide_emulation_model(&ctx, id, &new.name, Recognition::Recognised, on, "1/QĐ-BCĐ").await.unwrap();
            id
        }
        Fresh::ModelPhotoInA => {
            let (full, thumb) = (format!("2031/02/model-{n}.jpg"), format!("2031/02/model-{n}-t.jpg"));
            let photo = danvan_store::emulation::NewModelPhoto {
                file_name: "anh.jpg".into(),
                storage_key: full.clone(),
                thumb_key: thumb.clone(),
                bytes: 4,
                width: 1,
                height: 1,
                sha256: "0".repeat(64),
            };
            s.add_emulation_model_photos(&ctx, id, &new.name, &[photo], 5).await.unwrap();
            for key in [full, thumb] {
                let path = app.uploads_dir.join(key);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, b"\xFF\xD8\xFF\xD9").unwrap();
            }
            s.emulation_model_photos(id).await.unwrap()[0].id
        }
        _ => id,
    }
}
