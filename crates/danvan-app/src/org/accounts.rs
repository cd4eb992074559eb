//! Accounts, passwords, sign-in with throttling, memberships.

use super::units::ancestry_of;
use crate::{App, AppError, AppResult, Caller};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{Duration, Utc};
use danvan_domain::org::account::{self, AccountDraft, AccountInput};
use danvan_domain::{Action, FieldErrors, Resource, Role, UnitId};
use danvan_store::{Account, AttemptLimit};

pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

const THROTTLE_WINDOW_MIN: i64 = 15;
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_IP: i64 = 30;

/// Checks a username and password, with throttling per account and per IP address.
pub async fn login(app: &App, caller: &Caller, username: &str, password: &str) -> AppResult<Account> {
    let username = username.trim().to_lowercase();
    let since = Utc::now() - Duration::minutes(THROTTLE_WINDOW_MIN);
    // The attempt counts as a failure from the start, in the step that checks the limits:
    // checked apart, parallel attempts all passed before any was counted.
    let limits = [
        AttemptLimit { scope: "account", key: &username, since, max: MAX_FAILURES_PER_ACCOUNT },
        AttemptLimit { scope: "ip", key: &caller.ip, since, max: MAX_FAILURES_PER_IP },
    ];
    let Some(attempt) = app.store.take_attempt(&limits).await? else {
        return Err(AppError::TooMany("login.throttled"));
    };
    let account = app.store.get_account_by_username(&username).await?;
    // Verify against a fixed hash when the account does not exist, so timing does not tell.
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2l1mYwqh5Zq0a4dFvdc8fE9Yx1c0Sxm6rYpG3xJ6b2k";
    let hash = account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| DUMMY.into());
    let ok = verify_password(password.to_string(), hash).await;
    match account {
        Some(a) if ok && a.active => {
            app.store.clear_login_failures("account", &username).await?;
            app.store.forget_attempts(&attempt).await?;
            Ok(a)
        }
        _ => Err(AppError::Invalid(FieldErrors::one("password", "login.failed"))),
    }
}

/// The units the actor leads (whose accounts they see in the administration).
pub fn led_units(caller: &Caller) -> Vec<UnitId> {
    caller.units_where(Action::ManageMembers).map(|m| m.unit_id).collect()
}

/// Whether the caller may grant `role` on at least one unit (admins alone grant the admin role).
pub fn may_grant(caller: &Caller, role: Role) -> bool {
    caller.is_admin()
        || caller.memberships.iter().any(|m| {
            caller.authorize(Action::ManageMembers, Resource::Membership { unit_ancestry: &m.unit_ancestry(), role }).is_ok()
        })
}

pub struct NewMembership {
    pub unit_id: UnitId,
    pub role: Role,
    pub title: String,
}

/// Parses the optional membership of a new-account form.
pub fn parse_membership(unit: &str, role: &str, title: &str, required: bool) -> Result<Option<NewMembership>, FieldErrors> {
    let mut e = FieldErrors::new();
    let unit = unit.trim();
    let role_s = role.trim();
    if unit.is_empty() && role_s.is_empty() && !required {
        return Ok(None);
    }
    let unit_id = unit.parse::<i64>().ok();
    if unit_id.is_none() {
        e.add("unit_id", if unit.is_empty() { "error.required" } else { "error.unit_unknown" });
    }
    let role = Role::parse(role_s);
    if role.is_none() {
        e.add("role", if role_s.is_empty() { "error.required" } else { "error.role" });
    }
    // Checked here too, before an account is created with it (the store checks it again).
    let title = account::check_title(title).map_err(|k| e.add("title", k)).unwrap_or_default();
    e.into_result()?;
    Ok(Some(NewMembership { unit_id: unit_id.unwrap_or_default(), role: role.unwrap_or(Role::Viewer), title }))
}

