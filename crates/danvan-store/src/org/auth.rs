//! Server-side sessions, personal API tokens and login throttling. Secrets are random 256-bit
//! tokens; only their SHA-256 is stored, so a database leak does not leak sessions.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use danvan_domain::{AccountId, FieldErrors};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub account_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A limit of attempts: at most `max` of one kind (`scope`) from one key since `since`.
#[derive(Debug, Clone, Copy)]
pub struct AttemptLimit<'a> {
    pub scope: &'a str,
    pub key: &'a str,
    pub since: DateTime<Utc>,
    pub max: i64,
}

/// The `settings` row holding the key of `form_key`.
const FORM_KEY_SETTING: &str = "form_key";

impl Store {
    /// Creates a session; returns the secret token for the cookie and the session's CSRF token.
    pub async fn create_session(
        &self,
        account: AccountId,
        ttl: Duration,
        ip: &str,
        user_agent: &str,
    ) -> Result<(String, String)> {
        let token = random_token();
        let csrf = random_token();
        let now = Utc::now();
        on_pool!(self, write, |p| {
            sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(hash_token(&token))
                .bind(account)
                .bind(&csrf)
                .bind(now)
                .bind(now + ttl)
                .bind(ip)
                .bind(user_agent.chars().take(300).collect::<String>())
                .execute(p)
                .await?;
            // Housekeeping while we hold the writer: expired sessions and old login failures go.
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(p).await?;
            sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(now - Duration::days(1)).execute(p).await?;
            Ok::<_, StoreError>(())
        })?;
        Ok((token, csrf))
    }

