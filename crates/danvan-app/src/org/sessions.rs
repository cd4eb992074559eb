//! Sessions, API tokens and throttling of repeated attempts.

use crate::{App, AppResult, Caller};
use chrono::{DateTime, Duration, Utc};
use danvan_domain::AccountId;

pub use danvan_store::auth::random_token;
pub use danvan_store::{ApiTokenRow, SessionRow};

pub async fn account_for_api_token(app: &App, secret: &str) -> AppResult<Option<AccountId>> {
    Ok(app.store.account_for_api_token(secret).await?)
}

pub async fn session(app: &App, token: &str) -> AppResult<Option<SessionRow>> {
    Ok(app.store.session(token).await?)
}

/// Opens a session; returns its secret token and its CSRF token.
pub async fn create_session(
    app: &App,
    account: AccountId,
    ttl: Duration,
    ip: &str,
    user_agent: &str,
) -> AppResult<(String, String)> {
    Ok(app.store.create_session(account, ttl, ip, user_agent).await?)
}

pub async fn delete_session(app: &App, token: &str) -> AppResult<()> {
    Ok(app.store.delete_session(token).await?)
}

/// Signs an account out everywhere; returns how many sessions ended.
pub async fn delete_sessions_of(app: &App, caller: &Caller, account: AccountId) -> AppResult<u64> {
    Ok(app.store.delete_sessions_of(&caller.audit(), account).await?)
}

pub async fn count_sessions_of(app: &App, account: AccountId) -> AppResult<i64> {
    Ok(app.store.count_sessions_of(account).await?)
}

pub async fn api_tokens_of(app: &App, account: AccountId) -> AppResult<Vec<ApiTokenRow>> {
    Ok(app.store.api_tokens_of(account).await?)
}

/// Creates an API token; returns it and its secret (shown once).
pub async fn create_api_token(app: &App, caller: &Caller, account: AccountId, name: &str) -> AppResult<(ApiTokenRow, String)> {
    Ok(app.store.create_api_token(&caller.audit(), account, name).await?)
}

pub async fn revoke_api_token(app: &App, caller: &Caller, account: AccountId, token_id: i64) -> AppResult<()> {
    Ok(app.store.revoke_api_token(&caller.audit(), account, token_id).await?)
}

/// Failed attempts of one kind (`scope`) from one key (an address) since an instant.
pub async fn failures_since(app: &App, scope: &str, key: &str, since: DateTime<Utc>) -> AppResult<i64> {
    Ok(app.store.login_failures_since(scope, key, since).await?)
}

pub async fn record_failure(app: &App, scope: &str, key: &str) -> AppResult<()> {
    Ok(app.store.record_login_failure(scope, key).await?)
}
