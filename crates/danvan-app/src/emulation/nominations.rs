//! The nomination list (hồ sơ đề nghị) of a unit for a year, and its council (Hội đồng thi đua –
//! khen thưởng): the names with the engine's verdict beside each, an ineligible name only with a
//! written justification (flagged to the council), the council's members, meeting and quorum,
//! the secret ballot (one vote per member, unlinkable) or the secretary's paper result, and the
//! count with the thresholds of R11 (`danvan_domain::emulation::count_votes`).
//!
//! Who: `Resource::EmulationWork` on the list's unit (View reads, Handle keeps the list and the
//! council's minutes), `Resource::CouncilBallot` for a vote.

use super::records::{authorize_record, parse_year};
use crate::{App, AppError, AppResult, Caller};
use danvan_domain::emulation::{
    check_in, count_votes, Award, Ballot, BallotMode, CouncilStatus, EmulationSettings, Nomination, NominationStatus, RuleBook,
    Verdict, VoteChoice,
};
use danvan_domain::{Action, FieldErrors, Resource};
use danvan_store::StoreError;
use std::collections::HashMap;

pub use danvan_store::emulation::{CouncilRow, ItemRow, NominationRow};

/// Store refusals about the state of a list, a council or a decision are conflicts (409).
pub(crate) fn conflicts(e: StoreError) -> AppError {
    match e {
        StoreError::Invalid(f) if f.get("status").is_some() => AppError::Conflict(f),
        e => e.into(),
    }
}

pub(crate) fn state_conflict(key: &str) -> AppError {
    AppError::Conflict(FieldErrors::one("status", key))
}

pub(crate) fn work(caller: &Caller, ancestry: &[danvan_domain::UnitId], action: Action) -> AppResult<()> {
    caller.authorize(action, Resource::EmulationWork { unit_ancestry: ancestry })
}

