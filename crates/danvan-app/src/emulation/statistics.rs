//! The annual statistical report forms on emulation and commendation (issue 11 item 7: forms
//! 0601–0605 of Circular 02/2023/TT-BNV, then Circular 18/2025/TT-BNV), computed from danvan's
//! own data for a unit's subtree and a report year (its period: 1 December of the year before to
//! 30 November, `stat_forms::report_period`), against the version of the form in force for that
//! year (`stat_forms::form_for`).
//!
//! Each form has one table below saying which cells danvan answers and from what; every other
//! input cell is left blank and listed as "to fill in by hand": danvan keeps no staff or
//! organisation counts, no orders, medals, prizes or badges, no occupation of the people awarded
//! and no method of an award (regular, thematic, for years of service…), so it never puts a
//! number there. What is counted:
//!
//! - a **movement** (0601) when it starts in the period and is launched by a unit of the
//!   subtree: in its launching level's column, on one row of each breakdown (scope, duration,
//!   method);
//! - an **award** (0602, 0603) when its decision is dated in the period and its recipient
//!   belongs to a unit of the subtree, from the records (`emulation_titles`: every decision
//!   issued in danvan writes there, as do the titles recorded by hand or imported, so nothing is
//!   counted twice): a State award the Prime Minister decides on 0602, a provincial one on 0603,
//!   in the award's column and on its recipient's row. Grassroots awards (Giấy khen, Lao động
//!   tiên tiến, Chiến sĩ thi đua cơ sở, Tập thể lao động tiên tiến / xuất sắc) are on none of
//!   these forms: their number is given beside them.
//!
//! Facts it could not place (a movement of a unit whose level it cannot tell) are returned as
//! notes beside the form.

use crate::{App, AppError, AppResult, Caller};
use chrono::Months;
use danvan_domain::emulation::stat_forms::{form_code, form_for, report_period, FormDef};
use danvan_domain::emulation::{Award, AwardLevel, PeriodKind, RecipientKind};
use danvan_domain::{Action, FieldErrors, Resource, UnitId, UnitKind};
use danvan_store::emulation::{AwardFact, MovementFact};
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
    /// Facts counted but not placed on a row: a movement of a unit whose level danvan cannot tell.
    Unplaced { fact: Fact, count: u64 },
    /// The grassroots awards of the period, which forms 0602 and 0603 do not count.
    Grassroots { count: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Fact {
    Movements,
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

/// The level of the body that launched a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    District,
    Commune,
    /// A body that is not a territory's government (agency, Party committee, Front, association).
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

/// Form 0601 — the column of the launching level: "3" a province (with the ministries and
/// central bodies), "4" any other body ("Cơ quan, tổ chức, đơn vị": the form has no lower
/// level). Column 2, the Central Emulation and Commendation Council, launches nothing in danvan.
fn col_0601(l: Level) -> &'static str {
    if l == Level::Province {
        "3"
    } else {
        "4"
    }
}

/// Whole months from the first to the last day of a movement (1 Jan–31 Dec is 12), and whether
/// they are exactly its length.
fn months(m: &MovementFact) -> (u32, bool) {
    let Some(end) = m.ends_on.succ_opt() else { return (0, false) };
    let after = |k: u32| m.starts_on.checked_add_months(Months::new(k));
    let n = (0..=1200).take_while(|k| after(*k).is_some_and(|d| d <= end)).last().unwrap_or(0);
    (n, after(n) == Some(end))
}

/// Form 0601 — the rows of a movement, one per breakdown:
/// - scope: "04" a cluster's (cụm, khối thi đua), "03" a province's, "05" any other body's
///   ("02", nationwide, is never launched in danvan);
/// - duration: "06" under a year, "07" one year to the day, "08" over one and under three (the
///   form's "Từ 1 năm đến dưới 3 năm": a movement of exactly one year has its own row, 07), "09"
///   three to under five, "10" five years or more (months are counted by calendar, so a
///   movement from 29 February has a day more than its year);
/// - method: "11" thematic (theo chuyên đề), "12" regular (thường xuyên: annual or multi-year).
fn rows_0601(m: &MovementFact, l: Level) -> [&'static str; 3] {
    let scope = if m.in_cluster {
        "04"
    } else if l == Level::Province {
        "03"
    } else {
        "05"
    };
    let duration = match months(m) {
        (0..=11, _) => "06",
        (12, true) => "07",
        (12..=35, _) => "08",
        (36..=59, _) => "09",
        _ => "10",
    };
    let method = if m.period_kind == PeriodKind::Thematic { "11" } else { "12" };
    [scope, duration, method]
}

/// Forms 0602 and 0603 — the column of an award: 0602 holds the State awards the Prime
/// Minister decides (Cờ thi đua của Chính phủ, Bằng khen của Thủ tướng, Chiến sĩ thi đua toàn
/// quốc), 0603 the provincial ones (Bằng khen, Chiến sĩ thi đua cấp tỉnh, Cờ thi đua). Orders,
/// medals, prizes, honours and badges are not recorded in danvan: by hand.
fn col_of(form: &str, a: Award) -> Option<&'static str> {
    match (form, a) {
        ("0602", Award::GovernmentEmulationFlag) => Some("6"),
        ("0602", Award::PrimeMinisterCommendation) => Some("7"),
        ("0602", Award::NationalEmulationFighter) => Some("8"),
        ("0603", Award::ProvincialCommendation) => Some("2"),
        ("0603", Award::ProvincialEmulationFighter) => Some("3"),
        ("0603", Award::ProvincialEmulationFlag) => Some("4"),
        _ => None,
    }
}

