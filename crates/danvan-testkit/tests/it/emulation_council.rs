//! The council round (issue 11 items 6 and 8), on SQLite and (when configured) PostgreSQL: a
//! nomination list with the engine's verdict beside each name, an ineligible name refused without
//! a justification, the council's secret ballot (one vote per member, none by others, no vote
//! linkable to its voter), the count, a numbered decision whose awards land on the records, an
//! issued decision refused on every edit route, and numbers that restart each year and never
//! repeat under concurrent issuing.

use chrono::NaiveDate;
use danvan_domain::emulation::{Award, BallotMode, Rating, RecipientKind, VoteChoice};
use danvan_store::emulation::{DecisionHeader, Entry, ItemCount, NewCouncil, NewDecision, NewRecipient};
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

fn location_id(r: &reqwest::Response, prefix: &str) -> i64 {
    let to = r.headers()["location"].to_str().unwrap().to_string();
    to.trim_start_matches(prefix).parse().unwrap_or_else(|_| panic!("{to}"))
}

/// A person in `unit` rated `rating` in 2025, holding Lao động tiên tiến 2025 when `advanced`.
async fn person(app: &TestApp, unit: i64, name: &str, rating: Rating, advanced: bool) -> i64 {
    let ctx = AuditCtx::system("test");
    let r = NewRecipient { kind: RecipientKind::Individual, name: name.into(), unit_id: unit, woman: false, account_id: None };
    let id = app.store.create_emulation_recipient(&ctx, &r).await.unwrap();
    let mut entries = vec![Entry::Rating { year: 2025, rating, in_emulation: true }];
    if advanced {
        entries.push(Entry::Title {
            award: Award::AdvancedWorker,
            year: 2025,
            decision_no: "9/QĐ-UBND".into(),
            decided_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            issuer: "UBND phường An Bình".into(),
        });
    }
    app.store.add_emulation_entries(&ctx, id, name, &entries).await.unwrap();
    id
}

const GRASSROOTS: &str = "emulation_fighter_grassroots";
const HEADER: &[(&str, &str)] = &[
    ("decided_on", "2026-01-15"),
    ("place", "An Bình"),
    ("subject", "Về việc khen thưởng phong trào thi đua năm 2025"),
    ("signer_name", "Nguyễn Văn Lãnh Đạo"),
    ("signer_title", "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"),
];