    /// The live session for a cookie token, with its active account.
    pub async fn session(&self, token: &str) -> Result<Option<SessionRow>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, SessionRow>(
            "SELECT s.token_hash, s.account_id, s.csrf_token, s.created_at, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active"
        )
        .bind(hash_token(token))
        .bind(Utc::now())
        .fetch_optional(p)
        .await?)
        })
    }

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(hash_token(token)).execute(p).await?;
            Ok(())
        })
    }

    /// "Sign out everywhere": every session of the account ends.
    pub async fn delete_sessions_of(&self, ctx: &AuditCtx, account: AccountId) -> Result<u64> {
        let acc = self.get_account(account).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let n =
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account).execute(&mut *tx).await?.rows_affected();
            audit!(
                tx,
                ctx,
                "account.logout_everywhere",
                "account",
                Some(account),
                &acc.full_name,
                Changes::new().set("sessions", n)
            );
            tx.commit().await?;
            Ok(n)
        })
    }

    pub async fn count_sessions_of(&self, account: AccountId) -> Result<i64> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions WHERE account_id = $1 AND expires_at > $2"
        )
        .bind(account)
        .bind(Utc::now())
        .fetch_one(p)
        .await?))
    }

    /// Creates a personal API token; the secret is returned once and never stored.
    pub async fn create_api_token(&self, ctx: &AuditCtx, account: AccountId, name: &str) -> Result<(ApiTokenRow, String)> {
        let name = danvan_domain::text::clean(name);
        if name.is_empty() {
            return Err(FieldErrors::one("name", "error.required").into());
        }
        if name.chars().count() > 80 {
            return Err(FieldErrors::one("name", "error.too_long").into());
        }
        let secret = format!("dv_{}", random_token());
        let prefix: String = secret.chars().take(10).collect();
        let id = on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (account_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(account)
                .bind(&name)
                .bind(hash_token(&secret))
                .bind(&prefix)
                .bind(Utc::now())
                .fetch_one(&mut *tx)
                .await?;
            audit!(
                tx,
                ctx,
                "api_token.create",
                "api_token",
                Some(id),
                &name,
                Changes::new().set("account_id", account).set("prefix", &prefix)
            );
            tx.commit().await?;
            id
        });
        let row = self.api_tokens_of(account).await?.into_iter().find(|t| t.id == id).ok_or(StoreError::NotFound)?;
        Ok((row, secret))
    }

    pub async fn api_tokens_of(&self, account: AccountId) -> Result<Vec<ApiTokenRow>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, ApiTokenRow>(
            "SELECT id, account_id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE account_id = $1 ORDER BY id DESC"
        )
        .bind(account)
        .fetch_all(p)
        .await?)
        })
    }

    /// Revokes one of `account`'s tokens.
    pub async fn revoke_api_token(&self, ctx: &AuditCtx, account: AccountId, token_id: i64) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let name: Option<String> = sqlx::query_scalar(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL RETURNING name",
            )
            .bind(Utc::now())
            .bind(token_id)
            .bind(account)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(name) = name else {
                return Err(StoreError::NotFound);
            };
            audit!(tx, ctx, "api_token.revoke", "api_token", Some(token_id), &name, Changes::new().set("revoked", true));
            tx.commit().await?;
            Ok(())
        })
    }

    /// The account an API token belongs to, when the token is live and the account active.
    pub async fn account_for_api_token(&self, secret: &str) -> Result<Option<AccountId>> {
        let hash = hash_token(secret);
        let found: Option<(i64, i64, Option<DateTime<Utc>>)> = on_pool!(self, read, |p| {
            sqlx::query_as(
            "SELECT t.id, t.account_id, t.last_used_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active"
        )
        .bind(&hash)
        .fetch_optional(p)
        .await?
        });
        let Some((id, account, last_used)) = found else {
            return Ok(None);
        };
        // Record use at most once a minute, so reads do not turn into writes.
        let now = Utc::now();
        if last_used.is_none_or(|t| now - t > Duration::minutes(1)) {
            on_pool!(self, write, |p| {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(p).await?;
            });
        }
        Ok(Some(account))
    }

    pub async fn record_login_failure(&self, scope: &str, key: &str) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("INSERT INTO login_failures (scope, key, at) VALUES ($1, $2, $3)")
                .bind(scope)
                .bind(key)
                .bind(Utc::now())
                .execute(p)
                .await?;
            Ok(())
        })
    }

    pub async fn login_failures_since(&self, scope: &str, key: &str, since: DateTime<Utc>) -> Result<i64> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE scope = $1 AND key = $2 AND at > $3"
        )
        .bind(scope)
        .bind(key)
        .bind(since)
        .fetch_one(p)
        .await?))
    }

    /// Counts one attempt against every limit in one step: when a key already has its `max`
    /// attempts since `since`, nothing is recorded and `None` comes back; otherwise one row per
    /// limit is written and their ids returned (a success may take them back). Checking and
    /// counting apart let parallel attempts all pass the check before any was counted.
    pub async fn take_attempt(&self, limits: &[AttemptLimit<'_>]) -> Result<Option<Vec<i64>>> {
        let now = Utc::now();
        // Locks in one global order, so two attempts sharing two keys cannot deadlock.
        let mut locks: Vec<i64> =
            limits.iter().map(|l| crate::lock_key(&format!("attempt\u{1f}{}\u{1f}{}", l.scope, l.key))).collect();
        locks.sort_unstable();
        locks.dedup();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for k in &locks {
                serialize!(self, tx, *k);
            }
            for l in limits {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE scope = $1 AND key = $2 AND at > $3")
                    .bind(l.scope)
                    .bind(l.key)
                    .bind(l.since)
                    .fetch_one(&mut *tx)
                    .await?;
                if n >= l.max {
                    return Ok(None);
                }
            }
            let mut ids = Vec::with_capacity(limits.len());
            for l in limits {
                let id: i64 = sqlx::query_scalar("INSERT INTO login_failures (scope, key, at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(l.scope)
                    .bind(l.key)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                ids.push(id);
            }
            tx.commit().await?;
            Ok(Some(ids))
        })
    }

    /// Takes back attempts counted by `take_attempt` (a sign-in that succeeded).
    pub async fn forget_attempts(&self, ids: &[i64]) -> Result<()> {
        on_pool!(self, write, |p| {
            for id in ids {
                sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(*id).execute(p).await?;
            }
            Ok(())
        })
    }

    /// The server's key for signing what it hands out and must recognise later (the public
    /// form's start time): random, made once per database so that every node shares it.
    pub async fn form_key(&self) -> Result<String> {
        on_pool!(self, write, |p| {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(FORM_KEY_SETTING)
                .bind(random_token())
                .execute(p)
                .await?;
            Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(FORM_KEY_SETTING).fetch_one(p).await?)
        })
    }

    pub async fn clear_login_failures(&self, scope: &str, key: &str) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("DELETE FROM login_failures WHERE scope = $1 AND key = $2").bind(scope).bind(key).execute(p).await?;
            Ok(())
        })
    }
}
