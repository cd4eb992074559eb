//! Accounts (officials and citizens) and their memberships in units.

use crate::audit::{AuditCtx, Changes};
use crate::{is_unique_violation, like_escape, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use danvan_domain::org::account::AccountDraft;
use danvan_domain::{text, AccountId, FieldErrors, Membership, Role, UnitId};

/// Refuses a change that would leave no active administrator (`keeps_an_administrator`).
/// `taken` is the SQL condition (on memberships `m` and accounts `a`, `$1` = `$id`) naming the
/// administrator memberships the change takes away: the membership removed, or every one of the
/// account locked. Inside the change's transaction and under one lock, so two administrators
/// removing (or locking) each other at once cannot both pass.
macro_rules! keep_an_admin {
    ($store:expr, $tx:expr, $field:expr, $taken:expr, $id:expr) => {{
        serialize!($store, $tx, crate::lock_key("administrators"));
        let admins = danvan_domain::authz::sql_roles(&danvan_domain::authz::system_roles());
        let from = format!("FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.role IN ({admins}) AND a.active");
        let taken: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) {from} AND {}", $taken)).bind($id).fetch_one(&mut *$tx).await?;
        if taken > 0 {
            let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(DISTINCT m.account_id) {from} AND NOT ({})", $taken))
                .bind($id)
                .fetch_one(&mut *$tx)
                .await?;
            danvan_domain::org::account::keeps_an_administrator(left, $field)?;
        }
    }};
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A membership with its unit's name and path, for display and authorisation.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MembershipRow {
    pub id: i64,
    pub account_id: i64,
    pub unit_id: i64,
    #[sqlx(try_from = "crate::Name<Role>")]
    pub role: Role,
    pub title: String,
    pub unit_name: String,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: String,
}

impl MembershipRow {
    pub fn membership(&self) -> Membership {
        Membership { unit_id: self.unit_id, role: self.role }
    }
    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }
}

/// A person in a unit's member list.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MemberRow {
    pub membership_id: i64,
    pub account_id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[sqlx(try_from = "crate::Name<Role>")]
    pub role: Role,
    pub title: String,
}

const ACCOUNT_COLS: &str = "id, username, full_name, email, phone, password_hash, active, created_at, updated_at";

fn username_taken() -> StoreError {
    StoreError::Invalid(FieldErrors::one("username", "error.username_taken"))
}

