use super::*;

const CITY: UnitId = 1;
const WARD_A: UnitId = 2;
const WARD_B: UnitId = 3;
const GROUP_A1: UnitId = 4;
const A: &[UnitId] = &[CITY, WARD_A];
const B: &[UnitId] = &[CITY, WARD_B];
const A1: &[UnitId] = &[CITY, WARD_A, GROUP_A1];

fn member(unit: UnitId, role: Role) -> Actor {
    Actor::Account { id: 100, memberships: vec![Membership { unit_id: unit, role }], unit_ancestries: vec![ancestry_of(unit)] }
}

fn ancestry_of(unit: UnitId) -> Vec<UnitId> {
    match unit {
        WARD_A => A.to_vec(),
        WARD_B => B.to_vec(),
        GROUP_A1 => A1.to_vec(),
        u => vec![u],
    }
}

fn account(id: AccountId, unit: UnitId, role: Role) -> Actor {
    Actor::Account { id, memberships: vec![Membership { unit_id: unit, role }], unit_ancestries: vec![ancestry_of(unit)] }
}

#[test]
fn emulation_records_are_for_the_person_their_leaders_and_the_emulation_officers() {
    let record = |account| Resource::EmulationRecord { unit_ancestry: A1, account };
    let emulation = member(WARD_A, Role::Emulation);
    assert!(authorize(&emulation, Action::Update, record(None)).is_ok());
    let leader = member(WARD_A, Role::Leader);
    assert!(authorize(&leader, Action::View, record(None)).is_ok());
    assert_eq!(authorize(&leader, Action::Update, record(None)), Err(Denied::Forbidden));
    // The case officers, the other ward's emulation officer, viewers, the Front and the
    // administrators' system role see no personal record.
    for other in [
        member(WARD_A, Role::Officer),
        member(WARD_B, Role::Emulation),
        member(WARD_A, Role::Viewer),
        member(WARD_A, Role::Front),
        member(CITY, Role::Admin),
    ] {
        assert_eq!(authorize(&other, Action::View, record(None)), Err(Denied::Forbidden));
    }
    let me = Actor::Account { id: 42, memberships: vec![], unit_ancestries: vec![] };
    assert!(authorize(&me, Action::View, record(Some(42))).is_ok());
    assert_eq!(authorize(&me, Action::Update, record(Some(42))), Err(Denied::Forbidden));
    assert_eq!(authorize(&me, Action::View, record(None)), Err(Denied::Forbidden));
    assert_eq!(authorize(&Actor::Anonymous, Action::View, record(None)), Err(Denied::NotSignedIn));
}

#[test]
fn emulation_work_is_kept_by_emulation_officers_and_decided_by_leaders() {
    let work = Resource::EmulationWork { unit_ancestry: A1 };
    let emulation = member(WARD_A, Role::Emulation);
    let leader = member(WARD_A, Role::Leader);
    let officer = member(WARD_A, Role::Officer);
    assert!(authorize(&emulation, Action::Handle, work).is_ok());
    assert_eq!(authorize(&emulation, Action::Approve, work), Err(Denied::Forbidden));
    assert!(authorize(&leader, Action::Approve, work).is_ok());
    assert!(authorize(&officer, Action::View, work).is_ok());
    assert_eq!(authorize(&officer, Action::Handle, work), Err(Denied::Forbidden));
    for other in [member(WARD_B, Role::Emulation), member(WARD_B, Role::Leader)] {
        assert_eq!(authorize(&other, Action::View, work), Err(Denied::Forbidden));
    }
    assert_eq!(authorize(&Actor::Anonymous, Action::View, work), Err(Denied::NotSignedIn));
}

