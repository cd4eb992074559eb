//! The organisation tree (RULES.md §1): units of any depth and kind, effective-dated, with
//! successors when dissolved.

use crate::errors::FieldErrors;
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub type UnitId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Province,
    City,
    Commune,
    Ward,
    SpecialZone,
    District,
    ResidentialGroup,
    Village,
    PartyCommittee,
    PeoplesCouncil,
    PeoplesCommittee,
    Agency,
    FatherlandFront,
    MassOrganization,
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 15] = [
        UnitKind::Province,
        UnitKind::City,
        UnitKind::Commune,
        UnitKind::Ward,
        UnitKind::SpecialZone,
        UnitKind::District,
        UnitKind::ResidentialGroup,
        UnitKind::Village,
        UnitKind::PartyCommittee,
        UnitKind::PeoplesCouncil,
        UnitKind::PeoplesCommittee,
        UnitKind::Agency,
        UnitKind::FatherlandFront,
        UnitKind::MassOrganization,
        UnitKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::City => "city",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::SpecialZone => "special_zone",
            UnitKind::District => "district",
            UnitKind::ResidentialGroup => "residential_group",
            UnitKind::Village => "village",
            UnitKind::PartyCommittee => "party_committee",
            UnitKind::PeoplesCouncil => "peoples_council",
            UnitKind::PeoplesCommittee => "peoples_committee",
            UnitKind::Agency => "agency",
            UnitKind::FatherlandFront => "fatherland_front",
            UnitKind::MassOrganization => "mass_organization",
            UnitKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        let s = s.trim();
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Territorial units are places (a province, a ward, a residential group); the others are
    /// bodies that act for a territory.
    pub fn is_territorial(self) -> bool {
        matches!(
            self,
            UnitKind::Province
                | UnitKind::City
                | UnitKind::Commune
                | UnitKind::Ward
                | UnitKind::SpecialZone
                | UnitKind::District
                | UnitKind::ResidentialGroup
                | UnitKind::Village
        )
    }
}

impl std::fmt::Display for UnitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the store decodes a stored kind: an unknown name is an error, never a default.
impl TryFrom<String> for UnitKind {
    type Error = crate::UnknownValue;
    fn try_from(s: String) -> Result<UnitKind, Self::Error> {
        UnitKind::parse(&s).ok_or(crate::UnknownValue { what: "unit kind", value: s })
    }
}

/// What a user submits to create or edit a unit, before validation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<UnitId>,
    pub territory_id: Option<UnitId>,
    pub effective_from: Option<NaiveDate>,
    pub remote_area: bool,
}

/// A validated unit draft: cleaned strings, parsed kind.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitDraft {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<UnitId>,
    pub territory_id: Option<UnitId>,
    pub effective_from: Option<NaiveDate>,
    pub remote_area: bool,
}

/// Codes are what officials type and what CSV files join on: letters, digits, `-`, `_`, `.`.
pub fn validate_code(code: &str) -> Result<String, &'static str> {
    let code = code.trim();
    if code.is_empty() {
        return Err("error.required");
    }
    if code.chars().count() > 40 {
        return Err("error.too_long");
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err("error.code_chars");
    }
    Ok(code.to_string())
}

pub fn validate_unit(input: &UnitInput) -> Result<UnitDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = validate_code(&input.code).map_err(|k| errors.add("code", k)).ok();
    let name = text::clean(&input.name);
    if name.is_empty() {
        errors.add("name", "error.required");
    } else if name.chars().count() > 200 {
        errors.add("name", "error.too_long");
    }
    let kind = UnitKind::parse(&input.kind);
    if kind.is_none() {
        errors.add("kind", if input.kind.trim().is_empty() { "error.required" } else { "error.unit_kind" });
    }
    match (code, kind, errors.is_empty()) {
        (Some(code), Some(kind), true) => Ok(UnitDraft {
            code,
            name,
            kind,
            parent_id: input.parent_id,
            territory_id: input.territory_id,
            effective_from: input.effective_from,
            remote_area: input.remote_area,
        }),
        _ => Err(errors),
    }
}

