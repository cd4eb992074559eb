//! The council round in the role × route matrix: lists, councils and decisions of ward A are
//! read by the officials over ward A, kept by its emulation officers and leaders, decisions
//! issued by its leaders (the administrator may do all of these), and a vote is cast only by a
//! member of the council (emulation_a and leader_a here) — not even by the administrator. Each
//! target is made afresh per actor (`fresh`); `{code}` is the id of a name on the list.

use super::targets::Target;
use super::{c, Body, Case, Fresh, EVERYONE, SIGNED_IN};
use danvan_domain::emulation::{Award, BallotMode, Rating, RecipientKind, VoteChoice};
use danvan_store::emulation::{DecisionHeader, Entry, ItemCount, NewCouncil, NewDecision, NewRecipient};
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp};
use reqwest::Method;

const VIEWERS: &[&str] = &["viewer_a", "front_a", "officer_a", "emulation_a", "leader_a", "admin"];
const HANDLERS: &[&str] = &["emulation_a", "leader_a", "admin"];
const APPROVERS: &[&str] = &["leader_a", "admin"];
const MEMBERS: &[&str] = &["emulation_a", "leader_a"];

/// What a council-round target is.
#[derive(Clone, Copy)]
pub(crate) enum Round {
    /// A draft list in ward A with one name ({id}: the list; {code}: a record not on it).
    Draft,
    /// An open secret ballot of emulation_a and leader_a on a list with one name ({id}: the
    /// council; {code}: the name's item).
    Open,
    /// As `Open`, with viewer_a also a member who has voted (quorum 1 met).
    Voted,
    /// A list whose council has counted ({id}: the list).
    Counted,
    /// A draft decision of ward A ({id}).
    DraftDecision,
    /// An issued decision of ward A ({id}).
    Issued,
}

const HEADER: &str =
    r#"{"decided_on":"2026-01-15","place":"An Bình","subject":"Khen thưởng {actor}","signer_name":"A","signer_title":"B"}"#;
const HEADER_FORM: &[(&str, &str)] = &[
    ("decided_on", "2026-01-15"),
    ("place", "An Bình"),
    ("subject", "Khen thưởng {actor}"),
    ("signer_name", "A"),
    ("signer_title", "B"),
];