#[test]
fn a_review_report_is_read_by_those_who_read_the_cases_and_drafted_by_those_who_work_them() {
    let report = Resource::ReviewReport { unit_ancestry: A };
    for drafter in [member(WARD_A, Role::Leader), member(WARD_A, Role::Officer), member(WARD_A, Role::Oversight)] {
        assert!(authorize(&drafter, Action::Handle, report).is_ok());
    }
    // Only the party committee overseeing the territory issues it in the party committee's name.
    assert!(authorize(&member(WARD_A, Role::Oversight), Action::Approve, report).is_ok());
    for other in [member(WARD_A, Role::Leader), member(WARD_A, Role::Officer)] {
        assert_eq!(authorize(&other, Action::Approve, report), Err(Denied::Forbidden));
    }
    let viewer = member(WARD_A, Role::Viewer);
    assert!(authorize(&viewer, Action::View, report).is_ok());
    assert_eq!(authorize(&viewer, Action::Handle, report), Err(Denied::Forbidden));
    // A sub-unit's leader, the other ward, the Front and the emulation officers read no report
    // over cases they do not read.
    for other in [
        member(GROUP_A1, Role::Leader),
        member(WARD_B, Role::Leader),
        member(WARD_A, Role::Front),
        member(WARD_A, Role::Emulation),
    ] {
        assert_eq!(authorize(&other, Action::View, report), Err(Denied::Forbidden));
    }
    assert_eq!(authorize(&Actor::Anonymous, Action::View, report), Err(Denied::NotSignedIn));
}

#[test]
fn a_council_vote_is_a_members_own_while_the_ballot_is_open() {
    let leader = member(WARD_A, Role::Leader);
    assert!(authorize(&leader, Action::Update, Resource::CouncilBallot { member: true, open: true }).is_ok());
    assert!(authorize(&leader, Action::Update, Resource::CouncilBallot { member: true, open: false }).is_err());
    assert!(authorize(&leader, Action::Update, Resource::CouncilBallot { member: false, open: true }).is_err());
    let admin = member(CITY, Role::Admin);
    assert!(authorize(&admin, Action::Update, Resource::CouncilBallot { member: false, open: true }).is_err());
}

#[test]
fn a_model_is_scored_by_its_field_teams_appraisers_until_the_decision() {
    let front = member(WARD_A, Role::Front);
    let open = Resource::Appraisal { member: true, open: true };
    let closed = Resource::Appraisal { member: true, open: false };
    let stranger = Resource::Appraisal { member: false, open: true };
    assert!(authorize(&front, Action::Update, open).is_ok());
    assert!(authorize(&front, Action::View, closed).is_ok(), "an appraiser still reads what they scored");
    assert_eq!(authorize(&front, Action::Update, closed), Err(Denied::Forbidden));
    assert_eq!(authorize(&front, Action::Approve, open), Err(Denied::Forbidden));
    // Not on the team: neither the ward's leader, its emulation officer nor an administrator.
    for other in [member(WARD_A, Role::Leader), member(WARD_A, Role::Emulation), member(CITY, Role::Admin)] {
        assert_eq!(authorize(&other, Action::Update, stranger), Err(Denied::Forbidden));
        assert_eq!(authorize(&other, Action::View, stranger), Err(Denied::Forbidden));
    }
    assert_eq!(authorize(&Actor::Anonymous, Action::Update, stranger), Err(Denied::NotSignedIn));
}

#[test]
fn admin_may_do_everything() {
    let admin = member(CITY, Role::Admin);
    assert!(authorize(&admin, Action::Update, Resource::System).is_ok());
    assert!(authorize(&admin, Action::View, Resource::AuditLog).is_ok());
    assert!(authorize(&admin, Action::Dissolve, Resource::Unit { ancestry: B }).is_ok());
    assert!(authorize(&admin, Action::ManageMembers, Resource::Membership { unit_ancestry: A, role: Role::Admin }).is_ok());
}

