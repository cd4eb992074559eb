//! Authorisation: the one `authorize(actor, action, resource)` every handler calls (DESIGN.md).
//! A membership grants its role over its unit's whole subtree; `admin` covers the whole system.
//! Resources carry what the decision needs (a unit's ancestry from the root), so the function is
//! pure and the role × route tests can exercise it.

use crate::cases::denunciation::Concerned;
use crate::org::unit::UnitId;
use serde::{Deserialize, Serialize};

pub type AccountId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Leader,
    Officer,
    Front,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Leader, Role::Officer, Role::Front, Role::Viewer];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Front => "front",
            Role::Viewer => "viewer",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// How the store decodes a stored role: an unknown name is an error, never a default.
impl TryFrom<String> for Role {
    type Error = crate::UnknownValue;
    fn try_from(s: String) -> Result<Role, Self::Error> {
        Role::parse(&s).ok_or(crate::UnknownValue { what: "role", value: s })
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub unit_id: UnitId,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    /// A signed-in account: an official (with memberships) or a citizen (none). An API token acts
    /// as its account.
    Account {
        id: AccountId,
        memberships: Vec<Membership>,
        /// The ancestries of the memberships' units (root first), in the same order: whether the
        /// actor works inside a unit a denunciation concerns.
        unit_ancestries: Vec<Vec<UnitId>>,
    },
}

impl Actor {
    pub fn account_id(&self) -> Option<AccountId> {
        match self {
            Actor::Account { id, .. } => Some(*id),
            Actor::Anonymous => None,
        }
    }
    pub fn is_admin(&self) -> bool {
        self.memberships().iter().any(|m| m.role == Role::Admin)
    }
    pub fn is_official(&self) -> bool {
        !self.memberships().is_empty()
    }
    pub fn memberships(&self) -> &[Membership] {
        match self {
            Actor::Account { memberships, .. } => memberships,
            Actor::Anonymous => &[],
        }
    }
    fn unit_ancestries(&self) -> &[Vec<UnitId>] {
        match self {
            Actor::Account { unit_ancestries, .. } => unit_ancestries,
            Actor::Anonymous => &[],
        }
    }
    /// Roles the actor holds over a unit (through a membership on it or on an ancestor).
    fn roles_over(&self, ancestry: &[UnitId]) -> impl Iterator<Item = Role> + '_ {
        let ancestry = ancestry.to_vec();
        self.memberships().iter().filter(move |m| ancestry.contains(&m.unit_id)).map(|m| m.role)
    }
    fn has_role_over(&self, ancestry: &[UnitId], roles: &[Role]) -> bool {
        self.roles_over(ancestry).any(|r| roles.contains(&r))
    }
    /// Leaders administer what lies strictly below their own unit (a leader does not re-found or
    /// dissolve the unit they head).
    fn leads_strictly_above(&self, ancestry: &[UnitId]) -> bool {
        match ancestry.split_last() {
            Some((_, above)) => self.has_role_over(above, &[Role::Leader]),
            None => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    View,
    /// See the people of a unit (names and roles).
    ViewMembers,
    /// See personal contact details (e-mail, phone).
    ViewContacts,
    /// Create a child of this unit.
    CreateChild,
    Update,
    Delete,
    Dissolve,
    /// Grant or revoke memberships on this unit.
    ManageMembers,
    /// Work on a case: accept, assign, draft the answer, pause, transfer…
    Handle,
    /// Sign off an answer (ký duyệt).
    Approve,
    /// Add internal notes to a case: the lead unit's officers, and those of its supporting units.
    Contribute,
    /// Read the cases a unit's subtree leads (its inbox and counters).
    ViewCases,
    /// Read the cases a unit's subtree supports (đơn vị phối hợp).
    ViewSupportedCases,
    /// Manage the answer templates of a unit's subtree.
    ManageTemplates,
}

#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    /// The system as a whole: settings, full CSV import.
    System,
    /// The administration area (pages and API for units and accounts).
    Administration,
    AuditLog,
    /// A unit, given by its ancestry from the root with itself last.
    Unit {
        ancestry: &'a [UnitId],
    },
    /// An account, given by the ancestries of the units it is a member of, and whether it holds
    /// the admin role (only admins manage admins: a leader must not take over an admin account).
    Account {
        id: AccountId,
        unit_ancestries: &'a [Vec<UnitId>],
        is_admin: bool,
    },
    /// A citizen's case, handled by the unit with this ancestry.
    Case {
        unit_ancestry: &'a [UnitId],
        /// The sender's identity is protected: the case is, or once was, a denunciation.
        identity_protected: bool,
        public: bool,
        assignee: Option<AccountId>,
        /// Whom a denunciation concerns: they neither read nor handle it.
        concerned: Concerned,
    },
    /// A case seen by its supporting units (đơn vị phối hợp), given by their ancestries. They read
    /// its file and add notes; handling it, and the sender's contacts, stay with the lead unit.
    CaseSupport {
        support_ancestries: &'a [Vec<UnitId>],
    },
    /// Granting `role` on the unit with this ancestry.
    Membership {
        unit_ancestry: &'a [UnitId],
        role: Role,
    },
    /// A person's or a collective's emulation record (ratings, titles, disciplines…) kept by the
    /// unit with this ancestry; `account` is the person's own account, when linked. Issue 11:
    /// visible to the person, their unit's leaders and the emulation officers only.
    EmulationRecord {
        unit_ancestry: &'a [UnitId],
        account: Option<AccountId>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No one is signed in: ask them to.
    NotSignedIn,
    /// Signed in, but this is not theirs to see or do.
    Forbidden,
}

pub fn authorize(actor: &Actor, action: Action, resource: Resource<'_>) -> Result<(), Denied> {
    if allowed(actor, action, resource) {
        Ok(())
    } else if *actor == Actor::Anonymous {
        Err(Denied::NotSignedIn)
    } else {
        Err(Denied::Forbidden)
    }
}

/// The roles that, held on a unit, allow `action` on it — for queries that look for people (whom
/// to notify, to whom a case may be given), so that they ask `authorize` rather than name roles.
/// Administrators are left out: they may do everything but are nobody's daily work.
pub fn roles_allowed_on_unit(action: Action) -> Vec<Role> {
    roles_where(|actor| authorize(actor, action, Resource::Unit { ancestry: &[0] }).is_ok())
        .into_iter()
        .filter(|&role| role != Role::Admin)
        .collect()
}

/// The roles that administer the whole system (they manage one another; a leader never does).
pub fn system_roles() -> Vec<Role> {
    roles_where(|actor| authorize(actor, Action::Update, Resource::System).is_ok())
}

/// The roles whose holder (on unit 0) passes `allowed`.
fn roles_where(allowed: impl Fn(&Actor) -> bool) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|&role| {
            allowed(&Actor::Account { id: 0, memberships: vec![Membership { unit_id: 0, role }], unit_ancestries: vec![vec![0]] })
        })
        .collect()
}

