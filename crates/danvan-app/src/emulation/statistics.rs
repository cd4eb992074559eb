//! The annual statistical report forms on emulation and commendation (issue 11 item 7: forms
//! 0601–0605 of Circular 02/2023/TT-BNV, revised by Circular 18/2025/TT-BNV), computed from
//! danvan's own data for a unit's subtree and a report year, against the version of the form in
//! force for that year (`stat_forms::form_for`).
//!
//! Each form has one table below saying which cells danvan answers and from what; every other
//! input cell is left blank and listed as "to fill in by hand" — danvan keeps no staff counts,
//! no orders or medals, no occupations or ethnicity, no record of a movement's review
//! conference, so it never puts a number there. What is counted:
//!
//! - a **movement** (0601) when it starts in the year and is launched by a unit of the subtree;
//!   its row is the level of the launching unit;
//! - an **award** (0602–0604) when its decision is dated in the year and its recipient belongs to
//!   a unit of the subtree, from the records (`emulation_titles`: every decision issued in danvan
//!   writes there, as do the titles recorded by hand or imported, so nothing is counted twice);
//!   the body that made it is the decision's issuer in danvan, else the one unit named as the
//!   recorded issuer;
//! - a **nomination list resolved** (0602 column 4) when a unit of the subtree issued the first
//!   decision on it in the year; its row is the level of that unit.
//!
//! Figures danvan knows but the form only holds as the total of hand-filled cells (the number of
//! individuals awarded on 0604, of whom women), and facts it could not place on a row (an award
//! whose issuing body it does not know), are returned as notes beside the form.

use crate::{App, AppError, AppResult, Caller};
use chrono::{Months, NaiveDate};
use danvan_domain::emulation::stat_forms::{form_code, form_for, FormDef};
use danvan_domain::emulation::{Award, AwardKind, AwardLevel, PeriodKind, RecipientKind};
use danvan_domain::{Action, FieldErrors, Resource, UnitId, UnitKind};
use danvan_store::emulation::{AwardFact, MovementFact, ResolvedFact};
use danvan_store::{Unit, UnitSearch};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The first and last report years the page accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The page's choice, as typed or picked.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct StatInput {
    /// "0601" … "0605".
    pub form: String,
    pub year: String,
    /// The unit's code.
    pub unit: String,
}

/// A cell: (row code, column code).
pub type Cell = (String, String);

/// What danvan knows beside the form.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Note {
    /// The form holds this figure only as the total of cells filled in by hand: they must add up
    /// to it.
    Known { row: &'static str, col: &'static str, value: u64 },
    /// Facts counted but not placed on a row: the body that made them is not known to danvan, or
    /// is of a level this version of the form has no row for.
    Unplaced { fact: Fact, count: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Fact {
    Movements,
    Awards,
    ResolvedLists,
}

/// A form computed for a unit and a year.
#[derive(Debug, Clone)]
pub struct Computed {
    pub form: FormDef,
    pub unit: Unit,
    pub year: i32,
    /// The cells danvan answers (0 included).
    pub counts: BTreeMap<Cell, u64>,
    /// The input cells to fill in by hand.
    pub by_hand: BTreeSet<Cell>,
    pub notes: Vec<Note>,
}

/// The level of the body that launched a movement or made an award, as the forms' rows have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    District,
    Commune,
    /// "Cơ quan, tổ chức, đơn vị, doanh nghiệp": a body that is not a territory's government.
    Organisation,
}

/// The level of the unit at the end of `path`: a territory's own level; a people's committee or
/// council, a residential group or village, that of the territory above it; any other body
/// (Party committee, agency, Front, mass organisation) is an organisation.
pub fn level_of(path: &str, kinds: &HashMap<UnitId, UnitKind>) -> Option<Level> {
    let ids = danvan_store::org::units::path_ids(path);
    let own = kinds.get(ids.last()?)?;
    let territory = |k: UnitKind| match k {
        UnitKind::Province | UnitKind::City => Some(Level::Province),
        UnitKind::District => Some(Level::District),
        UnitKind::Commune | UnitKind::Ward | UnitKind::SpecialZone => Some(Level::Commune),
        _ => None,
    };
    match own {
        UnitKind::ResidentialGroup | UnitKind::Village | UnitKind::PeoplesCommittee | UnitKind::PeoplesCouncil => {
            ids.iter().rev().skip(1).find_map(|id| kinds.get(id).and_then(|k| territory(*k)))
        }
        k => territory(*k).or(Some(Level::Organisation)),
    }
}