#[test]
fn leader_administers_only_below_their_unit() {
    let leader = member(WARD_A, Role::Leader);
    assert!(authorize(&leader, Action::View, Resource::Administration).is_ok());
    assert!(authorize(&leader, Action::CreateChild, Resource::Unit { ancestry: A }).is_ok());
    assert!(authorize(&leader, Action::Update, Resource::Unit { ancestry: A1 }).is_ok());
    assert_eq!(authorize(&leader, Action::Update, Resource::Unit { ancestry: A }), Err(Denied::Forbidden));
    assert_eq!(authorize(&leader, Action::CreateChild, Resource::Unit { ancestry: B }), Err(Denied::Forbidden));
    assert_eq!(authorize(&leader, Action::Update, Resource::Unit { ancestry: &[CITY, WARD_B, 9] }), Err(Denied::Forbidden));
    assert!(authorize(&leader, Action::ManageMembers, Resource::Membership { unit_ancestry: A1, role: Role::Officer }).is_ok());
    assert!(authorize(&leader, Action::ManageMembers, Resource::Membership { unit_ancestry: A1, role: Role::Admin }).is_err());
    assert!(authorize(&leader, Action::ManageMembers, Resource::Membership { unit_ancestry: B, role: Role::Viewer }).is_err());
    assert!(authorize(&leader, Action::View, Resource::AuditLog).is_err());
}

#[test]
fn officers_front_and_viewers_do_not_administer() {
    for role in [Role::Officer, Role::Front, Role::Viewer] {
        let a = member(WARD_A, role);
        assert_eq!(authorize(&a, Action::View, Resource::Administration), Err(Denied::Forbidden));
        assert!(authorize(&a, Action::CreateChild, Resource::Unit { ancestry: A }).is_err());
        assert!(authorize(&a, Action::Update, Resource::Unit { ancestry: A1 }).is_err());
        assert!(authorize(&a, Action::ViewMembers, Resource::Unit { ancestry: B }).is_ok());
    }
}

#[test]
fn contacts_only_for_leaders_and_officers_of_the_subtree() {
    assert!(authorize(&member(WARD_A, Role::Officer), Action::ViewContacts, Resource::Unit { ancestry: A1 }).is_ok());
    assert!(authorize(&member(WARD_A, Role::Officer), Action::ViewContacts, Resource::Unit { ancestry: B }).is_err());
    assert!(authorize(&member(WARD_A, Role::Front), Action::ViewContacts, Resource::Unit { ancestry: A1 }).is_err());
    assert!(authorize(&member(WARD_A, Role::Viewer), Action::ViewContacts, Resource::Unit { ancestry: A1 }).is_err());
}

#[test]
fn the_public_sees_units_but_not_people() {
    assert!(authorize(&Actor::Anonymous, Action::View, Resource::Unit { ancestry: A }).is_ok());
    assert_eq!(authorize(&Actor::Anonymous, Action::ViewMembers, Resource::Unit { ancestry: A }), Err(Denied::NotSignedIn));
    let citizen = Actor::Account { id: 7, memberships: vec![], unit_ancestries: vec![] };
    assert_eq!(authorize(&citizen, Action::ViewMembers, Resource::Unit { ancestry: A }), Err(Denied::Forbidden));
}

