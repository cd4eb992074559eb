//! Use cases on one record: create a recipient, record an entry, read the record, check
//! eligibility for an award and a year.

use crate::input::parse_date;
use crate::{App, AppError, AppResult, Caller};
use chrono::{Datelike, NaiveDate};
use danvan_domain::emulation::{check_in, Award, DisciplineLevel, Nomination, Rating, Reach, RecipientKind, RuleBook, Verdict};
use danvan_domain::{Action, FieldErrors, Resource};
use serde::Deserialize;

pub use danvan_store::emulation::{Entry, InheritedTitle, RecipientRow, RecordRows};

/// The earliest year a record holds (older spreadsheets are history the engine never reads).
pub const FIRST_YEAR: i32 = 1990;

/// Years a user may give: from `FIRST_YEAR` to next year.
pub fn parse_year(s: &str, field: &str, e: &mut FieldErrors) -> Option<i32> {
    let last = crate::cases::today().year() + 1;
    match s.trim().parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=last).contains(&y) => Some(y),
        _ => {
            e.add(field, if s.trim().is_empty() { "error.required" } else { "emulation.error.year" });
            None
        }
    }
}

fn required<T>(v: Option<T>, s: &str, field: &str, e: &mut FieldErrors) -> Option<T> {
    if v.is_none() {
        e.add(field, if s.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    v
}

fn text(s: &str, field: &str, e: &mut FieldErrors) -> String {
    let t = danvan_domain::text::clean(s);
    if t.is_empty() {
        e.add(field, "error.required");
    } else if t.chars().count() > 200 {
        e.add(field, "error.too_long");
    }
    t
}

fn date(s: &str, field: &str, e: &mut FieldErrors) -> Option<NaiveDate> {
    let d = parse_date(s);
    if d.is_none() {
        e.add(field, if s.trim().is_empty() { "error.required" } else { "error.date" });
    }
    d
}

/// An entry as typed (a form, a JSON body): `entry` is `rating`, `title`, `discipline`,
/// `initiative`, `leave`, `investigation` or `member`; the other fields as that kind needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntryInput {
    pub entry: String,
    pub year: String,
    pub rating: String,
    /// "false" or "no" when the person did not take part in the year's emulation movement.
    pub in_emulation: String,
    pub award: String,
    pub decision_no: String,
    pub decided_on: String,
    pub issuer: String,
    pub level: String,
    pub from: String,
    pub to: String,
    pub name: String,
    pub reach: String,
    pub used_for: String,
    /// For leave: `maternity` or `other`.
    pub kind: String,
    /// For a member: the member's recipient id.
    pub member: String,
}

/// The entry typed, or its field errors.
pub fn parse_entry(i: &EntryInput) -> Result<Entry, FieldErrors> {
    let mut e = FieldErrors::new();
    let entry = match i.entry.trim() {
        "rating" => {
            let year = parse_year(&i.year, "year", &mut e);
            let rating = required(Rating::parse(&i.rating), &i.rating, "rating", &mut e);
            let in_emulation = !matches!(i.in_emulation.trim(), "false" | "no" | "0");
            year.zip(rating).map(|(year, rating)| Entry::Rating { year, rating, in_emulation })
        }
        "title" => {
            let award = required(Award::parse(&i.award), &i.award, "award", &mut e);
            let year = parse_year(&i.year, "year", &mut e);
            let decision_no = text(&i.decision_no, "decision_no", &mut e);
            let decided_on = date(&i.decided_on, "decided_on", &mut e);
            let issuer = text(&i.issuer, "issuer", &mut e);
            match (award, year, decided_on) {
                (Some(award), Some(year), Some(decided_on)) => {
                    Some(Entry::Title { award, year, decision_no, decided_on, issuer })
                }
                _ => None,
            }
        }
        "discipline" => {
            let level = required(DisciplineLevel::parse(&i.level), &i.level, "level", &mut e);
            let from = date(&i.from, "from", &mut e);
            let to = crate::input::optional_date(&i.to, "to", &mut e);
            if let (Some(f), Some(t)) = (from, to) {
                if t < f {
                    e.add("to", "emulation.error.period");
                }
            }
            let decision_no = danvan_domain::text::clean(&i.decision_no);
            level.zip(from).map(|(level, from)| Entry::Discipline { level, from, to, decision_no })
        }
        "initiative" => {
            let name = text(&i.name, "name", &mut e);
            let year = parse_year(&i.year, "year", &mut e);
            let reach = required(Reach::parse(&i.reach), &i.reach, "reach", &mut e);
            let used_for = if i.used_for.trim().is_empty() {
                None
            } else {
                required(Award::parse(&i.used_for), &i.used_for, "used_for", &mut e)
            };
            year.zip(reach).map(|(year, reach)| Entry::Initiative { name, year, reach, used_for })
        }
        kind @ ("leave" | "investigation") => {
            let kind = if kind == "leave" {
                match i.kind.trim() {
                    k @ ("maternity" | "other") => k.to_string(),
                    k => {
                        e.add("kind", if k.is_empty() { "error.required" } else { "error.invalid" });
                        String::new()
                    }
                }
            } else {
                "investigation".to_string()
            };
            let from = date(&i.from, "from", &mut e);
            let to = crate::input::optional_date(&i.to, "to", &mut e);
            if let (Some(f), Some(t)) = (from, to) {
                if t < f {
                    e.add("to", "emulation.error.period");
                }
            }
            from.map(|from| Entry::Period { kind, from, to })
        }
        "member" => {
            let year = parse_year(&i.year, "year", &mut e);
            let member = required(i.member.trim().parse::<i64>().ok(), &i.member, "member", &mut e);
            year.zip(member).map(|(year, member_id)| Entry::Member { member_id, year })
        }
        _ => {
            e.add("entry", "error.invalid");
            None
        }
    };
    match entry {
        Some(entry) if e.is_empty() => Ok(entry),
        _ => Err(e),
    }
}

/// Authorises `action` on a recipient's record.
pub fn authorize_record(caller: &Caller, r: &RecipientRow, action: Action) -> AppResult<()> {
    caller.authorize(action, Resource::EmulationRecord { unit_ancestry: &r.unit_ancestry(), account: r.account_id })
}

async fn recipient(app: &App, id: i64) -> AppResult<RecipientRow> {
    app.store.emulation_recipient(id).await?.ok_or(AppError::NotFound)
}

/// A recipient and their record, for the person, their unit's leaders and the emulation officers.
pub async fn record(app: &App, caller: &Caller, id: i64) -> AppResult<(RecipientRow, RecordRows)> {
    caller.require_account()?;
    let r = recipient(app, id).await?;
    authorize_record(caller, &r, Action::View)?;
    let rows = app.store.emulation_record_rows(id).await?;
    Ok((r, rows))
}

/// Whether the caller records entries somewhere (an emulation officer, or an administrator).
pub fn may_record(caller: &Caller) -> bool {
    caller.memberships.iter().any(|m| {
        caller.authorize(Action::Update, Resource::EmulationRecord { unit_ancestry: &m.unit_ancestry(), account: None }).is_ok()
    })
}

/// The recipients whose records the caller may read: those of the units they lead or work in as
/// officers, and their own.
pub async fn records(app: &App, caller: &Caller) -> AppResult<Vec<RecipientRow>> {
    let me = caller.require_account()?;
    Ok(app.store.emulation_recipients(&readable_paths(caller), Some(me.id)).await?)
}

/// The subtrees whose records the caller may read. Not the administrators' system role:
/// personal records are for the person, their unit's leaders and the emulation officers only.
fn readable_paths(caller: &Caller) -> Vec<String> {
    caller
        .memberships
        .iter()
        .filter(|m| {
            let anc = m.unit_ancestry();
            caller.authorize(Action::View, Resource::EmulationRecord { unit_ancestry: &anc, account: None }).is_ok()
        })
        .map(|m| format!("/{}/", m.unit_ancestry().iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/")))
        .collect()
}

/// The history the caller's units took over in the 2025 reform ("from predecessors"): the
/// titles of the collectives of the dissolved units that each unit they may read the records of
/// succeeds, under the names those collectives had then, with the day their unit ended.
/// Read through the dissolution's successors; nothing is copied.
pub async fn inherited_titles(app: &App, caller: &Caller) -> AppResult<Vec<InheritedTitle>> {
    caller.require_account()?;
    let mut out = Vec::new();
    for unit in app.store.successor_units_in(&readable_paths(caller)).await? {
        out.extend(app.store.emulation_inherited_titles(unit).await?);
    }
    Ok(out)
}

/// A collective's history from its unit's predecessors (see `inherited_titles`), for whoever may
/// read its record; a person's or a household's record has none (theirs stays their own).
pub async fn record_history(app: &App, caller: &Caller, r: &RecipientRow) -> AppResult<Vec<InheritedTitle>> {
    authorize_record(caller, r, Action::View)?;
    if r.kind != RecipientKind::Collective {
        return Ok(Vec::new());
    }
    Ok(app.store.emulation_inherited_titles(r.unit_id).await?)
}

/// A new recipient as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SubjectInput {
    /// individual, collective or household
    pub kind: String,
    pub name: String,
    /// The unit's code.
    pub unit: String,
    /// "true" / "on" for a woman (the tie-break, R10).
    pub woman: String,
    /// The person's username, when they have an account.
    pub account: String,
}

/// Creates a recipient in a unit where the caller is an emulation officer; returns its id.
pub async fn create_subject(app: &App, caller: &Caller, i: &SubjectInput) -> AppResult<i64> {
    caller.require_account()?;
    let mut e = FieldErrors::new();
    let kind = required(RecipientKind::parse(&i.kind), &i.kind, "kind", &mut e);
    let name = text(&i.name, "name", &mut e);
    let unit = app.store.get_unit_by_code_or_name(i.unit.trim()).await?;
    if unit.is_none() {
        e.add("unit", if i.unit.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
    }
    let account_id = match i.account.trim() {
        "" => None,
        u => match app.store.get_account_by_username(u).await? {
            Some(a) => Some(a.id),
            None => {
                e.add("account", "error.invalid");
                None
            }
        },
    };
    if let Some(u) = &unit {
        caller.authorize(Action::Update, Resource::EmulationRecord { unit_ancestry: &u.ancestry(), account: None })?;
    }
    let (Some(kind), Some(unit), true) = (kind, unit, e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    let woman = matches!(i.woman.trim(), "true" | "on" | "1" | "yes");
    let new = danvan_store::emulation::NewRecipient { kind, name, unit_id: unit.id, woman, account_id };
    Ok(app.store.create_emulation_recipient(&caller.audit(), &new).await?)
}

/// Records one entry on a record (emulation officers).
pub async fn record_entry(app: &App, caller: &Caller, id: i64, input: &EntryInput) -> AppResult<Entry> {
    caller.require_account()?;
    let r = recipient(app, id).await?;
    authorize_record(caller, &r, Action::Update)?;
    let entry = parse_entry(input)?;
    if let Entry::Member { member_id, .. } = &entry {
        let member = app.store.emulation_recipient(*member_id).await?;
        let fits = r.kind == RecipientKind::Collective
            && member.is_some_and(|m| m.kind == RecipientKind::Individual && m.unit_path.starts_with(&r.unit_path));
        if !fits {
            return Err(AppError::Invalid(FieldErrors::one("member", "emulation.error.member")));
        }
    }
    app.store.add_emulation_entries(&caller.audit(), id, &r.name, std::slice::from_ref(&entry)).await?;
    Ok(entry)
}

/// The award and year asked, or their field errors.
pub fn parse_nomination(award: &str, year: &str) -> Result<(Award, i32), FieldErrors> {
    let mut e = FieldErrors::new();
    let a = required(Award::parse(award), award, "award", &mut e);
    let y = parse_year(year, "year", &mut e);
    match (a, y) {
        (Some(a), Some(y)) if e.is_empty() => Ok((a, y)),
        _ => Err(e),
    }
}

/// Judges a recipient for an award and a year with the rules in force for that year: eligible,
/// or each unmet condition. Those who may read the record may ask.
pub async fn check_eligibility(app: &App, caller: &Caller, id: i64, award: Award, year: i32) -> AppResult<Verdict> {
    caller.require_account()?;
    let r = recipient(app, id).await?;
    authorize_record(caller, &r, Action::View)?;
    let record = app.store.emulation_engine_record(&r, year).await?;
    let settings = super::settings::settings_for_year(app, year).await?;
    Ok(check_in(&RuleBook::default(), &record, &Nomination::new(award, year), &settings))
}