/// Form 0601 — movements launched: the row of a launching level.
fn row_0601(l: Level) -> &'static str {
    match l {
        Level::Province => "02",
        Level::District => "03",
        Level::Commune => "04",
        Level::Organisation => "05",
    }
}

/// Form 0601 — the columns of a movement: "2" regular (annual or multi-year) or "3" thematic;
/// "4" one year or less, "5" over one year. Column 6 (reviewed or summed up) is by hand.
fn cols_0601(m: &MovementFact) -> [&'static str; 2] {
    let how = if m.period_kind == PeriodKind::Thematic { "3" } else { "2" };
    let over_a_year = m.starts_on.checked_add_months(Months::new(12)).is_some_and(|d| m.ends_on >= d);
    [how, if over_a_year { "5" } else { "4" }]
}
const ANSWERED_0601: &[&str] = &["2", "3", "4", "5"];

/// Form 0602 — awards by the level that made them. The State level the Prime Minister decides
/// (Chiến sĩ thi đua toàn quốc, Cờ thi đua của Chính phủ, Bằng khen của Thủ tướng: Law 06/2022
/// Art. 78) is row 04; the President's (orders, medals, State honours) are not recorded in
/// danvan: row 03 columns 2–3 are by hand. Provincial awards are row 06; a grassroots award goes
/// to the level of the body that made it (07 district, 08 commune, 09 organisation).
fn row_0602(a: Award, issuer: Option<Level>) -> Option<&'static str> {
    match (a.level(), issuer) {
        (AwardLevel::National, _) => Some("04"),
        (AwardLevel::Provincial, _) => Some("06"),
        (AwardLevel::Grassroots, Some(Level::District)) => Some("07"),
        (AwardLevel::Grassroots, Some(Level::Commune)) => Some("08"),
        (AwardLevel::Grassroots, Some(Level::Organisation)) => Some("09"),
        (AwardLevel::Grassroots, _) => None,
    }
}

/// Form 0602 — column 2 titles, 3 forms; column 4 the lists resolved, by the resolving level.
fn col_0602(a: Award) -> &'static str {
    if a.kind() == AwardKind::Title {
        "2"
    } else {
        "3"
    }
}
fn resolved_row_0602(l: Level) -> &'static str {
    match l {
        Level::Province => "06",
        Level::District => "07",
        Level::Commune => "08",
        Level::Organisation => "09",
    }
}

/// Form 0603 — the row of each award danvan knows. Rows 11 (Gia đình tiêu biểu) and 13–16
/// (orders, medals, State honours, prizes) are not recorded: by hand.
fn row_0603(a: Award) -> &'static str {
    match a {
        Award::NationalEmulationFighter => "03",
        Award::ProvincialEmulationFighter => "04",
        Award::GrassrootsEmulationFighter => "05",
        Award::AdvancedWorker => "06",
        Award::GovernmentEmulationFlag => "07",
        Award::ProvincialEmulationFlag => "08",
        Award::ExcellentCollective => "09",
        Award::AdvancedCollective => "10",
        Award::PrimeMinisterCommendation => "17",
        Award::ProvincialCommendation => "18",
        Award::CertificateOfMerit => "19",
    }
}

/// Forms 0603 (columns 2–4) and 0604 (rows 07–08) — the recipient's class.
fn col_0603(k: RecipientKind) -> &'static str {
    match k {
        RecipientKind::Individual => "2",
        RecipientKind::Collective => "3",
        RecipientKind::Household => "4",
    }
}
/// Form 0603 — columns 5–9 (regular, thematic, unscheduled, for years of service, foreign) are
/// not recorded: by hand.
const ANSWERED_0603: &[&str] = &["2", "3", "4"];

/// Form 0604 — collectives (07) and households (08) in column 1; individuals are split by
/// occupation (rows 03–06), which danvan does not keep: by hand, with the known total and the
/// women among them as notes. Ethnicity (column 3) is not kept.
fn row_0604(k: RecipientKind) -> Option<&'static str> {
    match k {
        RecipientKind::Individual => None,
        RecipientKind::Collective => Some("07"),
        RecipientKind::Household => Some("08"),
    }
}