async fn authorize_membership(app: &App, caller: &Caller, m: &NewMembership) -> AppResult<()> {
    let anc = ancestry_of(app, m.unit_id, "unit_id").await?;
    caller.authorize(Action::ManageMembers, Resource::Membership { unit_ancestry: &anc, role: m.role })
}

/// Admins create any account; leaders create officials for their subtree (a membership is then
/// required, so the new account stays within what the leader can see).
pub async fn create_account(
    app: &App,
    caller: &Caller,
    input: &AccountInput,
    password: &str,
    membership: Option<NewMembership>,
) -> AppResult<Account> {
    caller.authorize(Action::View, Resource::Administration)?;
    match &membership {
        Some(m) => authorize_membership(app, caller, m).await?,
        None if !caller.is_admin() => return Err(AppError::Invalid(FieldErrors::one("unit_id", "error.required"))),
        None => {}
    }
    let draft = validate_new_account(input, password)?;
    let hash = hash_password(password.to_string()).await?;
    let audit = caller.audit();
    let account = app.store.create_account(&audit, &draft, &hash).await?;
    if let Some(m) = membership {
        app.store.add_membership(&audit, account.id, m.unit_id, m.role, &m.title).await?;
    }
    Ok(account)
}

pub fn validate_new_account(input: &AccountInput, password: &str) -> Result<AccountDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let draft = account::validate_account(input).map_err(|e| errors.0.extend(e.0)).ok();
    if let Err(k) = account::validate_password(password) {
        errors.add("new_password", k);
    }
    match draft {
        Some(d) if errors.is_empty() => Ok(d),
        _ => Err(errors),
    }
}

/// A citizen registers themself: no memberships.
const MAX_REGISTRATIONS_PER_IP_PER_HOUR: i64 = 10;

pub async fn register(app: &App, caller: &Caller, input: &AccountInput, password: &str) -> AppResult<Account> {
    // Registration hashes a password: bound how often one address may ask for that.
    let since = Utc::now() - Duration::hours(1);
    let limit = AttemptLimit { scope: "register", key: &caller.ip, since, max: MAX_REGISTRATIONS_PER_IP_PER_HOUR };
    if app.store.take_attempt(&[limit]).await?.is_none() {
        return Err(AppError::TooMany("error.too_many"));
    }
    let draft = validate_new_account(input, password)?;
    let hash = hash_password(password.to_string()).await?;
    let mut audit = caller.audit();
    audit.actor_label = format!("{} ({}) — self-registration", draft.full_name, draft.username);
    Ok(app.store.create_account(&audit, &draft, &hash).await?)
}

async fn authorize_account(app: &App, caller: &Caller, id: i64, action: Action) -> AppResult<Account> {
    let account = app.store.get_account(id).await?;
    let memberships = app.store.memberships_of(id).await?;
    let anc: Vec<Vec<UnitId>> = memberships.iter().map(|m| m.unit_ancestry()).collect();
    let is_admin = Caller::account(account.clone(), memberships, String::new()).is_admin();
    caller.authorize(action, Resource::Account { id, unit_ancestries: &anc, is_admin })?;
    Ok(account)
}

pub async fn view_account(app: &App, caller: &Caller, id: i64) -> AppResult<Account> {
    authorize_account(app, caller, id, Action::View).await
}

pub async fn update_account(app: &App, caller: &Caller, id: i64, input: &AccountInput) -> AppResult<Account> {
    authorize_account(app, caller, id, Action::Update).await?;
    let draft = account::validate_account(input)?;
    Ok(app.store.update_account(&caller.audit(), id, &draft).await?)
}

/// Someone else's password, set by an admin or the account's leader.
pub async fn reset_password(app: &App, caller: &Caller, id: i64, password: &str) -> AppResult<()> {
    let account = authorize_account(app, caller, id, Action::Update).await?;
    if caller.account.as_ref().is_none_or(|me| me.id == account.id) && !caller.is_admin() {
        return Err(AppError::Forbidden);
    }
    account::validate_password(password).map_err(|k| FieldErrors::one("new_password", k))?;
    let hash = hash_password(password.to_string()).await?;
    Ok(app.store.set_password(&caller.audit(), id, &hash).await?)
}