/// A unit's period of effect as a user gives it (the unit forms, the API, the units CSV): each
/// day from 1945 to ten years ahead, like every planned date (`calendar::check_date`), and the
/// last day not before the first. Errors under `effective_from` and `effective_to`.
pub fn check_period(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> FieldErrors {
    use crate::calendar::{check_date, DateRange};
    let mut e = FieldErrors::new();
    let from = from.and_then(|d| check_date(d, today, DateRange::Planning).map_err(|k| e.add("effective_from", k)).ok());
    let to = to.and_then(|d| check_date(d, today, DateRange::Planning).map_err(|k| e.add("effective_to", k)).ok());
    if from.zip(to).is_some_and(|(f, t)| t < f) {
        e.add("effective_to", "error.date_before_start");
    }
    e
}

/// The day a dissolution takes effect: bounded like every planned date, and not before the unit
/// itself took effect (`effective_from`). The key of the field error when not.
pub fn check_dissolution_day(
    on: NaiveDate,
    effective_from: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, &'static str> {
    let on = crate::calendar::check_date(on, today, crate::calendar::DateRange::Planning)?;
    if effective_from.is_some_and(|f| on < f) {
        return Err("error.date_before_start");
    }
    Ok(on)
}

/// The dates of a units CSV's rows that parse (the others are `order_import`'s to report),
/// checked by [`check_period`]; errors under `row N` as the import names them.
pub fn check_import_dates(rows: &[UnitCsvRow], today: NaiveDate) -> Result<(), FieldErrors> {
    let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let mut e = FieldErrors::new();
    for (i, r) in rows.iter().enumerate() {
        let line = format!("row {}", i + 2);
        for err in check_period(day(&r.effective_from), day(&r.effective_to), today).0 {
            e.add(&line, &err.key);
        }
    }
    e.into_result()
}

/// Moving `unit` under `new_parent` would create a cycle when the unit is the new parent or one of
/// its ancestors. `new_parent_ancestry` lists the new parent's ancestors from the root, itself last.
pub fn creates_cycle(unit: UnitId, new_parent_ancestry: &[UnitId]) -> bool {
    new_parent_ancestry.contains(&unit)
}

/// Paths ('/1/5/23/') and depths of every unit from its parent link, or the id of a unit caught
/// in a cycle. Used to repair the materialised paths after a bulk change.
pub fn compute_paths(links: &[(UnitId, Option<UnitId>)]) -> Result<std::collections::HashMap<UnitId, (String, i64)>, UnitId> {
    use std::collections::HashMap;
    let parent: HashMap<UnitId, Option<UnitId>> = links.iter().copied().collect();
    let mut done: HashMap<UnitId, (String, i64)> = HashMap::with_capacity(links.len());
    for (start, _) in links {
        // Walk up until a known unit or the root, then fill the chain in top-down.
        let mut chain = vec![];
        let mut cur = Some(*start);
        while let Some(id) = cur {
            if done.contains_key(&id) {
                break;
            }
            if chain.contains(&id) || chain.len() > links.len() {
                return Err(id);
            }
            chain.push(id);
            cur = parent.get(&id).copied().flatten();
        }
        for id in chain.into_iter().rev() {
            let (ppath, pdepth) = match parent.get(&id).copied().flatten().and_then(|p| done.get(&p)) {
                Some((p, d)) => (p.clone(), *d),
                None => ("/".to_string(), -1),
            };
            done.insert(id, (format!("{ppath}{id}/"), pdepth + 1));
        }
    }
    Ok(done)
}

/// Why a unit cannot be deleted (dissolving is the way to retire a unit with history).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitUsage {
    pub children: i64,
    pub members: i64,
    pub open_work: i64,
}

pub fn check_deletable(usage: UnitUsage) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if usage.children > 0 {
        e.add("unit", "error.unit_has_children");
    }
    if usage.members > 0 {
        e.add("unit", "error.unit_has_members");
    }
    if usage.open_work > 0 {
        e.add("unit", "error.unit_has_open_work");
    }
    e.into_result()
}

/// A request to dissolve a unit: the successors, and for each child unit (sub-unit or territory)
/// which successor takes it over.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DissolutionRequest {
    pub successors: Vec<UnitId>,
    /// (child unit, successor that takes it over)
    pub assignments: Vec<(UnitId, UnitId)>,
    pub effective_on: Option<NaiveDate>,
}

/// Where each child goes: a successor, or the administrator's waiting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DissolutionPlan {
    pub moves: Vec<(UnitId, UnitId)>,
    pub unplaced: Vec<UnitId>,
}

/// Pure planning of a dissolution. With one successor everything goes to it; with several, each
/// child named in `assignments` goes to its successor and the rest wait for an administrator.
pub fn plan_dissolution(unit: UnitId, children: &[UnitId], request: &DissolutionRequest) -> Result<DissolutionPlan, FieldErrors> {
    let mut e = FieldErrors::new();
    if request.successors.is_empty() {
        e.add("successors", "error.successor_required");
    }
    if request.successors.contains(&unit) {
        e.add("successors", "error.successor_self");
    }
    for (child, succ) in &request.assignments {
        if !children.contains(child) {
            e.add("assignments", "error.assignment_not_child");
        }
        if !request.successors.contains(succ) {
            e.add("assignments", "error.assignment_not_successor");
        }
    }
    e.into_result()?;
    let mut plan = DissolutionPlan { moves: vec![], unplaced: vec![] };
    for child in children {
        let target = if request.successors.len() == 1 {
            Some(request.successors[0])
        } else {
            request.assignments.iter().find(|(c, _)| c == child).map(|(_, s)| *s)
        };
        match target {
            Some(s) => plan.moves.push((*child, s)),
            None => plan.unplaced.push(*child),
        }
    }
    Ok(plan)
}

