//! A finished council round for 2025 in phường Cửa Nam (issue 11 item 6): the people's
//! committee's nomination list with the engine's verdict beside each name — Vũ Thị Mai and Đỗ
//! Quang Huy for Chiến sĩ thi đua cơ sở, the committee itself for Tập thể lao động xuất sắc,
//! which the engine finds ineligible (no members recorded) and which goes on with a written
//! justification, flagged to the council — a council of five that voted by secret ballot, and
//! decision "1/QĐ-UBND" of 15 January 2026 signed by the chairman, whose awards are on the
//! records with its number.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_domain::emulation::{
    cash_award, check_in, count_votes, Award, Ballot, BallotMode, EmulationSettings, Nomination, RecipientKind, RuleBook,
    VoteChoice,
};
use danvan_store::emulation::{DecisionHeader, ItemCount, NewCouncil, NewDecision};
use danvan_store::{AuditCtx, Store, Unit};

const YEAR: i32 = 2025;
const MEMBERS: &[&str] = &["chutich.cuanam", "phobithu.cuanam", "thidua.cuanam", "mttq.cuanam", "canbo.cuanam"];

pub(super) async fn seed_council_round(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
    let committee = &wards[1].1[2];
    let settings = EmulationSettings::default();
    let list = store.create_nomination(ctx, committee.id, YEAR, "Đề nghị khen thưởng phong trào thi đua năm 2025").await?;
    let names = [
        (RecipientKind::Individual, "Vũ Thị Mai", Award::GrassrootsEmulationFighter),
        (RecipientKind::Individual, "Đỗ Quang Huy", Award::GrassrootsEmulationFighter),
        (RecipientKind::Collective, committee.name.as_str(), Award::ExcellentCollective),
    ];
    for (kind, name, award) in names {
        let r = store.emulation_recipient_named(committee.id, kind, name).await?.context(name.to_string())?;
        let record = store.emulation_engine_record(&r, YEAR).await?;
        let eligible = check_in(&RuleBook::default(), &record, &Nomination::new(award, YEAR), &settings).is_eligible();
        let justification = (!eligible).then_some(
            "Tập thể dẫn đầu phong trào \"Dân vận khéo\" của phường năm 2025 (mô hình tiếp công dân có hẹn giờ); \
             danh sách thành viên đang được cập nhật vào hồ sơ.",
        );
        store.add_nomination_item(ctx, list, r.id, award, eligible, justification).await?;
    }
    let mut members = vec![];
    for username in MEMBERS {
        members.push(store.get_account_by_username(username).await?.context(*username)?.id);
    }
    let meeting_on = NaiveDate::from_ymd_opt(2026, 1, 10).context("date")?;
    let council = store
        .submit_to_council(ctx, list, &NewCouncil { meeting_on, quorum: 4, mode: BallotMode::Secret, members: members.clone() })
        .await?;
    let items = store.nomination_items(list).await?;
    // Everyone in favour of the two individuals; one member against the collective.
    for (n, member) in members.iter().enumerate() {
        let votes: Vec<(i64, VoteChoice)> = items
            .iter()
            .map(|i| {
                let against = i.award == Award::ExcellentCollective && n == 4;
                (i.id, if against { VoteChoice::Against } else { VoteChoice::For })
            })
            .collect();
        store.cast_ballot(ctx, council, *member, &votes).await?;
    }
    let tally = store.council_tally(council).await?;
    let mut counts = vec![];
    for i in &items {
        let n = |c| tally.iter().filter(|t| t.0 == i.id && t.1 == c).map(|t| t.2 as u32).sum::<u32>();
        let ballot = Ballot {
            members: members.len() as u32,
            in_favour: n(VoteChoice::For),
            against: n(VoteChoice::Against),
            abstain: n(VoteChoice::Abstain),
            ..Default::default()
        };
        let o = count_votes(i.award, &ballot, &settings).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        counts.push(ItemCount {
            item_id: i.id,
            votes_for: i64::from(o.votes_for),
            against: i64::from(o.against),
            abstain: i64::from(o.abstain),
            passed: o.passed,
        });
    }
    store.close_council(ctx, council, &counts).await?;
    let passed = |id: i64| counts.iter().any(|c| c.item_id == id && c.passed);
    let awards =
        items.iter().filter(|i| passed(i.id)).map(|i| (i.recipient_id, i.award, cash_award(i.award, &settings))).collect();
    let header = DecisionHeader {
        decided_on: NaiveDate::from_ymd_opt(2026, 1, 15).context("date")?,
        place: "Cửa Nam".into(),
        subject: "Về việc khen thưởng thành tích trong phong trào thi đua năm 2025".into(),
        signer_name: "Lê Minh Tuấn".into(),
        signer_title: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH".into(),
    };
    let d = NewDecision { issuer_id: committee.id, nomination_id: Some(list), amends_id: None, award_year: YEAR, header, awards };
    let decision = store.create_decision(ctx, &d).await?;
    store.issue_decision(ctx, decision).await?;
    Ok(())
}