/// Changes the caller's own password, given the current one. Guessing the current password is
/// signing in by another door (a stolen session would otherwise guess without bound): each try
/// counts against the same limits as sign-in, per account and per address, checked and counted
/// in one step (`take_attempt`), taken back when the current password was right. Wrong and
/// refused tries are in the audit log.
pub async fn change_own_password(app: &App, caller: &Caller, current: &str, new: &str) -> AppResult<()> {
    let me = caller.require_account()?;
    let username = me.username.trim().to_lowercase();
    let since = Utc::now() - Duration::minutes(THROTTLE_WINDOW_MIN);
    let limits = [
        AttemptLimit { scope: "account", key: &username, since, max: MAX_FAILURES_PER_ACCOUNT },
        AttemptLimit { scope: "ip", key: &caller.ip, since, max: MAX_FAILURES_PER_IP },
    ];
    let Some(attempt) = app.store.take_attempt(&limits).await? else {
        let changes = danvan_store::Changes::new().set("refused", "too_many_attempts");
        app.store
            .record_event(&caller.audit(), "account.password_refused", "account", Some(me.id), &me.full_name, changes)
            .await?;
        return Err(AppError::TooMany("account.password_throttled"));
    };
    let mut e = FieldErrors::new();
    if verify_password(current.to_string(), me.password_hash.clone()).await {
        app.store.forget_attempts(&attempt).await?;
    } else {
        e.add("current_password", "account.password_wrong");
        let changes = danvan_store::Changes::new().set("current_password", "wrong");
        app.store
            .record_event(&caller.audit(), "account.password_failed", "account", Some(me.id), &me.full_name, changes)
            .await?;
    }
    if let Err(k) = account::validate_password(new) {
        e.add("new_password", k);
    }
    e.into_result()?;
    let hash = hash_password(new.to_string()).await?;
    Ok(app.store.set_password(&caller.audit(), me.id, &hash).await?)
}

pub async fn set_active(app: &App, caller: &Caller, id: i64, active: bool) -> AppResult<()> {
    authorize_account(app, caller, id, Action::Update).await?;
    if caller.account.as_ref().is_some_and(|me| me.id == id) {
        return Err(AppError::Forbidden);
    }
    app.store.set_account_active(&caller.audit(), id, active).await.map_err(last_admin_conflict)
}

/// Keeping the last active administrator is a conflict with the data (409), whichever way the
/// change came in; the store decides it inside the change's transaction.
fn last_admin_conflict(e: danvan_store::StoreError) -> AppError {
    match AppError::from(e) {
        AppError::Invalid(f) if f.0.iter().any(|e| e.key == "error.last_admin") => AppError::Conflict(f),
        e => e,
    }
}

pub async fn add_membership(app: &App, caller: &Caller, account_id: i64, m: &NewMembership) -> AppResult<i64> {
    // The account must already be within the actor's reach: otherwise a leader could pull any
    // account into their unit and then reset its password.
    authorize_account(app, caller, account_id, Action::Update).await?;
    authorize_membership(app, caller, m).await?;
    Ok(app.store.add_membership(&caller.audit(), account_id, m.unit_id, m.role, &m.title).await?)
}

pub async fn remove_membership(app: &App, caller: &Caller, membership_id: i64) -> AppResult<i64> {
    let m = app.store.get_membership(membership_id).await?;
    caller.authorize(Action::ManageMembers, Resource::Membership { unit_ancestry: &m.unit_ancestry(), role: m.role })?;
    app.store.remove_membership(&caller.audit(), membership_id).await.map_err(last_admin_conflict)?;
    Ok(m.account_id)
}