impl Store {
    pub async fn create_account(&self, ctx: &AuditCtx, draft: &AccountDraft, password_hash: &str) -> Result<Account> {
        let now = Utc::now();
        let id = on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO accounts (username, full_name, name_sort, search_text, email, phone, password_hash, active, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8) RETURNING id",
            )
            .bind(&draft.username)
            .bind(&draft.full_name)
            .bind(account_sort_key(&draft.full_name))
            .bind(account_search_text(draft))
            .bind(&draft.email)
            .bind(&draft.phone)
            .bind(password_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| if is_unique_violation(&e) { username_taken() } else { e.into() })?;
            let changes = Changes::new()
                .set("username", &draft.username)
                .set("full_name", &draft.full_name)
                .field("email", None, draft.email.as_ref())
                .field("phone", None, draft.phone.as_ref());
            audit!(tx, ctx, "account.create", "account", Some(id), &draft.full_name, changes);
            tx.commit().await?;
            id
        });
        self.get_account(id).await
    }

    pub async fn update_account(&self, ctx: &AuditCtx, id: AccountId, draft: &AccountDraft) -> Result<Account> {
        let old = self.get_account(id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE accounts SET username = $1, full_name = $2, name_sort = $3, search_text = $4, email = $5, phone = $6, updated_at = $7 WHERE id = $8")
                .bind(&draft.username)
                .bind(&draft.full_name)
                .bind(account_sort_key(&draft.full_name))
                .bind(account_search_text(draft))
                .bind(&draft.email)
                .bind(&draft.phone)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| if is_unique_violation(&e) { username_taken() } else { StoreError::from(e) })?;
            let changes = Changes::new()
                .field("username", Some(&old.username), Some(&draft.username))
                .field("full_name", Some(&old.full_name), Some(&draft.full_name))
                .field("email", old.email.as_ref(), draft.email.as_ref())
                .field("phone", old.phone.as_ref(), draft.phone.as_ref());
            audit!(tx, ctx, "account.update", "account", Some(id), &draft.full_name, changes);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.get_account(id).await
    }

    pub async fn get_account(&self, id: AccountId) -> Result<Account> {
        let sql = format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE id = $1");
        on_pool!(self, read, |p| sqlx::query_as::<_, Account>(&sql).bind(id).fetch_optional(p).await?.ok_or(StoreError::NotFound))
    }

    pub async fn get_account_by_username(&self, username: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE username = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Account>(&sql)
            .bind(username.trim().to_lowercase())
            .fetch_optional(p)
            .await?))
    }

    /// Accounts matching `q` (diacritic-insensitive on name, username, e-mail), Vietnamese name
    /// order. With `scope`, only accounts working in one of those units' subtrees, and no
    /// administrators (what a leader may see).
    pub async fn list_accounts(&self, q: &str, scope: Option<&[UnitId]>, limit: i64, offset: i64) -> Result<(Vec<Account>, i64)> {
        let pattern = format!("%{}%", like_escape(&text::fold(&text::search_query(q))));
        let mut cond = String::from("a.search_text LIKE $1 ESCAPE '\\'");
        if let Some(units) = scope {
            let mut prefixes = vec![];
            for u in units {
                // Paths are ours ('/1/5/'), digits and slashes only, so they are safe inline.
                let path = self.get_unit(*u).await?.path;
                if path.chars().all(|c| c.is_ascii_digit() || c == '/') {
                    prefixes.push(format!("u.path LIKE '{path}%'"));
                }
            }
            if prefixes.is_empty() {
                prefixes.push("FALSE".into());
            }
            cond.push_str(&format!(
                " AND a.id IN (SELECT m.account_id FROM memberships m JOIN units u ON u.id = m.unit_id WHERE {})
                  AND a.id NOT IN (SELECT account_id FROM memberships WHERE role IN ({}))",
                prefixes.join(" OR "),
                danvan_domain::authz::sql_roles(&danvan_domain::authz::system_roles())
            ));
        }
        let cols = ACCOUNT_COLS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ");
        let list = format!("SELECT {cols} FROM accounts a WHERE {cond} ORDER BY a.name_sort LIMIT $2 OFFSET $3");
        let count = format!("SELECT COUNT(*) FROM accounts a WHERE {cond}");
        on_pool!(self, read, |p| {
            let rows = sqlx::query_as::<_, Account>(&list)
                .bind(&pattern)
                .bind(limit.clamp(1, 500))
                .bind(offset.max(0))
                .fetch_all(p)
                .await?;
            let total: i64 = sqlx::query_scalar(&count).bind(&pattern).fetch_one(p).await?;
            Ok((rows, total))
        })
    }

    pub async fn set_password(&self, ctx: &AuditCtx, id: AccountId, password_hash: &str) -> Result<()> {
        let acc = self.get_account(id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(password_hash)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            // A new password signs out every other session.
            sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(&mut *tx).await?;
            audit!(tx, ctx, "account.password", "account", Some(id), &acc.full_name, Changes::new().set("password", "***"));
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn set_account_active(&self, ctx: &AuditCtx, id: AccountId, active: bool) -> Result<()> {
        let acc = self.get_account(id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            if !active {
                keep_an_admin!(self, tx, "active", "a.id = $1", id);
            }
            sqlx::query("UPDATE accounts SET active = $1, updated_at = $2 WHERE id = $3")
                .bind(active)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if !active {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(&mut *tx).await?;
                sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
                    .bind(Utc::now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                ctx,
                "account.active",
                "account",
                Some(id),
                &acc.full_name,
                Changes::new().field("active", Some(acc.active), Some(active))
            );
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn memberships_of(&self, account: AccountId) -> Result<Vec<MembershipRow>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, MembershipRow>(
            "SELECT m.id, m.account_id, m.unit_id, m.role, m.title, u.name AS unit_name, u.code AS unit_code, u.path AS unit_path
             FROM memberships m JOIN units u ON u.id = m.unit_id WHERE m.account_id = $1 ORDER BY u.depth, u.name_sort"
        )
        .bind(account)
        .fetch_all(p)
        .await?)
        })
    }

    pub async fn members_of_unit(&self, unit: UnitId) -> Result<Vec<MemberRow>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, MemberRow>(
                "SELECT m.id AS membership_id, a.id AS account_id, a.username, a.full_name, a.email, a.phone, m.role, m.title
             FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.unit_id = $1 AND a.active ORDER BY a.name_sort",
            )
            .bind(unit)
            .fetch_all(p)
            .await?)
        })
    }

    pub async fn add_membership(&self, ctx: &AuditCtx, account: AccountId, unit: UnitId, role: Role, title: &str) -> Result<i64> {
        let acc = self.get_account(account).await?;
        let u = self.get_unit(unit).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::Invalid(FieldErrors::one("unit_id", "error.unit_unknown")),
            e => e,
        })?;
        if u.dissolved() {
            return Err(FieldErrors::one("unit_id", "error.unit_dissolved").into());
        }
        let title =
            danvan_domain::org::account::check_title(title).map_err(|k| StoreError::Invalid(FieldErrors::one("title", k)))?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO memberships (account_id, unit_id, role, title, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(account)
            .bind(unit)
            .bind(role.as_str())
            .bind(&title)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Invalid(FieldErrors::one("role", "error.membership_exists"))
                } else {
                    e.into()
                }
            })?;
            let changes = Changes::new().set("unit", &u.name).set("role", role.as_str()).set("title", &title);
            audit!(tx, ctx, "membership.add", "account", Some(account), &acc.full_name, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_membership(&self, id: i64) -> Result<MembershipRow> {
        on_pool!(self, read, |p| {
            sqlx::query_as::<_, MembershipRow>(
            "SELECT m.id, m.account_id, m.unit_id, m.role, m.title, u.name AS unit_name, u.code AS unit_code, u.path AS unit_path
             FROM memberships m JOIN units u ON u.id = m.unit_id WHERE m.id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?
        .ok_or(StoreError::NotFound)
        })
    }

    pub async fn remove_membership(&self, ctx: &AuditCtx, id: i64) -> Result<()> {
        let m = self.get_membership(id).await?;
        let acc = self.get_account(m.account_id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            keep_an_admin!(self, tx, "role", "m.id = $1", id);
            sqlx::query("DELETE FROM memberships WHERE id = $1").bind(id).execute(&mut *tx).await?;
            let changes = Changes::new().field("unit", Some(&m.unit_name), None).field("role", Some(m.role.as_str()), None);
            audit!(tx, ctx, "membership.remove", "account", Some(m.account_id), &acc.full_name, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn count_accounts(&self) -> Result<i64> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(p).await?))
    }
}

fn account_sort_key(full_name: &str) -> String {
    // Vietnamese names are sorted by given name (the last word), then the whole name.
    let given = full_name.split_whitespace().last().unwrap_or("");
    format!("{}\u{7f}{}", text::sort_key(given), text::sort_key(full_name)).replace('\u{7f}', "~")
}

fn account_search_text(d: &AccountDraft) -> String {
    format!("{} {} {}", text::fold(&d.full_name), d.username, d.email.as_deref().unwrap_or(""))
}
