//! The tables of the forms, on facts made up here (the database side is in
//! `danvan-testkit/tests/it/emulation_statistics.rs`).

use super::*;

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

fn award(award: Award, kind: RecipientKind, woman: bool, issuer: Option<&str>) -> AwardFact {
    AwardFact { id: 0, award, recipient_kind: kind, woman, decision_issuer: issuer.map(str::to_string), named_issuer: None }
}

fn movement(kind: PeriodKind, from: NaiveDate, to: NaiveDate, path: &str) -> MovementFact {
    MovementFact { id: 0, period_kind: kind, starts_on: from, ends_on: to, unit_path: path.into() }
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
fn a_movement_of_twelve_months_is_one_year_or_less() {
    let m = |to| movement(PeriodKind::Annual, d(2025, 1, 1), to, "/1/2/");
    assert_eq!(cols_0601(&m(d(2025, 12, 31))), ["2", "4"]);
    assert_eq!(cols_0601(&m(d(2026, 1, 1))), ["2", "5"]);
    let t = movement(PeriodKind::Thematic, d(2025, 3, 1), d(2025, 6, 30), "/1/2/");
    assert_eq!(cols_0601(&t), ["3", "4"]);
}

#[test]
fn form_0601_counts_by_level_and_leaves_the_review_column_by_hand() {
    let facts = Facts {
        movements: vec![
            movement(PeriodKind::Annual, d(2025, 1, 1), d(2025, 12, 31), "/1/2/"),
            movement(PeriodKind::Thematic, d(2025, 5, 1), d(2025, 8, 31), "/1/2/5/"),
            movement(PeriodKind::MultiYear, d(2025, 1, 1), d(2027, 12, 31), "/1/6/"),
        ],
        awards: vec![],
        resolved: vec![],
        kinds: kinds(),
    };
    let (c, hand, notes) = compute(&form_for("0601.N/BNV-TĐKT", 2025).unwrap(), &facts);
    assert_eq!(cell(&c, "04", "2"), Some(1));
    assert_eq!(cell(&c, "04", "4"), Some(1));
    assert_eq!(cell(&c, "05", "3"), Some(1));
    assert_eq!(cell(&c, "02", "2"), Some(0), "answered, none");
    assert!(hand.contains(&("04".to_string(), "6".to_string())));
    assert!(!hand.contains(&("04".to_string(), "2".to_string())));
    // The district's movement has no row in the 2025 version.
    assert_eq!(notes, vec![Note::Unplaced { fact: Fact::Movements, count: 1 }]);
    // The 2023 version has the district row.
    let (c, _, notes) = compute(&form_for("0601.N/BNV-TĐKT", 2024).unwrap(), &facts);
    assert_eq!(cell(&c, "03", "2"), Some(1));
    assert_eq!(cell(&c, "03", "5"), Some(1));
    assert!(notes.is_empty());
}

#[test]
fn forms_0602_to_0604_place_awards_by_level_award_and_recipient() {
    use Award::*;
    use RecipientKind::*;
    let facts = Facts {
        movements: vec![],
        awards: vec![
            award(CertificateOfMerit, Individual, true, Some("/1/2/4/")),
            award(CertificateOfMerit, Household, false, Some("/1/2/4/")),
            award(AdvancedWorker, Individual, false, Some("/1/2/4/")),
            award(AdvancedCollective, Collective, false, Some("/1/2/5/")),
            award(ProvincialCommendation, Individual, true, None),
            award(GrassrootsEmulationFighter, Individual, false, None),
        ],
        resolved: vec![ResolvedFact { nomination_id: 1, issuer_path: "/1/2/4/".into() }],
        kinds: kinds(),
    };
    let (c, hand, notes) = compute(&form_for("0602.N/BNV-TĐKT", 2025).unwrap(), &facts);
    assert_eq!(cell(&c, "08", "3"), Some(2), "two Giấy khen of the ward's committee");
    assert_eq!(cell(&c, "08", "2"), Some(1));
    assert_eq!(cell(&c, "09", "2"), Some(1), "the Front's title");
    assert_eq!(cell(&c, "06", "3"), Some(1));
    assert_eq!(cell(&c, "08", "4"), Some(1));
    assert!(hand.contains(&("03".to_string(), "2".to_string())), "the President's awards by hand");
    assert_eq!(notes, vec![Note::Unplaced { fact: Fact::Awards, count: 1 }], "a grassroots award of an unknown body");

    let (c, hand, _) = compute(&form_for("0603.N/BNV-TĐKT", 2025).unwrap(), &facts);
    assert_eq!(cell(&c, "19", "2"), Some(1));
    assert_eq!(cell(&c, "19", "4"), Some(1));
    assert_eq!(cell(&c, "10", "3"), Some(1));
    assert_eq!(cell(&c, "05", "2"), Some(1));
    assert_eq!(cell(&c, "13", "2"), None);
    assert!(hand.contains(&("13".to_string(), "2".to_string())));
    assert!(hand.contains(&("19".to_string(), "5".to_string())));

    let (c, hand, notes) = compute(&form_for("0604.N/BNV-TĐKT", 2025).unwrap(), &facts);
    assert_eq!(cell(&c, "07", "1"), Some(1));
    assert_eq!(cell(&c, "08", "1"), Some(1));
    assert!(hand.contains(&("03".to_string(), "1".to_string())));
    assert!(notes.contains(&Note::Known { row: "02", col: "1", value: 4 }));
    assert!(notes.contains(&Note::Known { row: "02", col: "2", value: 2 }));

    let (c, hand, _) = compute(&form_for("0605.N/BNV-TĐKT", 2025).unwrap(), &facts);
    assert!(c.is_empty(), "the staff are not kept in danvan");
    assert!(hand.contains(&("04".to_string(), "3".to_string())));
}