/// One row of the units CSV (`code,name,kind,parent_code[,effective_from,effective_to]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct UnitCsvRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub parent_code: String,
    #[serde(default)]
    pub effective_from: String,
    #[serde(default)]
    pub effective_to: String,
    /// Whether the file had the date columns: without them, import keeps the dates a unit has
    /// (re-importing a four-column list must not revive dissolved units).
    #[serde(skip)]
    pub has_dates: bool,
}

/// Orders CSV rows so that each parent comes before its children, and reports rows whose parent
/// is neither in the file nor already known, duplicates within the file, and cycles.
/// Returns the row indices in insertion order, or errors keyed by `row N`.
pub fn order_import(rows: &[UnitCsvRow], known_code: impl Fn(&str) -> bool) -> Result<Vec<usize>, FieldErrors> {
    use std::collections::HashMap;
    let mut e = FieldErrors::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let line = format!("row {}", i + 2);
        let code = r.code.trim();
        if let Err(k) = validate_code(code) {
            e.add(&line, k);
            continue;
        }
        if index.insert(code, i).is_some() {
            e.add(&line, "error.code_duplicate");
        }
        if UnitKind::parse(&r.kind).is_none() {
            e.add(&line, "error.unit_kind");
        }
        if text::clean(&r.name).is_empty() {
            e.add(&line, "error.required");
        }
        for d in [&r.effective_from, &r.effective_to] {
            if !d.trim().is_empty() && NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").is_err() {
                e.add(&line, "error.date");
            }
        }
    }
    for (i, r) in rows.iter().enumerate() {
        let p = r.parent_code.trim();
        if !p.is_empty() && !index.contains_key(p) && !known_code(p) {
            e.add(&format!("row {}", i + 2), "error.parent_unknown");
        }
    }
    e.into_result()?;
    // Depth-first placement; a visiting mark detects cycles within the file.
    let mut state = vec![0u8; rows.len()]; // 0 new, 1 visiting, 2 placed
    let mut order = Vec::with_capacity(rows.len());
    for start in 0..rows.len() {
        let mut chain = vec![];
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                2 => break,
                1 => return Err(FieldErrors::one(&format!("row {}", i + 2), "error.cycle")),
                _ => {
                    state[i] = 1;
                    chain.push(i);
                    cur = index.get(rows[i].parent_code.trim()).copied();
                }
            }
        }
        for i in chain.into_iter().rev() {
            state[i] = 2;
            order.push(i);
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, parent: &str) -> UnitCsvRow {
        UnitCsvRow {
            code: code.into(),
            name: format!("Đơn vị {code}"),
            kind: "ward".into(),
            parent_code: parent.into(),
            ..Default::default()
        }
    }

    #[test]
    fn validate_unit_reports_each_bad_field() {
        let e = validate_unit(&UnitInput { code: "a b".into(), name: "  ".into(), kind: "castle".into(), ..Default::default() })
            .unwrap_err();
        assert_eq!(e.get("code"), Some("error.code_chars"));
        assert_eq!(e.get("name"), Some("error.required"));
        assert_eq!(e.get("kind"), Some("error.unit_kind"));
        let ok = validate_unit(&UnitInput {
            code: " C00073 ".into(),
            name: "Phường  Cửa Nam".into(),
            kind: "ward".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.code, "C00073");
        assert_eq!(ok.name, "Phường Cửa Nam");
        assert_eq!(ok.kind, UnitKind::Ward);
    }

    #[test]
    fn a_units_dates_are_bounded_and_in_order() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 12, 7);
        assert!(check_period(Some(d(1945, 1, 1)), Some(d(2036, 12, 7)), today).is_empty());
        assert!(check_period(None, None, today).is_empty());
        let e = check_period(Some(NaiveDate::MIN), Some(NaiveDate::MAX), today);
        assert_eq!(e.get("effective_from"), Some("error.date_too_early"));
        assert_eq!(e.get("effective_to"), Some("error.date_too_late"));
        let e = check_period(Some(d(2025, 7, 1)), Some(d(2025, 6, 30)), today);
        assert_eq!(e.get("effective_to"), Some("error.date_before_start"));
        assert_eq!(check_dissolution_day(d(2025, 6, 30), Some(d(2020, 1, 1)), today), Ok(d(2025, 6, 30)));
        assert_eq!(check_dissolution_day(d(2019, 6, 30), Some(d(2020, 1, 1)), today), Err("error.date_before_start"));
        assert_eq!(check_dissolution_day(NaiveDate::MIN, None, today), Err("error.date_too_early"));
        let rows = [
            UnitCsvRow { effective_from: "-262143-01-10".into(), ..row("A", "") },
            UnitCsvRow { effective_to: "not a date".into(), ..row("B", "") },
            UnitCsvRow { effective_from: "2025-07-01".into(), effective_to: "2025-06-30".into(), ..row("C", "") },
        ];
        let e = check_import_dates(&rows, today).unwrap_err();
        assert_eq!(e.get("row 2"), Some("error.date_too_early"));
        assert_eq!(e.get("row 3"), None, "unreadable dates are order_import's to report");
        assert_eq!(e.get("row 4"), Some("error.date_before_start"));
    }

    #[test]
    fn kinds_round_trip() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn cycle_when_new_parent_is_self_or_descendant() {
        // tree 1 → 2 → 3; moving 1 under 3 (ancestry of 3 = [1,2,3]) is a cycle
        assert!(creates_cycle(1, &[1, 2, 3]));
        assert!(creates_cycle(3, &[1, 2, 3]));
        assert!(!creates_cycle(4, &[1, 2, 3]));
    }

    #[test]
    fn paths_follow_parent_links_and_cycles_are_caught() {
        let p = compute_paths(&[(3, Some(2)), (1, None), (2, Some(1)), (4, None)]).unwrap();
        assert_eq!(p[&3], ("/1/2/3/".to_string(), 2));
        assert_eq!(p[&4], ("/4/".to_string(), 0));
        assert!(compute_paths(&[(1, Some(2)), (2, Some(1))]).is_err());
        assert!(compute_paths(&[(1, Some(1))]).is_err());
    }

    #[test]
    fn deleting_a_used_unit_is_refused() {
        assert!(check_deletable(UnitUsage { children: 0, members: 0, open_work: 0 }).is_ok());
        let e = check_deletable(UnitUsage { children: 0, members: 2, open_work: 1 }).unwrap_err();
        assert_eq!(e.0.len(), 2);
    }

    #[test]
    fn dissolution_with_one_successor_moves_everything() {
        let p = plan_dissolution(1, &[10, 11], &DissolutionRequest { successors: vec![5], ..Default::default() }).unwrap();
        assert_eq!(p.moves, vec![(10, 5), (11, 5)]);
        assert!(p.unplaced.is_empty());
    }

    #[test]
    fn dissolution_with_several_successors_leaves_unassigned_children_waiting() {
        let req = DissolutionRequest { successors: vec![5, 6], assignments: vec![(10, 6)], effective_on: None };
        let p = plan_dissolution(1, &[10, 11], &req).unwrap();
        assert_eq!(p.moves, vec![(10, 6)]);
        assert_eq!(p.unplaced, vec![11]);
    }

    #[test]
    fn dissolution_refuses_bad_requests() {
        assert!(plan_dissolution(1, &[], &DissolutionRequest::default()).is_err());
        assert!(plan_dissolution(1, &[], &DissolutionRequest { successors: vec![1], ..Default::default() }).is_err());
        let req = DissolutionRequest { successors: vec![5], assignments: vec![(99, 5)], effective_on: None };
        assert!(plan_dissolution(1, &[10], &req).is_err());
        let req = DissolutionRequest { successors: vec![5], assignments: vec![(10, 7)], effective_on: None };
        assert!(plan_dissolution(1, &[10], &req).is_err());
    }

    #[test]
    fn import_orders_parents_first() {
        let rows = vec![row("C2", "C1"), row("C3", "C2"), row("C1", "")];
        let order = order_import(&rows, |_| false).unwrap();
        let pos = |c: &str| order.iter().position(|&i| rows[i].code == c).unwrap();
        assert!(pos("C1") < pos("C2") && pos("C2") < pos("C3"));
    }

    #[test]
    fn import_accepts_known_parents_and_refuses_unknown_ones() {
        let rows = vec![row("C2", "P01")];
        assert!(order_import(&rows, |c| c == "P01").is_ok());
        let e = order_import(&rows, |_| false).unwrap_err();
        assert_eq!(e.get("row 2"), Some("error.parent_unknown"));
    }

    #[test]
    fn import_refuses_duplicates_and_cycles() {
        let e = order_import(&[row("A", ""), row("A", "")], |_| false).unwrap_err();
        assert_eq!(e.get("row 3"), Some("error.code_duplicate"));
        let e = order_import(&[row("A", "B"), row("B", "A")], |_| false).unwrap_err();
        assert_eq!(e.0[0].key, "error.cycle");
    }
}