/// The unit paths whose emulation work the caller reads.
pub(crate) fn work_paths(caller: &Caller) -> Vec<String> {
    caller
        .memberships
        .iter()
        .filter(|m| work(caller, &m.unit_ancestry(), Action::View).is_ok())
        .map(|m| format!("/{}/", m.unit_ancestry().iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/")))
        .collect()
}

/// Whether the caller keeps emulation work somewhere (shows the forms to start a list).
pub fn may_handle(caller: &Caller) -> bool {
    caller.memberships.iter().any(|m| work(caller, &m.unit_ancestry(), Action::Handle).is_ok())
}

pub(crate) async fn nomination_row(app: &App, id: i64) -> AppResult<NominationRow> {
    app.store.nomination(id).await?.ok_or(AppError::NotFound)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NominationInput {
    /// The proposing unit's code.
    pub unit: String,
    pub year: String,
    pub title: String,
}

pub async fn create_nomination(app: &App, caller: &Caller, i: &NominationInput) -> AppResult<i64> {
    caller.require_account()?;
    let mut e = FieldErrors::new();
    let unit = app.store.get_unit_by_code_or_name(i.unit.trim()).await?;
    if unit.is_none() {
        e.add("unit", if i.unit.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
    }
    if let Some(u) = &unit {
        work(caller, &u.ancestry(), Action::Handle)?;
    }
    let year = parse_year(&i.year, "year", &mut e);
    let title = danvan_domain::text::clean(&i.title);
    if title.is_empty() {
        e.add("title", "error.required");
    } else if title.chars().count() > 300 {
        e.add("title", "error.too_long");
    }
    let (Some(unit), Some(year), true) = (unit, year, e.is_empty()) else { return Err(AppError::Invalid(e)) };
    Ok(app.store.create_nomination(&caller.audit(), unit.id, year, &title).await?)
}

pub async fn nominations(app: &App, caller: &Caller) -> AppResult<Vec<NominationRow>> {
    caller.require_account()?;
    Ok(app.store.nominations(&work_paths(caller)).await?)
}

/// A name on the list with the engine's verdict for it now.
pub struct ItemView {
    pub item: ItemRow,
    pub verdict: Verdict,
}

pub struct NominationView {
    pub nomination: NominationRow,
    pub items: Vec<ItemView>,
    pub council: Option<CouncilRow>,
    pub decisions: Vec<danvan_store::emulation::DecisionRow>,
    pub can_handle: bool,
    pub can_approve: bool,
}

impl NominationView {
    /// The list's unit path, to pick the records that may go on it.
    pub fn nomination_unit_path(&self) -> String {
        self.nomination.unit_path.clone()
    }
}

async fn verdict(app: &App, recipient: i64, award: Award, year: i32) -> AppResult<Verdict> {
    let r = app.store.emulation_recipient(recipient).await?.ok_or(AppError::NotFound)?;
    let record = app.store.emulation_engine_record(&r, year).await?;
    Ok(check_in(&RuleBook::default(), &record, &Nomination::new(award, year), &EmulationSettings::default()))
}

pub async fn nomination(app: &App, caller: &Caller, id: i64) -> AppResult<NominationView> {
    caller.require_account()?;
    let n = nomination_row(app, id).await?;
    let anc = n.unit_ancestry();
    work(caller, &anc, Action::View)?;
    let mut items = vec![];
    for item in app.store.nomination_items(id).await? {
        let verdict = verdict(app, item.recipient_id, item.award, n.year as i32).await?;
        items.push(ItemView { item, verdict });
    }
    Ok(NominationView {
        council: app.store.council_of(id).await?,
        decisions: app.store.decisions_of(id).await?,
        can_handle: work(caller, &anc, Action::Handle).is_ok(),
        can_approve: work(caller, &anc, Action::Approve).is_ok(),
        nomination: n,
        items,
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ItemInput {
    /// The recipient's record id.
    pub recipient: String,
    pub award: String,
    /// Required when the engine finds the name ineligible.
    pub justification: String,
}

/// Puts a name on a draft list: the record must be in the list's unit, the award fit the kind of
/// recipient, and an ineligible name carry a justification (`justification`). Returns the item
/// id and whether the engine found the name eligible.
pub async fn add_item(app: &App, caller: &Caller, id: i64, i: &ItemInput) -> AppResult<(i64, bool)> {
    caller.require_account()?;
    let n = nomination_row(app, id).await?;
    work(caller, &n.unit_ancestry(), Action::Handle)?;
    if n.status != NominationStatus::Draft {
        return Err(state_conflict("emulation.nomination.error.not_draft"));
    }
    let mut e = FieldErrors::new();
    let recipient = match i.recipient.trim().parse::<i64>() {
        Ok(r) => app.store.emulation_recipient(r).await?.filter(|r| r.unit_path.starts_with(&n.unit_path)),
        Err(_) => None,
    };
    if recipient.is_none() {
        e.add("recipient", if i.recipient.trim().is_empty() { "error.required" } else { "emulation.nomination.error.recipient" });
    }
    let award = Award::parse(&i.award);
    match (award, &recipient) {
        (None, _) => e.add("award", if i.award.trim().is_empty() { "error.required" } else { "error.invalid" }),
        (Some(a), Some(r)) if !a.recipients().contains(&r.kind) => e.add("award", "emulation.nomination.error.award_kind"),
        _ => {}
    }
    let justification = danvan_domain::text::clean(&i.justification);
    if justification.chars().count() > 2000 {
        e.add("justification", "error.too_long");
    }
    let (Some(r), Some(award), true) = (recipient, award, e.is_empty()) else { return Err(AppError::Invalid(e)) };
    authorize_record(caller, &r, Action::View).or_else(|_| work(caller, &r.unit_ancestry(), Action::Handle))?;
    let eligible = verdict(app, r.id, award, n.year as i32).await?.is_eligible();
    if !eligible && justification.is_empty() {
        return Err(AppError::Invalid(FieldErrors::one("justification", "emulation.nomination.error.justification")));
    }
    let just = (!justification.is_empty()).then_some(justification.as_str());
    let item = app.store.add_nomination_item(&caller.audit(), id, r.id, award, eligible, just).await.map_err(conflicts)?;
    Ok((item, eligible))
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CouncilInput {
    pub meeting_on: String,
    pub quorum: String,
    /// secret or paper
    pub mode: String,
    /// The members' usernames, one per line or comma-separated.
    pub members: String,
}

/// Submits a draft list to its council, constituted here.
pub async fn submit_to_council(app: &App, caller: &Caller, id: i64, i: &CouncilInput) -> AppResult<i64> {
    caller.require_account()?;
    let n = nomination_row(app, id).await?;
    work(caller, &n.unit_ancestry(), Action::Handle)?;
    if n.status != NominationStatus::Draft {
        return Err(state_conflict("emulation.nomination.error.not_draft"));
    }
    let mut e = FieldErrors::new();
    if app.store.nomination_items(id).await?.is_empty() {
        e.add("status", "emulation.nomination.error.empty");
    }
    let meeting_on = crate::input::parse_date(&i.meeting_on);
    if meeting_on.is_none() {
        e.add("meeting_on", if i.meeting_on.trim().is_empty() { "error.required" } else { "error.date" });
    }
    let mode = BallotMode::parse(&i.mode);
    if mode.is_none() {
        e.add("mode", if i.mode.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    let mut members = vec![];
    for name in i.members.split([',', '\n', ';']).map(str::trim).filter(|s| !s.is_empty()).take(101) {
        match app.store.get_account_by_username(name).await? {
            Some(a) if !members.contains(&a.id) => members.push(a.id),
            Some(_) => {}
            None => e.add("members", "emulation.council.error.member_unknown"),
        }
    }
    if members.is_empty() && e.get("members").is_none() {
        e.add("members", "error.required");
    } else if members.len() > 100 {
        e.add("members", "error.too_long");
    }
    let quorum = i.quorum.trim().parse::<i64>().ok().filter(|q| *q >= 1 && *q <= members.len().max(1) as i64);
    if quorum.is_none() {
        e.add("quorum", if i.quorum.trim().is_empty() { "error.required" } else { "emulation.council.error.quorum_range" });
    }
    let (Some(meeting_on), Some(mode), Some(quorum), true) = (meeting_on, mode, quorum, e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    let c = danvan_store::emulation::NewCouncil { meeting_on, quorum, mode, members };
    app.store.submit_to_council(&caller.audit(), id, &c).await.map_err(conflicts)
}

pub struct CouncilView {
    pub council: CouncilRow,
    pub nomination: NominationRow,
    pub items: Vec<ItemRow>,
    /// (account id, full name, has voted)
    pub members: Vec<(i64, String, bool)>,
    pub is_member: bool,
    pub has_voted: bool,
    pub can_handle: bool,
}

async fn council_parts(app: &App, id: i64) -> AppResult<(CouncilRow, NominationRow)> {
    let c = app.store.council(id).await?.ok_or(AppError::NotFound)?;
    let n = nomination_row(app, c.nomination_id).await?;
    Ok((c, n))
}

/// The council: for officials over the unit, and for its members.
pub async fn council(app: &App, caller: &Caller, id: i64) -> AppResult<CouncilView> {
    let me = caller.require_account()?.id;
    let (c, n) = council_parts(app, id).await?;
    let members = app.store.council_members(id).await?;
    let mine = members.iter().find(|m| m.0 == me);
    let anc = n.unit_ancestry();
    if mine.is_none() {
        work(caller, &anc, Action::View)?;
    }
    Ok(CouncilView {
        is_member: mine.is_some(),
        has_voted: mine.is_some_and(|m| m.2),
        can_handle: work(caller, &anc, Action::Handle).is_ok(),
        items: app.store.nomination_items(c.nomination_id).await?,
        members,
        council: c,
        nomination: n,
    })
}

/// Casts the caller's secret ballot: `votes` maps each item id to for, against or abstain; every
/// name needs a vote (`vote_<item>`). A second ballot is a conflict; a non-member is refused.
pub async fn cast_vote(app: &App, caller: &Caller, id: i64, votes: &HashMap<String, String>) -> AppResult<()> {
    let me = caller.require_account()?.id;
    let (c, _) = council_parts(app, id).await?;
    let member = app.store.council_members(id).await?.iter().any(|m| m.0 == me);
    let open = c.status == CouncilStatus::Open && c.mode == BallotMode::Secret;
    caller.authorize(Action::Update, Resource::CouncilBallot { member, open }).map_err(|e| match e {
        AppError::Forbidden if member => state_conflict("emulation.council.error.closed"),
        e => e,
    })?;
    let mut e = FieldErrors::new();
    let mut choices = vec![];
    for item in app.store.nomination_items(c.nomination_id).await? {
        let field = format!("vote_{}", item.id);
        let given = votes.get(&item.id.to_string()).map(String::as_str).unwrap_or("");
        match VoteChoice::parse(given) {
            Some(v) => choices.push((item.id, v)),
            None => e.add(&field, if given.trim().is_empty() { "error.required" } else { "error.invalid" }),
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    app.store.cast_ballot(&caller.audit(), id, me, &choices).await.map_err(conflicts)
}

/// Closes the ballot and counts each name with its threshold (R11). A secret ballot is counted
/// from the votes; a paper one from `paper` (item id → for, against, abstain as typed). Fewer
/// members voting than the quorum is a conflict.
pub async fn close_council(
    app: &App,
    caller: &Caller,
    id: i64,
    paper: &HashMap<String, (String, String, String)>,
) -> AppResult<Vec<danvan_store::emulation::ItemCount>> {
    caller.require_account()?;
    let (c, n) = council_parts(app, id).await?;
    work(caller, &n.unit_ancestry(), Action::Handle)?;
    if c.status != CouncilStatus::Open {
        return Err(state_conflict("emulation.council.error.closed"));
    }
    let members = app.store.council_members(id).await?;
    let items = app.store.nomination_items(c.nomination_id).await?;
    let settings = EmulationSettings::default();
    let mut e = FieldErrors::new();
    let mut ballots: Vec<(i64, Award, Ballot)> = vec![];
    let base = Ballot { members: members.len() as u32, ..Default::default() };
    match c.mode {
        BallotMode::Secret => {
            let voted = members.iter().filter(|m| m.2).count() as i64;
            if voted < c.quorum {
                return Err(state_conflict("emulation.council.error.quorum"));
            }
            let tally = app.store.council_tally(id).await?;
            for item in &items {
                let count = |ch| tally.iter().filter(|t| t.0 == item.id && t.1 == ch).map(|t| t.2 as u32).sum::<u32>();
                let b = Ballot {
                    in_favour: count(VoteChoice::For),
                    against: count(VoteChoice::Against),
                    abstain: count(VoteChoice::Abstain),
                    ..base
                };
                ballots.push((item.id, item.award, b));
            }
        }
        BallotMode::Paper => {
            let mut most = 0;
            for item in &items {
                let empty = Default::default();
                let (f, a, s) = paper.get(&item.id.to_string()).unwrap_or(&empty);
                let mut num = |v: &str, field: String| match v.trim().parse::<u32>() {
                    Ok(x) if x <= 10_000 => x,
                    _ => {
                        e.add(&field, if v.trim().is_empty() { "error.required" } else { "error.invalid" });
                        0
                    }
                };
                let b = Ballot {
                    in_favour: num(f, format!("for_{}", item.id)),
                    against: num(a, format!("against_{}", item.id)),
                    abstain: num(s, format!("abstain_{}", item.id)),
                    ..base
                };
                most = most.max(i64::from(b.in_favour + b.against + b.abstain));
                ballots.push((item.id, item.award, b));
            }
            if e.is_empty() && most < c.quorum {
                e.add("status", "emulation.council.error.quorum");
            }
        }
    }
    let mut counts = vec![];
    for (item_id, award, b) in ballots {
        match count_votes(award, &b, &settings) {
            Ok(o) => counts.push(danvan_store::emulation::ItemCount {
                item_id,
                votes_for: i64::from(o.votes_for),
                against: i64::from(o.against),
                abstain: i64::from(o.abstain),
                passed: o.passed,
            }),
            Err(err) => err.0.iter().for_each(|x| e.add(&format!("for_{item_id}"), &x.key)),
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    app.store.close_council(&caller.audit(), id, &counts).await.map_err(conflicts)?;
    Ok(counts)
}