#[test]
fn cases_are_handled_by_their_subtree_and_denouncers_are_protected() {
    let case = |identity_protected, public, assignee| Resource::Case {
        unit_ancestry: A1,
        identity_protected,
        public,
        assignee,
        concerned: Concerned::default(),
    };
    let officer = account(5, WARD_A, Role::Officer);
    assert!(authorize(&officer, Action::Handle, case(false, false, None)).is_ok());
    assert!(authorize(&officer, Action::ViewContacts, case(false, false, None)).is_ok());
    assert!(authorize(&officer, Action::Approve, case(false, false, None)).is_err());
    assert!(authorize(&member(WARD_A, Role::Leader), Action::Approve, case(false, false, None)).is_ok());
    assert!(authorize(&member(WARD_B, Role::Leader), Action::View, case(false, false, None)).is_err());
    assert!(authorize(&member(WARD_A, Role::Viewer), Action::View, case(false, false, None)).is_ok());
    assert!(authorize(&member(WARD_A, Role::Viewer), Action::ViewContacts, case(false, false, None)).is_err());
    assert!(authorize(&member(WARD_A, Role::Front), Action::View, case(false, false, None)).is_err());
    assert!(authorize(&member(WARD_A, Role::Front), Action::View, case(false, true, None)).is_ok());
    assert!(authorize(&Actor::Anonymous, Action::View, case(false, true, None)).is_ok());
    // Denunciations: only the handling officer sees who denounced, not even an admin.
    assert!(authorize(&officer, Action::ViewContacts, case(true, false, Some(5))).is_ok());
    assert!(authorize(&member(WARD_A, Role::Leader), Action::ViewContacts, case(true, false, Some(5))).is_err());
    assert!(authorize(&member(CITY, Role::Admin), Action::ViewContacts, case(true, false, Some(5))).is_err());
    assert!(authorize(&officer, Action::ViewContacts, case(true, false, None)).is_err());
    // An administrator who gave themselves an officer's membership and the case still does
    // not read the sender; without a leader's membership they decide nothing on it.
    let admin_officer = Actor::Account {
        id: 5,
        memberships: vec![Membership { unit_id: CITY, role: Role::Admin }, Membership { unit_id: WARD_A, role: Role::Officer }],
        unit_ancestries: vec![vec![CITY], A.to_vec()],
    };
    assert!(authorize(&admin_officer, Action::ViewContacts, case(true, false, Some(5))).is_err());
    assert!(authorize(&admin_officer, Action::Approve, case(true, false, None)).is_err());
    assert!(authorize(&admin_officer, Action::Approve, case(false, false, None)).is_ok());
    assert!(authorize(&member(CITY, Role::Admin), Action::Approve, case(true, false, None)).is_err());
    assert!(authorize(&member(WARD_A, Role::Leader), Action::Approve, case(true, false, None)).is_ok());
}

#[test]
fn the_work_of_a_unit_is_read_by_its_subtree_and_the_front_reads_what_it_supports() {
    for role in [Role::Leader, Role::Officer, Role::Viewer] {
        assert!(authorize(&member(WARD_A, role), Action::ViewCases, Resource::Unit { ancestry: A1 }).is_ok(), "{role:?}");
        assert!(authorize(&member(WARD_A, role), Action::ViewCases, Resource::Unit { ancestry: B }).is_err(), "{role:?}");
    }
    let front = member(WARD_A, Role::Front);
    assert!(authorize(&front, Action::ViewCases, Resource::Unit { ancestry: A }).is_err());
    assert!(authorize(&front, Action::ViewSupportedCases, Resource::Unit { ancestry: A }).is_ok());
    assert!(authorize(&front, Action::ViewSupportedCases, Resource::Unit { ancestry: B }).is_err());
    assert!(authorize(&member(WARD_A, Role::Leader), Action::ManageTemplates, Resource::Unit { ancestry: A }).is_ok());
    assert!(authorize(&member(WARD_A, Role::Officer), Action::ManageTemplates, Resource::Unit { ancestry: A }).is_err());
}

#[test]
fn roles_for_people_queries_come_from_authorize() {
    assert_eq!(roles_allowed_on_unit(Action::Handle), vec![Role::Leader, Role::Officer]);
    assert_eq!(roles_allowed_on_unit(Action::Approve), vec![Role::Leader]);
    assert_eq!(sql_role_list(Action::Handle), "'leader', 'officer'");
    assert_eq!(system_roles(), vec![Role::Admin]);
}