/// Forms 0602 and 0603 — the row of the recipient: collective, household, individual. The
/// lines under them (enterprises; the individuals by position) and the rows by the body that
/// submitted the award and by method are by hand.
fn row_of(form: &str, k: RecipientKind) -> &'static str {
    match (form, k) {
        ("0602", RecipientKind::Collective) => "6",
        ("0602", RecipientKind::Household) => "8",
        ("0602", RecipientKind::Individual) => "9",
        (_, RecipientKind::Collective) => "02",
        (_, RecipientKind::Household) => "04",
        (_, RecipientKind::Individual) => "05",
    }
}

/// What the database gives for one subtree and period.
struct Facts {
    movements: Vec<MovementFact>,
    awards: Vec<AwardFact>,
    kinds: HashMap<UnitId, UnitKind>,
}

struct Tally<'a> {
    form: &'a FormDef,
    counts: BTreeMap<Cell, u64>,
}

impl<'a> Tally<'a> {
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
}

/// Counts the facts into `form`: the cells answered, the cells by hand, the notes.
fn compute(form: &FormDef, f: &Facts) -> (BTreeMap<Cell, u64>, BTreeSet<Cell>, Vec<Note>) {
    let mut t = Tally { form, counts: BTreeMap::new() };
    let mut notes = vec![];
    let short = form.short_code();
    match short {
        "0601" => {
            let rows = ["03", "04", "05", "06", "07", "08", "09", "10", "11", "12"];
            rows.iter().for_each(|r| ["3", "4"].iter().for_each(|c| t.answer(r, c)));
            let mut unplaced = 0;
            for m in &f.movements {
                let placed = level_of(&m.unit_path, &f.kinds).is_some_and(|l| {
                    // Every row is counted, whatever the first answers: no short circuit.
                    rows_0601(m, l).iter().map(|r| t.add(r, col_0601(l))).collect::<Vec<_>>().into_iter().all(|ok| ok)
                });
                if !placed {
                    unplaced += 1;
                }
            }
            if unplaced > 0 {
                notes.push(Note::Unplaced { fact: Fact::Movements, count: unplaced });
            }
        }
        "0602" | "0603" => {
            for a in Award::ALL.iter().filter_map(|a| col_of(short, *a)) {
                RecipientKind::ALL.iter().for_each(|k| t.answer(row_of(short, *k), a));
            }
            for a in &f.awards {
                if let Some(col) = col_of(short, a.award) {
                    t.add(row_of(short, a.recipient_kind), col);
                }
            }
            let grassroots = f.awards.iter().filter(|a| a.award.level() == AwardLevel::Grassroots).count() as u64;
            notes.push(Note::Grassroots { count: grassroots });
        }
        // 0604, 0605: the organisation and staff of the work are not kept in danvan.
        _ => {}
    }
    let by_hand: BTreeSet<Cell> = form
        .rows
        .iter()
        .flat_map(|r| form.cols.iter().map(move |c| (r.code, c.code)))
        .filter(|(r, c)| form.is_input(r, c) && !t.counts.contains_key(&(r.to_string(), c.to_string())))
        .map(|(r, c)| (r.to_string(), c.to_string()))
        .collect();
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
            let u = app.store.get_unit_by_code_or_name(c).await?;
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
    let (from, to) = report_period(year).ok_or(AppError::NotFound)?;
    let s = &app.store;
    let movements = s.statistics_movements(&unit.path, from, to).await?;
    let awards = s.statistics_awards(&unit.path, from, to).await?;
    let mut ids: BTreeSet<UnitId> = BTreeSet::new();
    for m in &movements {
        ids.extend(danvan_store::org::units::path_ids(&m.unit_path));
    }
    let units = s.get_units(&ids.into_iter().collect::<Vec<_>>()).await?;
    let kinds = units.into_iter().map(|u| (u.id, u.kind)).collect();
    let facts = Facts { movements, awards, kinds };
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
