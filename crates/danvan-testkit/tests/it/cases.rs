//! Citizens' cases through HTTP, on SQLite and PostgreSQL: the public form, the officer's work
//! through the state machine, sign-off, the citizen's tracking page and rating, public pages.
//!
//! By feature: `cases/journey.rs` (the public form to the rating, denunciations, spam),
//! `cases/recording.rs` (officers recording cases), `cases/sender.rs` (what each kind requires of
//! its sender, on every way in and on reclassification), `cases/dissolution.rs`,
//! `cases/supporting_units.rs`, `cases/escalation.rs` and `cases/shortcuts.rs` (the case page's next steps).

use danvan_testkit::Client;

mod dissolution;
mod escalation;
mod journey;
mod recording;
mod sender;
mod shortcuts;
mod supporting_units;

async fn submit(c: &mut Client, fields: &[(&str, &str)]) -> reqwest::Response {
    c.page("/cases/new").await;
    let started = danvan_testkit::started_ago(30);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("started", &started));
    c.post_form("/cases/new", &all).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn act(c: &mut Client, id: i64, fields: &[(&str, &str)]) -> (u16, String) {
    c.page(&format!("/cases/{id}")).await;
    let r = c.post_form(&format!("/cases/{id}/act"), fields).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}