#[test]
fn accounts_are_visible_to_themselves_and_their_leaders() {
    let ancestries = vec![A1.to_vec()];
    let res = Resource::Account { id: 55, unit_ancestries: &ancestries, is_admin: false };
    assert!(authorize(&member(WARD_A, Role::Leader), Action::View, res).is_ok());
    assert!(authorize(&member(WARD_B, Role::Leader), Action::View, res).is_err());
    assert!(authorize(&member(WARD_A, Role::Officer), Action::View, res).is_err());
    let me = Actor::Account { id: 55, memberships: vec![], unit_ancestries: vec![] };
    assert!(authorize(&me, Action::Update, res).is_ok());
    assert!(authorize(&me, Action::Delete, res).is_err());
    // Someone who also works for the city is seen by the ward leader but not changed.
    let wider = vec![A1.to_vec(), vec![CITY]];
    let wider_res = Resource::Account { id: 57, unit_ancestries: &wider, is_admin: false };
    assert!(authorize(&member(WARD_A, Role::Leader), Action::View, wider_res).is_ok());
    assert!(authorize(&member(WARD_A, Role::Leader), Action::Update, wider_res).is_err());
    // An admin who also works in ward A is out of the ward leader's reach.
    let admin_res = Resource::Account { id: 56, unit_ancestries: &ancestries, is_admin: true };
    assert!(authorize(&member(WARD_A, Role::Leader), Action::Update, admin_res).is_err());
    assert!(authorize(&member(WARD_A, Role::Leader), Action::View, admin_res).is_err());
    assert!(authorize(&member(CITY, Role::Admin), Action::Update, admin_res).is_ok());
}

#[test]
fn supporting_units_read_and_add_notes_but_neither_handle_nor_see_contacts() {
    let supports = [B.to_vec()];
    let case = Resource::CaseSupport { support_ancestries: &supports };
    let officer_b = member(WARD_B, Role::Officer);
    let viewer_b = member(WARD_B, Role::Viewer);
    assert!(authorize(&officer_b, Action::View, case).is_ok());
    assert!(authorize(&officer_b, Action::Contribute, case).is_ok());
    assert!(authorize(&viewer_b, Action::View, case).is_ok());
    assert!(authorize(&viewer_b, Action::Contribute, case).is_err());
    assert!(authorize(&member(WARD_B, Role::Front), Action::Contribute, case).is_ok());
    for a in [Action::Handle, Action::Approve, Action::ViewContacts] {
        assert!(authorize(&member(WARD_B, Role::Leader), a, case).is_err(), "{a:?}");
    }
    // Another ward's officer has nothing to do with it.
    assert!(authorize(&member(WARD_A, Role::Officer), Action::View, case).is_err());
    // The lead unit's officers contribute as they handle.
    let lead = Resource::Case {
        unit_ancestry: A,
        identity_protected: false,
        public: false,
        assignee: None,
        concerned: Concerned::default(),
    };
    assert!(authorize(&member(WARD_A, Role::Officer), Action::Contribute, lead).is_ok());
    assert!(authorize(&member(WARD_A, Role::Viewer), Action::Contribute, lead).is_err());
}

#[test]
fn a_denunciation_is_never_read_or_handled_by_whom_it_concerns() {
    // Handled by ward A; it concerns residential group A1 and, within it, account 9.
    let concerned = Concerned { unit: Some(GROUP_A1), account: Some(9) };
    let case = |assignee| Resource::Case { unit_ancestry: A, identity_protected: true, public: false, assignee, concerned };
    let group_officer = account(7, GROUP_A1, Role::Officer);
    for a in [Action::View, Action::Handle, Action::Contribute, Action::Approve, Action::ViewContacts] {
        assert!(authorize(&group_officer, a, case(Some(7))).is_err(), "{a:?}");
        // Not even an admin who also works in the unit concerned.
        let admin_inside = Actor::Account {
            id: 8,
            memberships: vec![
                Membership { unit_id: CITY, role: Role::Admin },
                Membership { unit_id: GROUP_A1, role: Role::Viewer },
            ],
            unit_ancestries: vec![vec![CITY], A1.to_vec()],
        };
        assert!(authorize(&admin_inside, a, case(Some(8))).is_err(), "{a:?}");
        // The person denounced, though they work for the city above.
        assert!(authorize(&account(9, CITY, Role::Leader), a, case(Some(9))).is_err(), "{a:?}");
    }
    // The ward above handles it; its assigned officer alone sees the denouncer.
    let ward_officer = account(5, WARD_A, Role::Officer);
    assert!(authorize(&ward_officer, Action::Handle, case(None)).is_ok());
    assert!(authorize(&ward_officer, Action::ViewContacts, case(None)).is_err());
    assert!(authorize(&ward_officer, Action::ViewContacts, case(Some(5))).is_ok());
    assert!(authorize(&account(6, WARD_A, Role::Leader), Action::ViewContacts, case(Some(5))).is_err());
    assert!(authorize(&account(6, WARD_A, Role::Leader), Action::Approve, case(Some(5))).is_ok());
    // A reclassified denunciation keeps the protection: the flag, not the kind, decides.
    let admin = account(1, CITY, Role::Admin);
    assert!(authorize(&admin, Action::ViewContacts, case(Some(5))).is_err());
    assert!(authorize(&Actor::Anonymous, Action::View, case(None)).is_err());
}