/// What the database gives for one subtree and year.
struct Facts {
    movements: Vec<MovementFact>,
    awards: Vec<AwardFact>,
    resolved: Vec<ResolvedFact>,
    kinds: HashMap<UnitId, UnitKind>,
}

struct Tally<'a> {
    form: &'a FormDef,
    counts: BTreeMap<Cell, u64>,
    unplaced: BTreeMap<u8, u64>,
}

impl<'a> Tally<'a> {
    fn new(form: &'a FormDef) -> Self {
        Tally { form, counts: BTreeMap::new(), unplaced: BTreeMap::new() }
    }
    /// Marks (row, col) answered, at 0, when the form has it.
    fn answer(&mut self, row: &str, col: &str) {
        if self.form.is_input(row, col) {
            self.counts.entry((row.into(), col.into())).or_insert(0);
        }
    }
    /// Counts one fact in (row, col); false when the form has no such input cell.
    fn add(&mut self, row: &str, col: &str) -> bool {
        if !self.form.is_input(row, col) {
            return false;
        }
        *self.counts.entry((row.into(), col.into())).or_insert(0) += 1;
        true
    }
    fn miss(&mut self, fact: Fact) {
        *self.unplaced.entry(fact as u8).or_insert(0) += 1;
    }
}

/// Counts the facts into `form`: the cells answered, the cells by hand, the notes.
fn compute(form: &FormDef, f: &Facts) -> (BTreeMap<Cell, u64>, BTreeSet<Cell>, Vec<Note>) {
    let mut t = Tally::new(form);
    let mut notes = vec![];
    let rows: Vec<&'static str> = form.rows.iter().map(|r| r.code).filter(|c| !c.is_empty()).collect();
    match form.short_code() {
        "0601" => {
            for r in &rows {
                ANSWERED_0601.iter().for_each(|c| t.answer(r, c));
            }
            for m in &f.movements {
                let placed = level_of(&m.unit_path, &f.kinds)
                    .map(row_0601)
                    // Both columns are counted, whatever the first answers: no short circuit.
                    .is_some_and(|row| cols_0601(m).iter().map(|c| t.add(row, c)).collect::<Vec<_>>().into_iter().all(|ok| ok));
                if !placed {
                    t.miss(Fact::Movements);
                }
            }
        }
        "0602" => {
            for r in rows.iter().filter(|r| **r != "03") {
                ["2", "3"].iter().for_each(|c| t.answer(r, c));
            }
            rows.iter().for_each(|r| t.answer(r, "4"));
            for a in &f.awards {
                let issuer = a.issuer_path().and_then(|p| level_of(p, &f.kinds));
                if !row_0602(a.award, issuer).is_some_and(|row| t.add(row, col_0602(a.award))) {
                    t.miss(Fact::Awards);
                }
            }
            for r in &f.resolved {
                if !level_of(&r.issuer_path, &f.kinds).is_some_and(|l| t.add(resolved_row_0602(l), "4")) {
                    t.miss(Fact::ResolvedLists);
                }
            }
        }
        "0603" => {
            for a in Award::ALL {
                ANSWERED_0603.iter().for_each(|c| t.answer(row_0603(*a), c));
            }
            for a in &f.awards {
                if !t.add(row_0603(a.award), col_0603(a.recipient_kind)) {
                    t.miss(Fact::Awards);
                }
            }
        }
        "0604" => {
            t.answer("07", "1");
            t.answer("08", "1");
            let individuals: Vec<&AwardFact> =
                f.awards.iter().filter(|a| a.recipient_kind == RecipientKind::Individual).collect();
            for a in &f.awards {
                if let Some(row) = row_0604(a.recipient_kind) {
                    t.add(row, "1");
                }
            }
            notes.push(Note::Known { row: "02", col: "1", value: individuals.len() as u64 });
            notes.push(Note::Known { row: "02", col: "2", value: individuals.iter().filter(|a| a.woman).count() as u64 });
        }
        // 0605: the organisation and staff of the work are not kept in danvan.
        _ => {}
    }
    let by_hand: BTreeSet<Cell> = form
        .rows
        .iter()
        .flat_map(|r| form.cols.iter().map(move |c| (r.code, c.code)))
        .filter(|(r, c)| form.is_input(r, c) && !t.counts.contains_key(&(r.to_string(), c.to_string())))
        .map(|(r, c)| (r.to_string(), c.to_string()))
        .collect();
    for (fact, count) in &t.unplaced {
        let fact = [Fact::Movements, Fact::Awards, Fact::ResolvedLists][*fact as usize];
        notes.push(Note::Unplaced { fact, count: *count });
    }
    (t.counts, by_hand, notes)
}

