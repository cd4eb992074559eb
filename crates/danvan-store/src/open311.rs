//! Open311 API keys: a client presents one to create requests; only its hash is stored.

use crate::audit::{AuditCtx, Changes};
use crate::org::auth::{hash_token, random_token};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use danvan_domain::{text, FieldErrors};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Open311Key {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Creates a key; the secret is returned once.
    pub async fn create_open311_key(&self, ctx: &AuditCtx, name: &str) -> Result<(Open311Key, String)> {
        let name = text::clean(name);
        if name.is_empty() {
            return Err(FieldErrors::one("name", "error.required").into());
        }
        let secret = format!("o311_{}", random_token());
        let prefix: String = secret.chars().take(12).collect();
        let id = on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO open311_keys (name, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&name)
            .bind(hash_token(&secret))
            .bind(&prefix)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, ctx, "open311_key.create", "open311_key", Some(id), &name, Changes::new().set("prefix", &prefix));
            tx.commit().await?;
            id
        });
        let key = self.open311_keys().await?.into_iter().find(|k| k.id == id).ok_or(StoreError::NotFound)?;
        Ok((key, secret))
    }

    pub async fn open311_keys(&self) -> Result<Vec<Open311Key>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Open311Key>(
            "SELECT id, name, prefix, created_at, revoked_at FROM open311_keys ORDER BY id"
        )
        .fetch_all(p)
        .await?))
    }

    pub async fn revoke_open311_key(&self, ctx: &AuditCtx, id: i64) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let name: Option<String> =
                sqlx::query_scalar("UPDATE open311_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING name")
                    .bind(Utc::now())
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(name) = name else { return Err(StoreError::NotFound) };
            audit!(tx, ctx, "open311_key.revoke", "open311_key", Some(id), &name, Changes::new().set("revoked", true));
            tx.commit().await?;
            Ok(())
        })
    }

    /// The name of the live key matching `secret`.
    pub async fn open311_key_name(&self, secret: &str) -> Result<Option<String>> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar(
            "SELECT name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL"
        )
        .bind(hash_token(secret.trim()))
        .fetch_optional(p)
        .await?))
    }
}