#[tokio::test]
async fn a_list_goes_through_the_council_to_a_numbered_decision_whose_awards_land_on_the_records() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let be = app.backend;
        let hoa = person(&app, f.group_a1.id, "Trần Thị Hoa", Rating::Excellent, true).await;
        let nam = person(&app, f.group_a1.id, "Lê Văn Nam", Rating::Good, false).await;
        let mut officer = signed_in(&app, "emulation_a").await;
        officer.page("/emulation/nominations").await;
        let r = officer
            .post_form("/emulation/nominations", &[("unit", "TA"), ("year", "2025"), ("title", "Đề nghị khen thưởng 2025")])
            .await;
        assert_eq!(r.status().as_u16(), 303, "{be}");
        let list = location_id(&r, "/emulation/nominations/");
        let items = format!("/emulation/nominations/{list}/items");
        let r = officer.post_form(&items, &[("recipient", &hoa.to_string()), ("award", GRASSROOTS)]).await;
        assert_eq!(r.status().as_u16(), 303, "{be}: an eligible name");
        // An ineligible name without a justification: a field-level error, on the page and the API.
        let r = officer.post_form(&items, &[("recipient", &nam.to_string()), ("award", GRASSROOTS)]).await;
        assert_eq!(r.status().as_u16(), 422, "{be}");
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"f-justification-error\""), "{page}");
        let api = format!("/api/v1/emulation/nominations/{list}/items");
        let r = officer.json(Method::POST, &api, Some(json!({"recipient": nam, "award": GRASSROOTS}))).await;
        assert_eq!(r.status().as_u16(), 422);
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "justification", "{problem}");
        let why = "Nhiều đóng góp trong vận động nhân dân hiến đất mở ngõ";
        let r =
            officer.json(Method::POST, &api, Some(json!({"recipient": nam, "award": GRASSROOTS, "justification": why}))).await;
        assert_eq!(r.status().as_u16(), 201);
        let created: Value = r.json().await.unwrap();
        assert_eq!(created["eligible"], false);
        let (s, page) = officer.page(&format!("/emulation/nominations/{list}")).await;
        assert_eq!(s, 200);
        assert!(page.contains("Trần Thị Hoa") && page.contains("flash-success eligible"), "{page}");
        assert!(page.contains("class=\"flag justification\"") && page.contains(why), "{page}");
        // Submitted to a council of three, voting by secret ballot.
        let r = officer
            .post_form(
                &format!("/emulation/nominations/{list}/council"),
                &[
                    ("meeting_on", "2026-01-10"),
                    ("quorum", "2"),
                    ("mode", "secret"),
                    // Two ticked in the list of officials, one typed.
                    ("member", "emulation_a"),
                    ("member", "leader_a"),
                    ("members", "officer_a"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{be}");
        let council = location_id(&r, "/emulation/councils/");
        let v: Value =
            officer.json(Method::GET, &format!("/api/v1/emulation/nominations/{list}"), None).await.json().await.unwrap();
        assert_eq!(v["status"], "submitted");
        let ids: Vec<i64> = v["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        let by_name = |n: &str| v["items"].as_array().unwrap().iter().find(|i| i["name"] == n).unwrap()["id"].as_i64().unwrap();
        let (hoa_item, nam_item) = (by_name("Trần Thị Hoa"), by_name("Lê Văn Nam"));
        // A list once submitted takes no more names.
        let r = officer.json(Method::POST, &api, Some(json!({"recipient": hoa, "award": "certificate_of_merit"}))).await;
        assert_eq!(r.status().as_u16(), 409);

        let vote_path = format!("/emulation/councils/{council}/vote");
        let ballot =
            |a: &str, b: &str| vec![(format!("vote_{hoa_item}"), a.to_string()), (format!("vote_{nam_item}"), b.to_string())];
        let send = |c: &mut Client, fields: Vec<(String, String)>| {
            let path = vote_path.clone();
            let mut c2 = Client { http: c.http.clone(), base: c.base.clone(), csrf: c.csrf.clone() };
            async move {
                let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                c2.post_form(&path, &refs).await
            }
        };
        // A non-member may not vote.
        let mut viewer = signed_in(&app, "viewer_a").await;
        assert_eq!(send(&mut viewer, ballot("for", "for")).await.status().as_u16(), 403, "{be}");
        let mut admin = signed_in(&app, "admin").await;
        assert_eq!(send(&mut admin, ballot("for", "for")).await.status().as_u16(), 403, "{be}: not even an administrator");
        // A missing vote is a field error; a member votes once.
        let r = officer.post_form(&vote_path, &[(&format!("vote_{hoa_item}"), "for")]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains(&format!("f-vote_{nam_item}-error")));
        assert_eq!(send(&mut officer, ballot("for", "against")).await.status().as_u16(), 303, "{be}");
        assert_eq!(send(&mut officer, ballot("for", "for")).await.status().as_u16(), 409, "{be}: a second vote");
        let mut leader = signed_in(&app, "leader_a").await;
        let votes = json!({"votes": {hoa_item.to_string(): "for", nam_item.to_string(): "for"}});
        let r = leader.json(Method::POST, &format!("/api/v1/emulation/councils/{council}/votes"), Some(votes.clone())).await;
        assert_eq!(r.status().as_u16(), 204);
        let r = leader.json(Method::POST, &format!("/api/v1/emulation/councils/{council}/votes"), Some(votes)).await;
        assert_eq!(r.status().as_u16(), 409, "{be}: a second vote through the API");
        // Votes are counted once and carry nothing that names their voter.
        let rows = app.store.council_ballots(council).await.unwrap();
        assert_eq!(rows.len(), 4, "two ballots of two votes");
        let keys: std::collections::BTreeSet<&String> = rows.iter().map(|r| &r.0).collect();
        assert_eq!(keys.len(), 2);
        for k in keys {
            assert_eq!(k.len(), 32, "a random key");
            for user in ["emulation_a", "leader_a"] {
                let id = app.store.get_account_by_username(user).await.unwrap().unwrap().id;
                assert!(!k.contains(user) && *k != id.to_string());
            }
        }
        let members = app.store.council_members(council).await.unwrap();
        assert_eq!(members.iter().filter(|m| m.2).count(), 2, "who voted is known, apart from how");
        let filter =
            danvan_store::audit::AuditFilter { action: Some("emulation.council.vote".into()), limit: 50, ..Default::default() };
        let (audit, _) = app.store.list_audit(&filter).await.unwrap();
        assert_eq!(audit.len(), 2, "who voted is in the audit log");
        assert!(audit.iter().all(|a| !a.changes.contains("for") && !a.changes.contains("against")), "never how");
        // The secretary closes; R11 for Chiến sĩ thi đua cơ sở: more than half of all 3 members.
        let r = officer.post_form(&format!("/emulation/councils/{council}/close"), &[]).await;
        assert_eq!(r.status().as_u16(), 303, "{be}");
        let v: Value =
            officer.json(Method::GET, &format!("/api/v1/emulation/nominations/{list}"), None).await.json().await.unwrap();
        let item = |id: i64| v["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
        assert_eq!(item(hoa_item)["passed"], true, "{v}");
        assert_eq!(item(hoa_item)["votes_for"], 2);
        assert_eq!(item(nam_item)["passed"], false, "1 of 3 in favour: {v}");
        assert_eq!(ids.len(), 2);
        // The decision: drafted by the officer, issued by the leader with its number.
        let r = officer.post_form(&format!("/emulation/nominations/{list}/decision"), HEADER).await;
        assert_eq!(r.status().as_u16(), 303, "{be}");
        let decision = location_id(&r, "/emulation/decisions/");
        let issue = format!("/emulation/decisions/{decision}/issue");
        assert_eq!(officer.post_form(&issue, &[]).await.status().as_u16(), 403, "the officer does not sign");
        let r = leader.json(Method::POST, &format!("/api/v1/emulation/decisions/{decision}/issue"), None).await;
        assert_eq!(r.status().as_u16(), 200, "{be}");
        let issued: Value = r.json().await.unwrap();
        assert_eq!(issued["number"], "1/QĐ-UBND");
        let (s, page) = leader.page(&format!("/emulation/decisions/{decision}")).await;
        assert_eq!(s, 200);
        for text in [
            "Số: 1/QĐ-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "An Bình, ngày 15 tháng 01 năm 2026",
            "QUYẾT ĐỊNH",
            "Điều 1.",
            "I. Cá nhân",
            "Trần Thị Hoa",
            "2.340.000",
        ] {
            assert!(page.contains(text), "{text}: {page}");
        }
        assert!(!page.contains("Lê Văn Nam"), "not passed, not awarded");
        // Chiến sĩ thi đua cơ sở comes with its Bằng chứng nhận (Decree 152/2025): one page, Hoa's.
        let r = leader.get(&format!("/emulation/decisions/{decision}/certificates.pdf")).await;
        assert_eq!(r.status().as_u16(), 200, "{be}");
        let pdf = r.bytes().await.unwrap();
        assert_eq!(pdf.windows(11).filter(|w| w == b"/Type /Page").count(), 2, "one page and the page tree");
        let doc: Value =
            leader.json(Method::GET, &format!("/api/v1/emulation/decisions/{decision}"), None).await.json().await.unwrap();
        assert_eq!(doc["number_line"], "Số: 1/QĐ-UBND");
        assert_eq!(doc["annex"][0]["recipients"][0]["amount"], 2_340_000, "1.0 × 2,340,000 đồng: {doc}");
        // The award is on Hoa's record, with the decision's number, date and issuer.
        let rows = app.store.emulation_record_rows(hoa).await.unwrap();
        let t = rows.titles.iter().find(|t| t.award == Award::GrassrootsEmulationFighter).expect("awarded");
        assert_eq!((t.year, t.decision_no.as_str(), t.decided_on.to_string()), (2025, "1/QĐ-UBND", "2026-01-15".into()));
        assert_eq!(t.issuer, f.ward_a.name);
        let v: Value =
            officer.json(Method::GET, &format!("/api/v1/emulation/nominations/{list}"), None).await.json().await.unwrap();
        assert_eq!(v["status"], "decided");

        // An issued decision cannot be edited, nor issued again, on any route.
        let r = officer.post_form(&format!("/emulation/decisions/{decision}"), HEADER).await;
        assert_eq!(r.status().as_u16(), 409, "{be}: the page");
        assert!(r.text().await.unwrap().contains("id=\"error-summary\""));
        let body =
            json!({"decided_on": "2026-02-01", "place": "An Bình", "subject": "Sửa", "signer_name": "A", "signer_title": "B"});
        let r = officer.json(Method::PATCH, &format!("/api/v1/emulation/decisions/{decision}"), Some(body.clone())).await;
        assert_eq!(r.status().as_u16(), 409, "{be}: the API");
        assert_eq!(leader.post_form(&issue, &[]).await.status().as_u16(), 409);
        assert_eq!(app.store.decision(decision).await.unwrap().unwrap().subject, HEADER[2].1, "unchanged");
        // A correction is a new decision that amends it, with the next number.
        let r = officer.json(Method::POST, &format!("/api/v1/emulation/decisions/{decision}/amend"), Some(body)).await;
        assert_eq!(r.status().as_u16(), 201);
        let amending = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let r = leader.json(Method::POST, &format!("/api/v1/emulation/decisions/{amending}/issue"), None).await;
        assert_eq!(r.json::<Value>().await.unwrap()["number"], "2/QĐ-UBND");
        let (_, page) = leader.page(&format!("/emulation/decisions/{amending}")).await;
        assert!(page.contains("Sửa đổi Quyết định số 1/QĐ-UBND"), "{page}");
        let rows = app.store.emulation_record_rows(hoa).await.unwrap();
        assert!(rows.titles.iter().any(|t| t.decision_no == "2/QĐ-UBND"), "the record follows the amendment");
        let (_, page) = leader.page(&format!("/emulation/records/{hoa}")).await;
        assert!(page.contains("2/QĐ-UBND"), "{page}");
    }
}

/// A closed council round on a list with one passed name; returns the draft decision's id.
async fn draft(app: &TestApp, f: &Fixture, n: usize, decided_on: NaiveDate) -> i64 {
    let ctx = AuditCtx::system("test");
    let s = &app.store;
    let p = person(app, f.group_a1.id, &format!("Người {n}"), Rating::Excellent, true).await;
    let list = s.create_nomination(&ctx, f.ward_a.id, 2025, &format!("Danh sách {n}")).await.unwrap();
    let item = s.add_nomination_item(&ctx, list, p, Award::GrassrootsEmulationFighter, true, None).await.unwrap();
    let member = s.get_account_by_username("leader_a").await.unwrap().unwrap().id;
    let c = NewCouncil { meeting_on: decided_on, quorum: 1, mode: BallotMode::Secret, members: vec![member] };
    let council = s.submit_to_council(&ctx, list, &c).await.unwrap();
    s.cast_ballot(&ctx, council, member, &[(item, VoteChoice::For)]).await.unwrap();
    let count = ItemCount { item_id: item, votes_for: 1, against: 0, abstain: 0, passed: true };
    s.close_council(&ctx, council, &[count]).await.unwrap();
    let header = DecisionHeader {
        decided_on,
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
        awards: vec![(p, Award::GrassrootsEmulationFighter, Some(2_340_000))],
    };
    s.create_decision(&ctx, &d).await.unwrap()
}

#[tokio::test]
async fn decision_numbers_restart_each_year_and_never_repeat_under_concurrent_issuing() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut drafts = vec![];
        for n in 0..8 {
            drafts.push(draft(&app, &f, n, day(2026, 1, 15)).await);
        }
        let ctx = AuditCtx::system("test");
        let issued = futures_join(&app, &ctx, &drafts).await;
        let mut numbers: Vec<String> = issued.clone();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 8, "{}: no number twice: {issued:?}", app.backend);
        let mut n: Vec<i64> = issued.iter().map(|s| s.split('/').next().unwrap().parse().unwrap()).collect();
        n.sort();
        assert_eq!(n, (1..=8).collect::<Vec<_>>(), "{}", app.backend);
        // A new year starts again at 1; the old year goes on.
        let next_year = draft(&app, &f, 100, day(2027, 1, 10)).await;
        assert_eq!(app.store.issue_decision(&ctx, next_year).await.unwrap(), "1/QĐ-UBND");
        let late = draft(&app, &f, 101, day(2026, 12, 30)).await;
        assert_eq!(app.store.issue_decision(&ctx, late).await.unwrap(), "9/QĐ-UBND");
        // Issuing twice is refused and takes no number.
        assert!(app.store.issue_decision(&ctx, late).await.is_err());
        let again = draft(&app, &f, 102, day(2027, 2, 1)).await;
        assert_eq!(app.store.issue_decision(&ctx, again).await.unwrap(), "2/QĐ-UBND");
    }
}