/// Roles as an SQL list (`'leader', 'officer'`); role names are fixed words, never user input.
pub fn sql_roles(roles: &[Role]) -> String {
    roles.iter().map(|r| format!("'{}'", r.as_str())).collect::<Vec<_>>().join(", ")
}

/// `roles_allowed_on_unit` as an SQL list.
pub fn sql_role_list(action: Action) -> String {
    sql_roles(&roles_allowed_on_unit(action))
}

fn allowed(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    use Action::*;
    if let Resource::Case { identity_protected, assignee, concerned, .. } = resource {
        // A denunciation is never read or handled by the person or unit it concerns, nor by anyone
        // working in that unit or below it, whatever their other roles (Luật Tố cáo 2018, Điều 8
        // khoản 3, Điều 56).
        if concerned.includes(actor.account_id(), actor.unit_ancestries()) {
            return false;
        }
        // A denouncer's identity is protected by law for the case's whole life, even after it is
        // reclassified: only the officer handling the case sees it, not admins, leaders or the
        // unit denounced (Điều 9 khoản 1 điểm b, Điều 56 khoản 1).
        // The handling officer holds the case through a membership over its unit; an
        // administrator's system role is no such membership, even once assigned.
        // Nor does anyone holding the administrators' role, even through a membership: they grant
        // memberships, so they could give themselves one and then the case.
        if identity_protected && action == ViewContacts {
            let Resource::Case { unit_ancestry, .. } = resource else { unreachable!() };
            return assignee.is_some()
                && actor.account_id() == assignee
                && !actor.is_admin()
                && actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer]);
        }
        // Deciding on a protected case (who handles it, signing its answer) is a leader's over its
        // unit, never the administrators' system role (Điều 12, Điều 56 khoản 2).
        if identity_protected && action == Approve {
            let Resource::Case { unit_ancestry, .. } = resource else { unreachable!() };
            return actor.has_role_over(unit_ancestry, &[Role::Leader]);
        }
    }
    if actor.is_admin() {
        return true;
    }
    match resource {
        Resource::System | Resource::AuditLog => false,
        Resource::Administration => actor.memberships().iter().any(|m| m.role == Role::Leader),
        Resource::Unit { ancestry } => match action {
            // The directory of units is public information.
            View => true,
            // Colleagues see who works where; the public does not.
            ViewMembers => actor.is_official(),
            ViewContacts => actor.has_role_over(ancestry, &[Role::Leader, Role::Officer]),
            CreateChild | ManageMembers => actor.has_role_over(ancestry, &[Role::Leader]),
            Update | Delete | Dissolve => actor.leads_strictly_above(ancestry),
            // Work of the unit (recording a case on a citizen's behalf, the inbox).
            Handle => actor.has_role_over(ancestry, &[Role::Leader, Role::Officer]),
            Approve | ManageTemplates => actor.has_role_over(ancestry, &[Role::Leader]),
            ViewCases => actor.has_role_over(ancestry, &[Role::Leader, Role::Officer, Role::Viewer]),
            // The Front and the mass organisations read what their units support.
            ViewSupportedCases => actor.has_role_over(ancestry, &[Role::Leader, Role::Officer, Role::Viewer, Role::Front]),
            Contribute => false,
        },
        Resource::Account { id, unit_ancestries, is_admin } => {
            let own = actor.account_id() == Some(id);
            let leads = |a: &Vec<UnitId>| actor.has_role_over(a, &[Role::Leader]);
            // A leader sees anyone working in their subtree, but changes only accounts that work
            // nowhere else: otherwise a ward leader could take over a city leader's account.
            let sees = !is_admin && unit_ancestries.iter().any(leads);
            let manages = !is_admin && !unit_ancestries.is_empty() && unit_ancestries.iter().all(leads);
            match action {
                View | ViewMembers | ViewContacts => own || sees,
                Update => own || manages,
                // Accounts are only deleted by admins (they carry history).
                _ => false,
            }
        }
        Resource::Case { unit_ancestry, public, .. } => match action {
            // Public cases (published feedback and petitions) are for everyone; the rest for the
            // handling subtree. Front representatives see what is public.
            View => public || actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer, Role::Viewer]),
            ViewContacts | Handle | Contribute => actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer]),
            Approve => actor.has_role_over(unit_ancestry, &[Role::Leader]),
            _ => false,
        },
        Resource::CaseSupport { support_ancestries } => {
            let over = |roles: &[Role]| support_ancestries.iter().any(|a| actor.has_role_over(a, roles));
            // The Front and the mass organisations are the usual supporting units (they talk with
            // the residents): their representatives work on what their unit supports.
            match action {
                View => over(&[Role::Leader, Role::Officer, Role::Front, Role::Viewer]),
                Contribute => over(&[Role::Leader, Role::Officer, Role::Front]),
                _ => false,
            }
        }
        Resource::Membership { unit_ancestry, role } => {
            matches!(action, ManageMembers) && role != Role::Admin && actor.has_role_over(unit_ancestry, &[Role::Leader])
        }
        // The emulation officers are the officers (cán bộ) over the record's unit: they record
        // ratings, titles and disciplines; the unit's leaders read; the person reads their own.
        Resource::EmulationRecord { unit_ancestry, account } => match action {
            View => {
                (account.is_some() && actor.account_id() == account)
                    || actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer])
            }
            Update => actor.has_role_over(unit_ancestry, &[Role::Officer]),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITY: UnitId = 1;
    const WARD_A: UnitId = 2;
    const WARD_B: UnitId = 3;
    const GROUP_A1: UnitId = 4;
    const A: &[UnitId] = &[CITY, WARD_A];
    const B: &[UnitId] = &[CITY, WARD_B];
    const A1: &[UnitId] = &[CITY, WARD_A, GROUP_A1];

    fn member(unit: UnitId, role: Role) -> Actor {
        Actor::Account {
            id: 100,
            memberships: vec![Membership { unit_id: unit, role }],
            unit_ancestries: vec![ancestry_of(unit)],
        }
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
    fn emulation_records_are_for_the_person_their_leaders_and_the_officers() {
        let record = |account| Resource::EmulationRecord { unit_ancestry: A1, account };
        let officer = member(WARD_A, Role::Officer);
        assert!(authorize(&officer, Action::Update, record(None)).is_ok());
        let leader = member(WARD_A, Role::Leader);
        assert!(authorize(&leader, Action::View, record(None)).is_ok());
        assert_eq!(authorize(&leader, Action::Update, record(None)), Err(Denied::Forbidden));
        for other in [member(WARD_B, Role::Officer), member(WARD_A, Role::Viewer), member(WARD_A, Role::Front)] {
            assert_eq!(authorize(&other, Action::View, record(None)), Err(Denied::Forbidden));
        }
        let me = Actor::Account { id: 42, memberships: vec![], unit_ancestries: vec![] };
        assert!(authorize(&me, Action::View, record(Some(42))).is_ok());
        assert_eq!(authorize(&me, Action::Update, record(Some(42))), Err(Denied::Forbidden));
        assert_eq!(authorize(&me, Action::View, record(None)), Err(Denied::Forbidden));
        assert_eq!(authorize(&Actor::Anonymous, Action::View, record(None)), Err(Denied::NotSignedIn));
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
        assert!(
            authorize(&leader, Action::ManageMembers, Resource::Membership { unit_ancestry: A1, role: Role::Officer }).is_ok()
        );
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
            memberships: vec![
                Membership { unit_id: CITY, role: Role::Admin },
                Membership { unit_id: WARD_A, role: Role::Officer },
            ],
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
}
