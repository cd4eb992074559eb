//! Sessions, API tokens and throttling of repeated attempts.

use crate::{App, AppResult, Caller};
use chrono::{Duration, Utc};
use danvan_domain::AccountId;

pub use danvan_store::org::auth::random_token;
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

/// Signs the caller out everywhere; returns how many sessions ended.
pub async fn sign_out_everywhere(app: &App, caller: &Caller) -> AppResult<u64> {
    let me = caller.require_account()?;
    Ok(app.store.delete_sessions_of(&caller.audit(), me.id).await?)
}

/// How many sessions the caller has open.
pub async fn count_my_sessions(app: &App, caller: &Caller) -> AppResult<i64> {
    let me = caller.require_account()?;
    Ok(app.store.count_sessions_of(me.id).await?)
}

/// The caller's own API tokens.
pub async fn my_api_tokens(app: &App, caller: &Caller) -> AppResult<Vec<ApiTokenRow>> {
    let me = caller.require_account()?;
    Ok(app.store.api_tokens_of(me.id).await?)
}

/// Creates an API token for the caller; returns it and its secret (shown once).
pub async fn create_api_token(app: &App, caller: &Caller, name: &str) -> AppResult<(ApiTokenRow, String)> {
    let me = caller.require_account()?;
    Ok(app.store.create_api_token(&caller.audit(), me.id, name).await?)
}

/// Revokes one of the caller's own API tokens (another's is not found).
pub async fn revoke_api_token(app: &App, caller: &Caller, token_id: i64) -> AppResult<()> {
    let me = caller.require_account()?;
    Ok(app.store.revoke_api_token(&caller.audit(), me.id, token_id).await?)
}

/// Counts one attempt of one kind (`scope`) from one key (an address) against at most `max`
/// within `window`, in the same step that checks it: `TooMany(refusal)` beyond the limit.
pub async fn count_attempt(
    app: &App,
    scope: &str,
    key: &str,
    window: Duration,
    max: i64,
    refusal: &'static str,
) -> AppResult<()> {
    let limit = danvan_store::AttemptLimit { scope, key, since: Utc::now() - window, max };
    match app.store.take_attempt(&[limit]).await? {
        Some(_) => Ok(()),
        None => Err(crate::AppError::TooMany(refusal)),
    }
}
