//! The tables of the forms, on facts made up here (the database side is in
//! `danvan-testkit/tests/it/emulation_statistics.rs`).

use super::*;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// City 1 > ward 2 > (group 3, committee 4, Front 5); district 6 under the city.
fn kinds() -> HashMap<UnitId, UnitKind> {
    [
        (1, UnitKind::City),
        (2, UnitKind::Ward),
        (3, UnitKind::ResidentialGroup),
        (4, UnitKind::PeoplesCommittee),
        (5, UnitKind::FatherlandFront),
        (6, UnitKind::District),
    ]
    .into_iter()
    .collect()
}

fn award(award: Award, kind: RecipientKind) -> AwardFact {
    AwardFact { id: 0, award, recipient_kind: kind }
}

fn movement(kind: PeriodKind, from: NaiveDate, to: NaiveDate, path: &str) -> MovementFact {
    MovementFact { id: 0, period_kind: kind, starts_on: from, ends_on: to, unit_path: path.into(), in_cluster: false }
}

fn cell(c: &BTreeMap<Cell, u64>, r: &str, col: &str) -> Option<u64> {
    c.get(&(r.to_string(), col.to_string())).copied()
}

#[test]
fn levels_follow_the_territory_above_a_body() {
    let k = kinds();
    assert_eq!(level_of("/1/", &k), Some(Level::Province));
    assert_eq!(level_of("/1/2/", &k), Some(Level::Commune));
    assert_eq!(level_of("/1/2/3/", &k), Some(Level::Commune), "a residential group reports with its ward");
    assert_eq!(level_of("/1/2/4/", &k), Some(Level::Commune), "the ward's people's committee");
    assert_eq!(level_of("/1/2/5/", &k), Some(Level::Organisation), "the ward's Front");
    assert_eq!(level_of("/1/6/", &k), Some(Level::District));
    assert_eq!(level_of("/9/", &k), None, "unknown unit");
}

#[test]
fn a_movement_counts_once_per_breakdown_in_its_launching_levels_column() {
    let k = kinds();
    let m = |to| movement(PeriodKind::Annual, d(2025, 1, 1), to, "/1/2/");
    assert_eq!(rows_0601(&m(d(2025, 6, 30)), Level::Commune), ["05", "06", "12"], "six months");
    assert_eq!(rows_0601(&m(d(2025, 12, 31)), Level::Commune), ["05", "07", "12"], "one year, to the day");
    assert_eq!(rows_0601(&m(d(2026, 1, 1)), Level::Commune), ["05", "08", "12"], "a day over a year");
    assert_eq!(rows_0601(&m(d(2027, 12, 30)), Level::Commune), ["05", "08", "12"], "a day short of three years");
    assert_eq!(rows_0601(&m(d(2027, 12, 31)), Level::Commune), ["05", "09", "12"], "three years");
    assert_eq!(rows_0601(&m(d(2029, 12, 31)), Level::Commune), ["05", "10", "12"], "five years");
    let t = movement(PeriodKind::Thematic, d(2025, 3, 1), d(2025, 6, 30), "/1/");
    assert_eq!(rows_0601(&t, Level::Province), ["03", "06", "11"]);
    let c = MovementFact { in_cluster: true, ..t };
    assert_eq!(rows_0601(&c, Level::Province), ["04", "06", "11"], "a cluster's movement");
    assert_eq!(col_0601(level_of("/1/", &k).unwrap()), "3");
    assert_eq!(col_0601(level_of("/1/2/5/", &k).unwrap()), "4");
    assert_eq!(col_0601(level_of("/1/6/", &k).unwrap()), "4", "the form has no district column");
}

#[test]
fn the_report_period_runs_from_december_to_november() {
    assert_eq!(report_period(2025), Some((d(2024, 12, 1), d(2025, 11, 30))));
}

