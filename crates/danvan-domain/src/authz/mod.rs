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
    /// Cán bộ thi đua – khen thưởng: keeps the unit's emulation records, movements, models and
    /// nominations (issue 11). Reads no citizens' cases.
    Emulation,
    /// Giám sát, chỉ đạo: the party committee's secretary and deputies over their territory (a
    /// ward, a province). The Party leads and oversees the State's bodies but does not act in their
    /// place (Hiến pháp 2013, Điều 4 khoản 1 and 3): they read every case, figure and overdue list
    /// of the territory and comment or direct through internal notes, but never handle a case nor
    /// sign another body's answer, and never read a sender's contacts. Granted on the territorial
    /// unit itself, so that the usual rule (a role reaches its unit's subtree) applies unchanged.
    Oversight,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Admin, Role::Leader, Role::Officer, Role::Front, Role::Viewer, Role::Emulation, Role::Oversight];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Front => "front",
            Role::Viewer => "viewer",
            Role::Emulation => "emulation_officer",
            Role::Oversight => "oversight",
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
    /// The emulation work of the unit with this ancestry: the movements it launches, its
    /// registrations, the model practices it owns or appraises, its nomination lists, its council
    /// and its decisions. `View` reads them, `Handle` keeps them (the emulation officers), `Approve`
    /// decides (recognising a model, issuing a decision: the unit's leaders).
    EmulationWork {
        unit_ancestry: &'a [UnitId],
    },
    /// A review report (sơ kết, tổng kết) of the unit with this ancestry: its figures are the
    /// subtree's cases', so those who read the unit's cases read it (`View`); its leaders, officers
    /// and the party committee overseeing the territory draft and generate it (`Handle`); only the
    /// party committee overseeing it issues it in the party committee's name (`Approve`).
    ReviewReport {
        unit_ancestry: &'a [UnitId],
    },
    /// A council's secret ballot: only a member of the council votes, and only while it is open
    /// (Law 06/2022 Art. 56, RULES.md §6 R11). Casting a vote is `Update`.
    CouncilBallot {
        member: bool,
        open: bool,
    },
    /// A model practice's appraisal ("Dân vận khéo", RULES.md §7): only an appraiser named on the
    /// team of the model's field (at the unit it is registered with) reads the model to score it
    /// (`View`) and scores it (`Update`), and scores only until the steering committee decides
    /// (`open`). No system role scores in their place.
    Appraisal {
        member: bool,
        open: bool,
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
    match resource {
        // A vote is a council member's own; no system role casts it.
        Resource::CouncilBallot { member, open } => return action == Update && member && open,
        // An appraisal's scores are the appraiser's own, like a vote.
        Resource::Appraisal { member, open } => {
            return member && (action == View || (action == Update && open));
        }
        // Personal records are for the person, their unit's leaders and the emulation officers
        // only (issue 11), not for the administrators' system role.
        Resource::EmulationRecord { .. } => return allowed_emulation_record(actor, action, resource),
        _ => {}
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
            ViewCases => actor.has_role_over(ancestry, &[Role::Leader, Role::Officer, Role::Viewer, Role::Oversight]),
            // The Front and the mass organisations read what their units support.
            ViewSupportedCases => {
                actor.has_role_over(ancestry, &[Role::Leader, Role::Officer, Role::Viewer, Role::Front, Role::Oversight])
            }
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
            View => public || actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer, Role::Viewer, Role::Oversight]),
            ViewContacts | Handle => actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer]),
            // The party committee comments and directs on its territory's cases (internal notes).
            Contribute => actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer, Role::Oversight]),
            Approve => actor.has_role_over(unit_ancestry, &[Role::Leader]),
            _ => false,
        },
        Resource::CaseSupport { support_ancestries } => {
            let over = |roles: &[Role]| support_ancestries.iter().any(|a| actor.has_role_over(a, roles));
            // The Front and the mass organisations are the usual supporting units (they talk with
            // the residents): their representatives work on what their unit supports.
            match action {
                View => over(&[Role::Leader, Role::Officer, Role::Front, Role::Viewer, Role::Oversight]),
                Contribute => over(&[Role::Leader, Role::Officer, Role::Front]),
                _ => false,
            }
        }
        Resource::Membership { unit_ancestry, role } => {
            matches!(action, ManageMembers) && role != Role::Admin && actor.has_role_over(unit_ancestry, &[Role::Leader])
        }
        // Movements, models and nomination lists are the unit's public business among officials;
        // the emulation officers keep them and the leaders decide.
        Resource::EmulationWork { unit_ancestry } => match action {
            View => actor.has_role_over(
                unit_ancestry,
                &[Role::Leader, Role::Officer, Role::Viewer, Role::Front, Role::Emulation, Role::Oversight],
            ),
            Handle => actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Emulation]),
            Approve => actor.has_role_over(unit_ancestry, &[Role::Leader]),
            _ => false,
        },
        Resource::ReviewReport { unit_ancestry } => match action {
            View => actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer, Role::Viewer, Role::Oversight]),
            Handle => actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Officer, Role::Oversight]),
            Approve => actor.has_role_over(unit_ancestry, &[Role::Oversight]),
            _ => false,
        },
        Resource::CouncilBallot { .. } | Resource::Appraisal { .. } | Resource::EmulationRecord { .. } => {
            unreachable!("decided above")
        }
    }
}

fn allowed_emulation_record(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    let Resource::EmulationRecord { unit_ancestry, account } = resource else { return false };
    match action {
        Action::View => {
            (account.is_some() && actor.account_id() == account)
                || actor.has_role_over(unit_ancestry, &[Role::Leader, Role::Emulation])
        }
        // The emulation officers record ratings, titles and disciplines.
        Action::Update => actor.has_role_over(unit_ancestry, &[Role::Emulation]),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