async fn futures_join(app: &TestApp, ctx: &AuditCtx, drafts: &[i64]) -> Vec<String> {
    let mut handles = vec![];
    for id in drafts {
        let (store, ctx, id) = (app.store.clone(), ctx.clone(), *id);
        handles.push(tokio::spawn(async move { store.issue_decision(&ctx, id).await.unwrap() }));
    }
    let mut out = vec![];
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn the_award_catalogue_is_the_engines_awards() {
    let app = TestApp::sqlite().await;
    let rows = app.store.award_catalogue().await.unwrap();
    assert_eq!(rows.len(), Award::ALL.len());
    for r in rows {
        let kinds: Vec<&str> = r.award.recipients().iter().map(|k| k.as_str()).collect();
        assert_eq!(r.recipients, kinds.join(","), "{:?}", r.award);
        assert_eq!((r.kind, r.level), (r.award.kind(), r.award.level()));
    }
    let v: Value = app.client().get("/api/v1/emulation/awards").await.json().await.unwrap();
    assert_eq!(v.as_array().unwrap().len(), Award::ALL.len());
}

/// A decision downloads as PDF and DOCX for whoever may read it, in the administrative layout with
/// its number once issued; its Giấy khen print once it is issued, one page per certificate (titles
/// have none); another ward's leader and an anonymous visitor get nothing.
#[tokio::test]
async fn a_decision_downloads_as_pdf_and_docx_and_its_certificates_print_once_issued() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ctx = AuditCtx::system("test");
        let s = &app.store;
        let hoa = person(&app, f.group_a1.id, "Trần Thị Hoà", Rating::Excellent, true).await;
        let lan = person(&app, f.group_a1.id, "Nguyễn Thị Lan", Rating::Excellent, true).await;
        let header = DecisionHeader {
            decided_on: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
            place: "An Bình".into(),
            subject: "Về việc tặng Giấy khen năm 2025".into(),
            signer_name: "Lê Văn Ba".into(),
            signer_title: "Phó Chủ tịch".into(),
        };
        let d = NewDecision {
            issuer_id: f.ward_a.id,
            nomination_id: None,
            amends_id: None,
            award_year: 2025,
            header,
            awards: vec![(hoa, Award::CertificateOfMerit, Some(234_000)), (lan, Award::AdvancedWorker, None)],
        };
        let id = s.create_decision(&ctx, &d).await.unwrap();
        let path = |what: &str| format!("/emulation/decisions/{id}/{what}");
        let mut leader = signed_in(&app, "leader_a").await;
        let r = leader.get(&path("decision.pdf")).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("du-thao"), "a draft says so in its name");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
        let r = leader.get(&path("certificates.pdf")).await;
        assert_eq!(r.status().as_u16(), 409, "no certificate from a draft");
        assert!(r.text().await.unwrap().contains("quyết định đã ban hành"));
        let (_, page) = leader.page(&format!("/emulation/decisions/{id}")).await;
        assert!(page.contains("id=\"decision-pdf\"") && !page.contains("id=\"certificates-pdf\""), "{page}");

        assert_eq!(s.issue_decision(&ctx, id).await.unwrap(), "1/QĐ-UBND");
        let (_, page) = leader.page(&format!("/emulation/decisions/{id}")).await;
        assert!(page.contains("id=\"certificates-pdf\""));
        let r = leader.get(&path("decision.docx")).await;
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("1-qd-ubnd"));
        let bytes = r.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        for text in
            ["1/QĐ-UBND", "Trần Thị Hoà", "Nguyễn Thị Lan", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Ba", "234.000", "Giấy khen"]
        {
            assert!(xml.contains(text), "{text} in the DOCX");
        }
        let r = leader.get(&path("certificates.pdf")).await;
        assert_eq!(r.status().as_u16(), 200);
        let pdf = r.bytes().await.unwrap();
        let pages =
            pdf.windows(11).filter(|w| w == b"/Type /Page").count() - pdf.windows(12).filter(|w| w == b"/Type /Pages").count();
        assert_eq!(pages, 1, "one certificate: Hoà's Giấy khen; Lao động tiên tiến has none");
        let mut officer = signed_in(&app, "emulation_a").await;
        assert_eq!(officer.get(&path("decision.pdf")).await.status().as_u16(), 200, "the emulation officer reads it");

        let mut other = signed_in(&app, "leader_b").await;
        let mut anonymous = app.client();
        for what in ["decision.pdf", "decision.docx", "certificates.pdf"] {
            let st = other.get(&path(what)).await.status().as_u16();
            assert!(st == 403 || st == 404, "another ward's leader: {what} {st}");
            let st = anonymous.get(&path(what)).await.status().as_u16();
            assert!(st == 303 || st == 401 || st == 404, "anonymous: {what} {st}");
        }
    }
}
