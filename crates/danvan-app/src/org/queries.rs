//! Reads of the organisation for the pages and the API: units, the directory, members, accounts
//! and memberships. One function per query; typed rows.

use crate::{App, AppResult};
use chrono::{DateTime, Utc};
use danvan_domain::{AccountId, UnitId};
use std::collections::HashMap;

pub use danvan_store::{Account, MemberRow, MembershipRow, Unit, UnitSearch};

pub async fn get_unit(app: &App, id: UnitId) -> AppResult<Unit> {
    Ok(app.store.get_unit(id).await?)
}

pub async fn get_unit_by_code(app: &App, code: &str) -> AppResult<Option<Unit>> {
    Ok(app.store.get_unit_by_code(code).await?)
}

pub async fn get_units(app: &App, ids: &[UnitId]) -> AppResult<Vec<Unit>> {
    Ok(app.store.get_units(ids).await?)
}

/// The names of these units by id.
pub async fn unit_names(app: &App, ids: &[UnitId]) -> AppResult<HashMap<UnitId, String>> {
    Ok(app.store.get_units(ids).await?.into_iter().map(|u| (u.id, u.name)).collect())
}

pub async fn all_units(app: &App) -> AppResult<Vec<Unit>> {
    Ok(app.store.all_units().await?)
}

pub async fn root_units(app: &App) -> AppResult<Vec<Unit>> {
    Ok(app.store.root_units().await?)
}

pub async fn child_units(app: &App, parent: UnitId, include_dissolved: bool) -> AppResult<Vec<Unit>> {
    Ok(app.store.child_units(parent, include_dissolved).await?)
}

pub async fn child_counts(app: &App, include_dissolved: bool) -> AppResult<HashMap<UnitId, i64>> {
    Ok(app.store.child_counts(include_dissolved).await?)
}

/// The live units of a subtree as (code, name), for pickers (the unit directory is public).
pub async fn unit_names_within(app: &App, within: UnitId, limit: i64) -> AppResult<Vec<(String, String)>> {
    Ok(app.store.unit_names_within(within, limit).await?)
}

pub async fn search_units(app: &App, s: &UnitSearch) -> AppResult<(Vec<Unit>, i64)> {
    Ok(app.store.search_units(s).await?)
}

pub async fn successors(app: &App, id: UnitId) -> AppResult<Vec<Unit>> {
    Ok(app.store.successors(id).await?)
}

pub async fn predecessors(app: &App, id: UnitId) -> AppResult<Vec<Unit>> {
    Ok(app.store.predecessors(id).await?)
}

pub async fn former_names(app: &App, id: UnitId) -> AppResult<Vec<(String, DateTime<Utc>)>> {
    Ok(app.store.former_names(id).await?)
}

/// The bodies (committees, councils…) on a territory.
pub async fn units_on_territory(app: &App, territory: UnitId) -> AppResult<Vec<Unit>> {
    Ok(app.store.units_on_territory(territory).await?)
}

pub async fn members_of_unit(app: &App, unit: UnitId) -> AppResult<Vec<MemberRow>> {
    Ok(app.store.members_of_unit(unit).await?)
}

pub async fn count_units(app: &App) -> AppResult<i64> {
    Ok(app.store.count_units().await?)
}

pub async fn get_account(app: &App, id: AccountId) -> AppResult<Account> {
    Ok(app.store.get_account(id).await?)
}

pub async fn get_account_by_username(app: &App, username: &str) -> AppResult<Option<Account>> {
    Ok(app.store.get_account_by_username(username).await?)
}

pub async fn list_accounts(
    app: &App,
    q: &str,
    scope: Option<&[UnitId]>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<Account>, i64)> {
    Ok(app.store.list_accounts(q, scope, limit, offset).await?)
}

pub async fn count_accounts(app: &App) -> AppResult<i64> {
    Ok(app.store.count_accounts().await?)
}

pub async fn memberships_of(app: &App, account: AccountId) -> AppResult<Vec<MembershipRow>> {
    Ok(app.store.memberships_of(account).await?)
}

pub async fn get_membership(app: &App, id: i64) -> AppResult<MembershipRow> {
    Ok(app.store.get_membership(id).await?)
}