#[test]
fn form_0601_counts_movements_by_scope_duration_and_method() {
    let facts = Facts {
        movements: vec![
            movement(PeriodKind::Annual, d(2025, 1, 1), d(2025, 12, 31), "/1/2/"),
            movement(PeriodKind::Thematic, d(2025, 5, 1), d(2025, 8, 31), "/1/2/5/"),
            movement(PeriodKind::MultiYear, d(2025, 1, 1), d(2027, 12, 31), "/1/"),
            movement(PeriodKind::Annual, d(2025, 1, 1), d(2025, 12, 31), "/9/"),
        ],
        awards: vec![],
        kinds: kinds(),
    };
    for year in [2024, 2025] {
        let (c, hand, notes) = compute(&form_for("0601.N/BNV-TĐKT", year).unwrap(), &facts);
        assert_eq!(cell(&c, "05", "4"), Some(2), "the ward's and its Front's");
        assert_eq!(cell(&c, "03", "3"), Some(1), "the city's");
        assert_eq!(cell(&c, "07", "4"), Some(1));
        assert_eq!(cell(&c, "06", "4"), Some(1));
        assert_eq!(cell(&c, "09", "3"), Some(1));
        assert_eq!(cell(&c, "11", "4"), Some(1));
        assert_eq!(cell(&c, "12", "4"), Some(1));
        assert_eq!(cell(&c, "12", "3"), Some(1));
        assert_eq!(cell(&c, "04", "4"), Some(0), "answered, none");
        assert_eq!(cell(&c, "01", "4"), None, "a total is a formula");
        assert!(hand.contains(&("02".to_string(), "2".to_string())), "the central council's column by hand");
        assert!(!hand.contains(&("05".to_string(), "4".to_string())));
        assert_eq!(notes, vec![Note::Unplaced { fact: Fact::Movements, count: 1 }], "a unit of unknown level");
    }
}

#[test]
fn forms_0602_and_0603_place_state_and_provincial_awards_by_award_and_recipient() {
    use Award::*;
    use RecipientKind::*;
    let facts = Facts {
        movements: vec![],
        awards: vec![
            award(CertificateOfMerit, Individual),
            award(CertificateOfMerit, Household),
            award(AdvancedCollective, Collective),
            award(ProvincialCommendation, Individual),
            award(ProvincialCommendation, Household),
            award(ProvincialEmulationFlag, Collective),
            award(ProvincialEmulationFighter, Individual),
            award(PrimeMinisterCommendation, Collective),
            award(NationalEmulationFighter, Individual),
            award(GovernmentEmulationFlag, Collective),
        ],
        kinds: kinds(),
    };
    let (c, hand, notes) = compute(&form_for("0602.N/BNV-TĐKT", 2025).unwrap(), &facts);
    assert_eq!(cell(&c, "6", "7"), Some(1), "the Prime Minister's Bằng khen to a collective");
    assert_eq!(cell(&c, "9", "8"), Some(1), "Chiến sĩ thi đua toàn quốc");
    assert_eq!(cell(&c, "6", "6"), Some(1), "the Government's flag");
    assert_eq!(cell(&c, "8", "7"), Some(0));
    assert_eq!(c.values().sum::<u64>(), 3, "the provincial and grassroots awards are not on 0602");
    assert!(hand.contains(&("6".to_string(), "2".to_string())), "orders and medals by hand");
    assert!(hand.contains(&("10".to_string(), "7".to_string())), "the individuals by position by hand");
    assert!(hand.contains(&("2".to_string(), "7".to_string())), "the submitting body by hand");
    assert!(hand.contains(&("15".to_string(), "7".to_string())), "the method by hand");
    assert_eq!(notes, vec![Note::Grassroots { count: 3 }]);

    let (c, hand, notes) = compute(&form_for("0603.N/BNV-TĐKT", 2025).unwrap(), &facts);
    assert_eq!(cell(&c, "05", "2"), Some(1), "a provincial Bằng khen to a person");
    assert_eq!(cell(&c, "04", "2"), Some(1), "to a household");
    assert_eq!(cell(&c, "02", "4"), Some(1), "the provincial flag");
    assert_eq!(cell(&c, "05", "3"), Some(1), "Chiến sĩ thi đua cấp tỉnh");
    assert_eq!(c.values().sum::<u64>(), 4);
    assert!(hand.contains(&("05".to_string(), "5".to_string())), "badges by hand");
    assert_eq!(notes, vec![Note::Grassroots { count: 3 }]);
}

#[test]
fn forms_0604_and_0605_are_filled_by_hand() {
    let facts =
        Facts { movements: vec![], awards: vec![award(Award::CertificateOfMerit, RecipientKind::Individual)], kinds: kinds() };
    for form in ["0604.N/BNV-TĐKT", "0605.N/BNV-TĐKT"] {
        let f = form_for(form, 2025).unwrap();
        let (c, hand, notes) = compute(&f, &facts);
        assert!(c.is_empty() && notes.is_empty(), "{form}: not kept in danvan");
        assert!(!hand.is_empty(), "{form}");
    }
}