pub(super) fn cases() -> Vec<Case> {
    use Body::*;
    let r = |x| Fresh::Round(x);
    vec![
        c(Method::GET, "/emulation/nominations", None, Fresh::None, SIGNED_IN),
        c(
            Method::POST,
            "/emulation/nominations",
            Form(&[("unit", "TA"), ("year", "2025"), ("title", "Đề nghị {actor}")]),
            Fresh::None,
            HANDLERS,
        ),
        c(Method::GET, "/emulation/nominations/{id}", None, r(Round::Draft), VIEWERS),
        c(
            Method::POST,
            "/emulation/nominations/{id}/items",
            Form(&[("recipient", "{code}"), ("award", "certificate_of_merit"), ("justification", "Lý do")]),
            r(Round::Draft),
            HANDLERS,
        ),
        c(
            Method::POST,
            "/emulation/nominations/{id}/council",
            Form(&[("meeting_on", "2026-01-10"), ("quorum", "1"), ("mode", "secret"), ("members", "leader_a")]),
            r(Round::Draft),
            HANDLERS,
        ),
        c(Method::POST, "/emulation/nominations/{id}/decision", Form(HEADER_FORM), r(Round::Counted), HANDLERS),
        c(Method::GET, "/emulation/councils/{id}", None, r(Round::Open), VIEWERS),
        c(Method::POST, "/emulation/councils/{id}/vote", Form(&[("vote_{code}", "for")]), r(Round::Open), MEMBERS),
        c(Method::POST, "/emulation/councils/{id}/close", Form(&[]), r(Round::Voted), HANDLERS),
        c(Method::GET, "/emulation/decisions", None, Fresh::None, SIGNED_IN),
        c(Method::GET, "/emulation/decisions/{id}", None, r(Round::DraftDecision), VIEWERS),
        c(Method::POST, "/emulation/decisions/{id}", Form(HEADER_FORM), r(Round::DraftDecision), HANDLERS),
        c(Method::POST, "/emulation/decisions/{id}/issue", Form(&[]), r(Round::DraftDecision), APPROVERS),
        c(Method::GET, "/emulation/decisions/{id}/decision.pdf", None, r(Round::DraftDecision), VIEWERS),
        c(Method::GET, "/emulation/decisions/{id}/decision.docx", None, r(Round::Issued), VIEWERS),
        c(Method::GET, "/emulation/decisions/{id}/certificates.pdf", None, r(Round::Issued), VIEWERS),
        c(Method::GET, "/emulation/decisions/{id}/certificates-overlay.pdf", None, r(Round::Issued), VIEWERS),
        c(Method::GET, "/emulation/units/{ward_a}/calibration", None, Fresh::None, HANDLERS),
        c(Method::POST, "/emulation/units/{ward_a}/calibration", Form(&[("page_dx", "1,5")]), Fresh::None, HANDLERS),
        c(Method::GET, "/emulation/units/{ward_a}/calibration/trial.pdf", None, Fresh::None, HANDLERS),
        c(Method::POST, "/emulation/decisions/{id}/amend", Form(HEADER_FORM), r(Round::Issued), HANDLERS),
        c(Method::GET, "/api/v1/emulation/awards", None, Fresh::None, EVERYONE),
        c(
            Method::POST,
            "/api/v1/emulation/nominations",
            Json(r#"{"unit":"TA","year":2025,"title":"Đề nghị {actor}"}"#),
            Fresh::None,
            HANDLERS,
        ),
        c(Method::GET, "/api/v1/emulation/nominations/{id}", None, r(Round::Draft), VIEWERS),
        c(
            Method::POST,
            "/api/v1/emulation/nominations/{id}/items",
            Json(r#"{"recipient":{code},"award":"certificate_of_merit","justification":"Lý do"}"#),
            r(Round::Draft),
            HANDLERS,
        ),
        c(
            Method::POST,
            "/api/v1/emulation/nominations/{id}/council",
            Json(r#"{"meeting_on":"2026-01-10","quorum":1,"mode":"paper","members":["leader_a"]}"#),
            r(Round::Draft),
            HANDLERS,
        ),
        c(Method::POST, "/api/v1/emulation/nominations/{id}/decision", Json(HEADER), r(Round::Counted), HANDLERS),
        c(
            Method::POST,
            "/api/v1/emulation/councils/{id}/votes",
            Json(r#"{"votes":{"{code}":"against"}}"#),
            r(Round::Open),
            MEMBERS,
        ),
        c(Method::POST, "/api/v1/emulation/councils/{id}/close", Json("{}"), r(Round::Voted), HANDLERS),
        c(Method::GET, "/api/v1/emulation/decisions/{id}", None, r(Round::Issued), VIEWERS),
        c(Method::PATCH, "/api/v1/emulation/decisions/{id}", Json(HEADER), r(Round::DraftDecision), HANDLERS),
        c(Method::POST, "/api/v1/emulation/decisions/{id}/issue", None, r(Round::DraftDecision), APPROVERS),
        c(Method::POST, "/api/v1/emulation/decisions/{id}/amend", Json(HEADER), r(Round::Issued), HANDLERS),
    ]
}

async fn account(app: &TestApp, username: &str) -> i64 {
    app.store.get_account_by_username(username).await.unwrap().unwrap().id
}

async fn record(app: &TestApp, f: &Fixture, name: String) -> i64 {
    let ctx = AuditCtx::system("matrix");
    let r = NewRecipient {
        kind: RecipientKind::Individual,
        name: name.clone(),
        unit_id: f.group_a1.id,
        woman: false,
        account_id: None,
    };
    let id = app.store.create_emulation_recipient(&ctx, &r).await.unwrap();
    let rating = Entry::Rating { year: 2025, rating: Rating::Excellent, in_emulation: true };
    app.store.add_emulation_entries(&ctx, id, &name, &[rating]).await.unwrap();
    id
}

/// Makes the target of `round` for the actor's turn `n`.
pub(super) async fn fresh(app: &TestApp, f: &Fixture, round: Round, n: usize) -> Target {
    let ctx = AuditCtx::system("matrix");
    let s = &app.store;
    let person = record(app, f, format!("Người đề nghị {n}")).await;
    let list = s.create_nomination(&ctx, f.ward_a.id, 2025, &format!("Danh sách {n}")).await.unwrap();
    let item = s.add_nomination_item(&ctx, list, person, Award::AdvancedWorker, true, None).await.unwrap();
    if let Round::Draft = round {
        let other = record(app, f, format!("Người khác {n}")).await;
        return Target { id: Some(list), code: other.to_string(), ..Default::default() };
    }
    let mut members = vec![account(app, "emulation_a").await, account(app, "leader_a").await];
    if !matches!(round, Round::Open) {
        members.push(account(app, "viewer_a").await);
    }
    let meeting_on = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    let c = NewCouncil { meeting_on, quorum: 1, mode: BallotMode::Secret, members: members.clone() };
    let council = s.submit_to_council(&ctx, list, &c).await.unwrap();
    if let Round::Open = round {
        return Target { id: Some(council), code: item.to_string(), ..Default::default() };
    }
    s.cast_ballot(&ctx, council, members[2], &[(item, VoteChoice::For)]).await.unwrap();
    if let Round::Voted = round {
        return Target { id: Some(council), code: item.to_string(), ..Default::default() };
    }
    let count = ItemCount { item_id: item, votes_for: 1, against: 0, abstain: 0, passed: true };
    s.close_council(&ctx, council, &[count]).await.unwrap();
    if let Round::Counted = round {
        return Target { id: Some(list), ..Default::default() };
    }
    let header = DecisionHeader {
        decided_on: meeting_on,
        place: "An Bình".into(),
        subject: format!("Khen thưởng {n}"),
        signer_name: "A".into(),
        signer_title: "B".into(),
    };
    let d = NewDecision {
        issuer_id: f.ward_a.id,
        nomination_id: Some(list),
        amends_id: None,
        award_year: 2025,
        header,
        awards: vec![(person, Award::CertificateOfMerit, Some(710_000))],
    };
    let id = s.create_decision(&ctx, &d).await.unwrap();
    if let Round::Issued = round {
        s.issue_decision(&ctx, id).await.unwrap();
    }
    Target { id: Some(id), ..Default::default() }
}
