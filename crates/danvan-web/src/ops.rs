//! Operations shared by the pages and the JSON API: validate, authorise, then call the store.
//! Handlers only translate HTTP to these calls and back.

use crate::ctx::Ctx;
use crate::error::{WebError, WebResult};
use crate::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{Duration, NaiveDate, Utc};
use danvan_domain::account::{self, AccountDraft, AccountInput};
use danvan_domain::unit::{self, DissolutionRequest, UnitCsvRow, UnitInput};
use danvan_domain::{Action, FieldErrors, Resource, Role, UnitId};
use danvan_store::{Account, StoreError, Unit};

/// A unit's ancestry, or a field error when the id names no unit.
async fn ancestry_of(state: &AppState, id: UnitId, field: &str) -> WebResult<Vec<UnitId>> {
    match state.store.get_unit(id).await {
        Ok(u) => Ok(u.ancestry()),
        Err(StoreError::NotFound) => Err(WebError::Invalid(FieldErrors::one(field, "error.unit_unknown"))),
        Err(e) => Err(e.into()),
    }
}

/// Creating a top-level unit is a system change; creating a child needs rights over the parent.
async fn authorize_placement(state: &AppState, ctx: &Ctx, parent: Option<UnitId>) -> WebResult<()> {
    match parent {
        Some(pid) => {
            let anc = ancestry_of(state, pid, "parent_id").await?;
            ctx.authorize(Action::CreateChild, Resource::Unit { ancestry: &anc })
        }
        None => ctx.authorize(Action::Update, Resource::System),
    }
}

pub async fn create_unit(state: &AppState, ctx: &Ctx, input: &UnitInput) -> WebResult<Unit> {
    // Authorise before validating, so a refused user learns nothing about the data.
    authorize_placement(state, ctx, input.parent_id).await.or_else(|e| match e {
        WebError::Invalid(_) => Ok(()),
        e => Err(e),
    })?;
    let draft = unit::validate_unit(input)?;
    Ok(state.store.create_unit(&ctx.audit(), &draft).await?)
}

pub async fn update_unit(state: &AppState, ctx: &Ctx, id: UnitId, input: &UnitInput) -> WebResult<Unit> {
    let current = state.store.get_unit(id).await?;
    ctx.authorize(Action::Update, Resource::Unit { ancestry: &current.ancestry() })?;
    if input.parent_id != current.parent_id {
        authorize_placement(state, ctx, input.parent_id).await.or_else(|e| match e {
            WebError::Invalid(_) => Ok(()),
            e => Err(e),
        })?;
    }
    let draft = unit::validate_unit(input)?;
    Ok(state.store.update_unit(&ctx.audit(), id, &draft).await?)
}

pub async fn delete_unit(state: &AppState, ctx: &Ctx, id: UnitId) -> WebResult<()> {
    let current = state.store.get_unit(id).await?;
    ctx.authorize(Action::Delete, Resource::Unit { ancestry: &current.ancestry() })?;
    Ok(state.store.delete_unit(&ctx.audit(), id).await?)
}

pub async fn dissolve_unit(state: &AppState, ctx: &Ctx, id: UnitId, req: &DissolutionRequest) -> WebResult<()> {
    let current = state.store.get_unit(id).await?;
    ctx.authorize(Action::Dissolve, Resource::Unit { ancestry: &current.ancestry() })?;
    // "A, A" is one successor (so the single-successor rule still moves everything).
    let mut req = req.clone();
    let mut seen = std::collections::HashSet::new();
    req.successors.retain(|s| seen.insert(*s));
    let req = &req;
    // Successors receive sub-units and work: the actor needs the right to place them there.
    for s in &req.successors {
        if let Ok(u) = state.store.get_unit(*s).await {
            ctx.authorize(Action::CreateChild, Resource::Unit { ancestry: &u.ancestry() })?;
        }
    }
    let mut errors = FieldErrors::new();
    let on = req.effective_on.unwrap_or_else(|| Utc::now().date_naive());
    if req.effective_on.is_none() {
        errors.add("effective_on", "error.required");
    }
    let children: Vec<UnitId> = state.store.child_units(id, false).await?.iter().map(|c| c.id).collect();
    let plan = unit::plan_dissolution(id, &children, req).map_err(|e| {
        let mut all = errors.clone();
        all.0.extend(e.0);
        all
    });
    let plan = match plan {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return Err(WebError::Invalid(errors)),
        Err(all) => return Err(WebError::Invalid(all)),
    };
    state.store.dissolve_unit(&ctx.audit(), id, &req.successors, &plan, on).await?;
    Ok(())
}