/// The party committee's secretary and deputies (issue 9): granted `Oversight` on their
/// territory, they read every case of it, its inbox and counters, and comment or direct through
/// internal notes; they neither handle a case nor sign another body's answer, nor read a sender's
/// contacts, and a denunciation that concerns them stays out of their sight.
#[test]
fn the_party_committee_oversees_its_territory_but_signs_no_other_bodys_answers() {
    let secretary = member(WARD_A, Role::Oversight);
    let case_at = |unit_ancestry, identity_protected, concerned: Concerned| Resource::Case {
        unit_ancestry,
        identity_protected,
        public: false,
        assignee: None,
        concerned,
    };
    let case = |concerned| case_at(A1, false, concerned);
    let open = case(Concerned::default());
    assert!(authorize(&secretary, Action::View, open).is_ok());
    assert!(authorize(&secretary, Action::Contribute, open).is_ok());
    for refused in [Action::Handle, Action::Approve, Action::ViewContacts] {
        assert_eq!(authorize(&secretary, refused, open), Err(Denied::Forbidden), "{refused:?}");
    }
    let ward = Resource::Unit { ancestry: A1 };
    assert!(authorize(&secretary, Action::ViewCases, ward).is_ok());
    assert!(authorize(&secretary, Action::ViewSupportedCases, ward).is_ok());
    for refused in [Action::Handle, Action::Approve, Action::ManageMembers, Action::ManageTemplates, Action::CreateChild] {
        assert_eq!(authorize(&secretary, refused, ward), Err(Denied::Forbidden), "{refused:?}");
    }
    // Not the other ward's, and not the administration area.
    assert_eq!(authorize(&secretary, Action::View, case_at(B, false, Concerned::default())), Err(Denied::Forbidden));
    assert_eq!(authorize(&secretary, Action::ViewCases, Resource::Unit { ancestry: B }), Err(Denied::Forbidden));
    assert_eq!(authorize(&secretary, Action::View, Resource::Administration), Err(Denied::Forbidden));
    // Nor a protected denunciation's signature.
    let protected = case_at(A1, true, Concerned::default());
    assert_eq!(authorize(&secretary, Action::Approve, protected), Err(Denied::Forbidden));
    // A denunciation of the ward (whose subtree they oversee) is kept from them.
    let of_ward = case(Concerned { unit: Some(WARD_A), account: None });
    assert_eq!(authorize(&secretary, Action::View, of_ward), Err(Denied::Forbidden));
    // The people's committee's leader signs; its officer handles but does not sign.
    let chair = member(WARD_A, Role::Leader);
    assert!(authorize(&chair, Action::Approve, open).is_ok());
    let officer = member(WARD_A, Role::Officer);
    assert!(authorize(&officer, Action::Handle, open).is_ok());
    assert_eq!(authorize(&officer, Action::Approve, open), Err(Denied::Forbidden));
    // Whom to notify of a draft to sign, to whom a case may be given: never the oversight role.
    assert!(!roles_allowed_on_unit(Action::Approve).contains(&Role::Oversight));
    assert!(!roles_allowed_on_unit(Action::Handle).contains(&Role::Oversight));
}