/// Reads and checks the choice: the form, the year (2000–2100, and a year some version of the
/// form applies to) and the unit. Field errors on `form`, `year`, `unit`.
async fn checked(app: &App, i: &StatInput) -> AppResult<(FormDef, i32, Unit)> {
    let mut e = FieldErrors::new();
    let code = form_code(i.form.trim());
    if code.is_none() {
        e.add("form", "emulation.statistics.error.form");
    }
    let year = i.year.trim().parse::<i32>().ok().filter(|y| YEARS.contains(y));
    if year.is_none() {
        e.add("year", if i.year.trim().is_empty() { "error.required" } else { "emulation.error.year" });
    }
    let form = match (&code, year) {
        (Some(c), Some(y)) => {
            let f = form_for(c, y);
            if f.is_none() {
                e.add("year", "emulation.statistics.error.no_version");
            }
            f
        }
        _ => None,
    };
    let unit = match i.unit.trim() {
        "" => {
            e.add("unit", "error.required");
            None
        }
        c if c.chars().count() > 100 => {
            e.add("unit", "error.unit_unknown");
            None
        }
        c => {
            let u = app.store.get_unit_by_code(c).await?;
            if u.is_none() {
                e.add("unit", "error.unit_unknown");
            }
            u
        }
    };
    match (form, year, unit) {
        (Some(f), Some(y), Some(u)) if e.is_empty() => Ok((f, y, u)),
        _ => Err(AppError::Invalid(e)),
    }
}

/// The form chosen, computed for the unit's subtree and the year. Officials over the unit read
/// it (`EmulationWork`, View).
pub async fn compute_form(app: &App, caller: &Caller, input: &StatInput) -> AppResult<Computed> {
    caller.require_account()?;
    let (form, year, unit) = checked(app, input).await?;
    caller.authorize(Action::View, Resource::EmulationWork { unit_ancestry: &unit.ancestry() })?;
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::NotFound)?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
    let s = &app.store;
    let movements = s.statistics_movements(&unit.path, from, to).await?;
    let awards = s.statistics_awards(&unit.path, from, to).await?;
    let resolved = s.statistics_resolved(&unit.path, from, to).await?;
    let mut ids: BTreeSet<UnitId> = BTreeSet::new();
    let paths = movements
        .iter()
        .map(|m| m.unit_path.as_str())
        .chain(awards.iter().filter_map(|a| a.issuer_path()))
        .chain(resolved.iter().map(|r| r.issuer_path.as_str()));
    for p in paths {
        ids.extend(danvan_store::org::units::path_ids(p));
    }
    let units = s.get_units(&ids.into_iter().collect::<Vec<_>>()).await?;
    let kinds = units.into_iter().map(|u| (u.id, u.kind)).collect();
    let facts = Facts { movements, awards, resolved, kinds };
    let (counts, by_hand, notes) = compute(&form, &facts);
    Ok(Computed { form, unit, year, counts, by_hand, notes })
}

/// The units the caller may report on: those under which they are an official (View on the
/// unit's emulation work) and the live units of their subtrees, in tree order, at most 1,000;
/// refused to whoever is an official nowhere.
pub async fn report_units(app: &App, caller: &Caller) -> AppResult<Vec<Unit>> {
    caller.require_account()?;
    let mut out: Vec<Unit> = vec![];
    for m in caller.memberships.iter() {
        if caller.authorize(Action::View, Resource::EmulationWork { unit_ancestry: &m.unit_ancestry() }).is_err() {
            continue;
        }
        let search = UnitSearch {
            q: String::new(),
            kind: None,
            within: Some(m.unit_id),
            include_dissolved: false,
            limit: 1000,
            offset: 0,
        };
        let (found, _) = app.store.search_units(&search).await?;
        let own = app.store.get_unit(m.unit_id).await?;
        for u in std::iter::once(own).chain(found) {
            if out.len() < 1000 && !out.iter().any(|x| x.id == u.id) {
                out.push(u);
            }
        }
    }
    if out.is_empty() {
        return Err(AppError::Forbidden);
    }
    out.sort_by_key(|u| u.ancestry());
    Ok(out)
}

#[cfg(test)]
mod tests;
