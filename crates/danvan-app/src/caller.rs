//! Who is calling a use case: a signed-in account (by session or API token), an anonymous visitor
//! (a citizen, an Open311 client), or the system itself (CLI, jobs, imports, the demo).

use crate::AppResult;
use danvan_domain::{authorize, Action, Actor, Resource};
use danvan_store::{Account, AuditCtx, MembershipRow};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Caller {
    pub actor: Actor,
    pub account: Option<Arc<Account>>,
    pub memberships: Arc<Vec<MembershipRow>>,
    /// The client's address (audit entries, throttling); empty for the system.
    pub ip: String,
}

impl Caller {
    /// Work done outside a request (command-line tools, jobs, imports): no account.
    pub fn system() -> Caller {
        Caller::anonymous(String::new())
    }

    pub fn anonymous(ip: String) -> Caller {
        Caller { actor: Actor::Anonymous, account: None, memberships: Arc::new(vec![]), ip }
    }

    /// A signed-in account with its memberships.
    pub fn account(account: Account, memberships: Vec<MembershipRow>, ip: String) -> Caller {
        let actor = Actor::Account {
            id: account.id,
            memberships: memberships.iter().map(|m| m.membership()).collect(),
            unit_ancestries: memberships.iter().map(|m| m.unit_ancestry()).collect(),
        };
        Caller { actor, account: Some(Arc::new(account)), memberships: Arc::new(memberships), ip }
    }

    pub fn audit(&self) -> AuditCtx {
        AuditCtx {
            actor_id: self.account.as_ref().map(|a| a.id),
            actor_label: self
                .account
                .as_ref()
                .map(|a| format!("{} ({})", a.full_name, a.username))
                .unwrap_or_else(|| "anonymous".into()),
            ip: self.ip.clone(),
        }
    }

    pub fn authorize(&self, action: Action, resource: Resource<'_>) -> AppResult<()> {
        Ok(authorize(&self.actor, action, resource)?)
    }

    pub fn require_account(&self) -> AppResult<&Account> {
        self.account.as_deref().ok_or(crate::AppError::SignIn)
    }

    /// Whether the caller administers the whole system (asked of `authorize`, like every decision).
    pub fn is_admin(&self) -> bool {
        self.authorize(Action::Update, Resource::System).is_ok()
    }

    /// The caller's memberships on whose unit `action` is allowed, in the order they were granted:
    /// "the units where this person handles cases", "the units they lead"… Every such question is
    /// answered by `authorize`, never by comparing roles here.
    pub fn units_where(&self, action: Action) -> impl Iterator<Item = &MembershipRow> + '_ {
        self.memberships.iter().filter(move |m| self.authorize(action, Resource::Unit { ancestry: &m.unit_ancestry() }).is_ok())
    }

    /// The caller's broadest unit where `action` is allowed (the highest in the tree; the first
    /// granted among equals): where their inbox and counters open. A party secretary who also
    /// leads the party committee itself oversees the whole ward, and sees the ward's work first.
    pub fn work_unit(&self, action: Action) -> Option<&MembershipRow> {
        let mut best: Option<&MembershipRow> = None;
        for m in self.units_where(action) {
            if best.is_none_or(|b| m.unit_ancestry().len() < b.unit_ancestry().len()) {
                best = Some(m);
            }
        }
        best
    }

    /// Whether `action` is allowed on at least one of the caller's units.
    pub fn may_somewhere(&self, action: Action) -> bool {
        self.units_where(action).next().is_some()
    }
}