/// Parses a units CSV (header `code,name,kind,parent_code[,effective_from,effective_to]`).
pub fn parse_units_csv(bytes: &[u8]) -> WebResult<Vec<UnitCsvRow>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| WebError::Invalid(FieldErrors::one("file", "error.csv")))?;
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let has_dates = rdr
        .headers()
        .map(|h| h.iter().any(|c| c == "effective_from" || c == "effective_to"))
        .map_err(|_| WebError::Invalid(FieldErrors::one("file", "error.csv")))?;
    let mut rows = vec![];
    for (i, r) in rdr.deserialize::<UnitCsvRow>().enumerate() {
        match r {
            Ok(row) => rows.push(UnitCsvRow { has_dates, ..row }),
            Err(_) => return Err(WebError::Invalid(FieldErrors::one(&format!("row {}", i + 2), "error.csv"))),
        }
    }
    if rows.is_empty() {
        return Err(WebError::Invalid(FieldErrors::one("file", "error.required")));
    }
    Ok(rows)
}

pub async fn import_units(state: &AppState, ctx: &Ctx, bytes: &[u8]) -> WebResult<(usize, usize)> {
    ctx.authorize(Action::Update, Resource::System)?;
    let rows = parse_units_csv(bytes)?;
    Ok(state.store.import_units(&ctx.audit(), &rows, |_| {}).await?)
}

/// The whole tree as CSV, parents first, in the format `import` reads.
pub fn units_csv(units: &[Unit]) -> String {
    let by_id: std::collections::HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record(["code", "name", "kind", "parent_code", "effective_from", "effective_to"]);
    for u in units {
        let parent = u.parent_id.and_then(|p| by_id.get(&p)).map(|p| p.code.as_str()).unwrap_or("");
        let from = u.effective_from.map(|d| d.to_string()).unwrap_or_default();
        let to = u.effective_to.map(|d| d.to_string()).unwrap_or_default();
        let _ = w.write_record([u.code.as_str(), &u.name, &u.kind, parent, &from, &to]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub async fn hash_password(password: String) -> WebResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(|e| WebError::Internal(e.to_string()))
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
pub async fn login(state: &AppState, ctx: &Ctx, username: &str, password: &str) -> WebResult<Account> {
    let username = username.trim().to_lowercase();
    let since = Utc::now() - Duration::minutes(THROTTLE_WINDOW_MIN);
    if state.store.login_failures_since("account", &username, since).await? >= MAX_FAILURES_PER_ACCOUNT
        || state.store.login_failures_since("ip", &ctx.ip, since).await? >= MAX_FAILURES_PER_IP
    {
        return Err(WebError::TooMany("login.throttled"));
    }
    let account = state.store.get_account_by_username(&username).await?;
    // Verify against a fixed hash when the account does not exist, so timing does not tell.
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2l1mYwqh5Zq0a4dFvdc8fE9Yx1c0Sxm6rYpG3xJ6b2k";
    let hash = account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| DUMMY.into());
    let ok = verify_password(password.to_string(), hash).await;
    match account {
        Some(a) if ok && a.active => {
            state.store.clear_login_failures("account", &username).await?;
            Ok(a)
        }
        _ => {
            state.store.record_login_failure("account", &username).await?;
            state.store.record_login_failure("ip", &ctx.ip).await?;
            Err(WebError::Invalid(FieldErrors::one("password", "login.failed")))
        }
    }
}

/// The units the actor leads (whose accounts they see in the administration).
pub fn led_units(ctx: &Ctx) -> Vec<UnitId> {
    ctx.memberships.iter().filter(|m| m.role == Role::Leader.as_str()).map(|m| m.unit_id).collect()
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
    e.into_result()?;
    Ok(Some(NewMembership { unit_id: unit_id.unwrap_or_default(), role: role.unwrap_or(Role::Viewer), title: title.to_string() }))
}

async fn authorize_membership(state: &AppState, ctx: &Ctx, m: &NewMembership) -> WebResult<()> {
    let anc = ancestry_of(state, m.unit_id, "unit_id").await?;
    ctx.authorize(Action::ManageMembers, Resource::Membership { unit_ancestry: &anc, role: m.role })
}

/// Admins create any account; leaders create officials for their subtree (a membership is then
/// required, so the new account stays within what the leader can see).
pub async fn create_account(
    state: &AppState,
    ctx: &Ctx,
    input: &AccountInput,
    password: &str,
    membership: Option<NewMembership>,
) -> WebResult<Account> {
    ctx.authorize(Action::View, Resource::Administration)?;
    match &membership {
        Some(m) => authorize_membership(state, ctx, m).await?,
        None if !ctx.is_admin() => return Err(WebError::Invalid(FieldErrors::one("unit_id", "error.required"))),
        None => {}
    }
    let draft = validate_new_account(input, password)?;
    let hash = hash_password(password.to_string()).await?;
    let audit = ctx.audit();
    let account = state.store.create_account(&audit, &draft, &hash).await?;
    if let Some(m) = membership {
        state.store.add_membership(&audit, account.id, m.unit_id, m.role, &m.title).await?;
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

pub async fn register(state: &AppState, ctx: &Ctx, input: &AccountInput, password: &str) -> WebResult<Account> {
    // Registration hashes a password: bound how often one address may ask for that.
    let since = Utc::now() - Duration::hours(1);
    if state.store.login_failures_since("register", &ctx.ip, since).await? >= MAX_REGISTRATIONS_PER_IP_PER_HOUR {
        return Err(WebError::TooMany("error.too_many"));
    }
    state.store.record_login_failure("register", &ctx.ip).await?;
    let draft = validate_new_account(input, password)?;
    let hash = hash_password(password.to_string()).await?;
    let mut audit = ctx.audit();
    audit.actor_label = format!("{} ({}) — self-registration", draft.full_name, draft.username);
    Ok(state.store.create_account(&audit, &draft, &hash).await?)
}

async fn authorize_account(state: &AppState, ctx: &Ctx, id: i64, action: Action) -> WebResult<Account> {
    let account = state.store.get_account(id).await?;
    let memberships = state.store.memberships_of(id).await?;
    let anc: Vec<Vec<UnitId>> = memberships.iter().map(|m| m.unit_ancestry()).collect();
    let is_admin = memberships.iter().any(|m| m.role == Role::Admin.as_str());
    ctx.authorize(action, Resource::Account { id, unit_ancestries: &anc, is_admin })?;
    Ok(account)
}

pub async fn view_account(state: &AppState, ctx: &Ctx, id: i64) -> WebResult<Account> {
    authorize_account(state, ctx, id, Action::View).await
}

pub async fn update_account(state: &AppState, ctx: &Ctx, id: i64, input: &AccountInput) -> WebResult<Account> {
    authorize_account(state, ctx, id, Action::Update).await?;
    let draft = account::validate_account(input)?;
    Ok(state.store.update_account(&ctx.audit(), id, &draft).await?)
}

/// Someone else's password, set by an admin or the account's leader.
pub async fn reset_password(state: &AppState, ctx: &Ctx, id: i64, password: &str) -> WebResult<()> {
    let account = authorize_account(state, ctx, id, Action::Update).await?;
    if ctx.account.as_ref().is_none_or(|me| me.id == account.id) && !ctx.is_admin() {
        return Err(WebError::Forbidden);
    }
    account::validate_password(password).map_err(|k| FieldErrors::one("new_password", k))?;
    let hash = hash_password(password.to_string()).await?;
    Ok(state.store.set_password(&ctx.audit(), id, &hash).await?)
}

pub async fn change_own_password(state: &AppState, ctx: &Ctx, current: &str, new: &str) -> WebResult<()> {
    let me = ctx.require_account()?;
    let mut e = FieldErrors::new();
    if !verify_password(current.to_string(), me.password_hash.clone()).await {
        e.add("current_password", "account.password_wrong");
    }
    if let Err(k) = account::validate_password(new) {
        e.add("new_password", k);
    }
    e.into_result()?;
    let hash = hash_password(new.to_string()).await?;
    Ok(state.store.set_password(&ctx.audit(), me.id, &hash).await?)
}

pub async fn set_active(state: &AppState, ctx: &Ctx, id: i64, active: bool) -> WebResult<()> {
    authorize_account(state, ctx, id, Action::Update).await?;
    if ctx.account.as_ref().is_some_and(|me| me.id == id) {
        return Err(WebError::Forbidden);
    }
    Ok(state.store.set_account_active(&ctx.audit(), id, active).await?)
}

pub async fn add_membership(state: &AppState, ctx: &Ctx, account_id: i64, m: &NewMembership) -> WebResult<i64> {
    // The account must already be within the actor's reach: otherwise a leader could pull any
    // account into their unit and then reset its password.
    authorize_account(state, ctx, account_id, Action::Update).await?;
    authorize_membership(state, ctx, m).await?;
    Ok(state.store.add_membership(&ctx.audit(), account_id, m.unit_id, m.role, &m.title).await?)
}

pub async fn remove_membership(state: &AppState, ctx: &Ctx, membership_id: i64) -> WebResult<i64> {
    let m = state.store.get_membership(membership_id).await?;
    let role = Role::parse(&m.role).unwrap_or(Role::Admin);
    ctx.authorize(Action::ManageMembers, Resource::Membership { unit_ancestry: &m.unit_ancestry(), role })?;
    state.store.remove_membership(&ctx.audit(), membership_id).await?;
    Ok(m.account_id)
}

/// Parses a date field (dd/mm/yyyy or yyyy-mm-dd), empty meaning none.
pub fn optional_date(value: &str, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        return None;
    }
    let d = crate::html::parse_date(value);
    if d.is_none() {
        errors.add(field, "error.date");
    }
    d
}

/// Parses an optional id field.
pub fn optional_id(value: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let id = v.parse::<i64>().ok();
    if id.is_none() {
        errors.add(field, "error.number");
    }
    id
}
