//! The officer inbox's extras: response templates owned by units, the officials a case of a
//! subtree may be assigned to, and senders' contacts read in bulk for an export.

use crate::audit::{AuditCtx, Changes};
use crate::cases::Contact;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use danvan_domain::cases::inbox::TemplateDraft;
use danvan_domain::UnitId;
use std::collections::HashMap;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ResponseTemplate {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: String,
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
    pub title: String,
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

impl ResponseTemplate {
    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }
}

/// An official who may be given cases (officer or leader).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Handler {
    pub id: i64,
    pub username: String,
    pub full_name: String,
}

const TEMPLATE_SELECT: &str = "SELECT t.id, t.unit_id, u.name AS unit_name, u.code AS unit_code, u.path AS unit_path,
    t.category_id, c.name AS category_name, t.title, t.body, t.updated_at
    FROM response_templates t JOIN units u ON u.id = t.unit_id LEFT JOIN categories c ON c.id = t.category_id";

/// Integer ids written into SQL (never text from a request).
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        "NULL".into()
    } else {
        ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
    }
}

impl Store {
    pub async fn create_template(
        &self,
        ctx: &AuditCtx,
        unit_id: i64,
        category_id: Option<i64>,
        d: &TemplateDraft,
    ) -> Result<i64> {
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO response_templates (unit_id, category_id, title, body, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(unit_id)
            .bind(category_id)
            .bind(&d.title)
            .bind(&d.body)
            .bind(ctx.actor_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let changes = Changes::new().set("unit_id", unit_id).field("category_id", None, category_id).set("title", &d.title);
            audit!(tx, ctx, "template.create", "template", Some(id), &d.title, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn update_template(
        &self,
        ctx: &AuditCtx,
        id: i64,
        unit_id: i64,
        category_id: Option<i64>,
        d: &TemplateDraft,
    ) -> Result<()> {
        let old = self.get_template(id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(
                "UPDATE response_templates SET unit_id = $1, category_id = $2, title = $3, body = $4, updated_at = $5 WHERE id = $6",
            )
            .bind(unit_id)
            .bind(category_id)
            .bind(&d.title)
            .bind(&d.body)
            .bind(Utc::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let changes = Changes::new()
                .field("unit_id", Some(old.unit_id), Some(unit_id))
                .field("category_id", old.category_id, category_id)
                .field("title", Some(&old.title), Some(&d.title))
                .field("body", Some(&old.body), Some(&d.body));
            audit!(tx, ctx, "template.update", "template", Some(id), &d.title, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn delete_template(&self, ctx: &AuditCtx, id: i64) -> Result<()> {
        let old = self.get_template(id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM response_templates WHERE id = $1").bind(id).execute(&mut *tx).await?;
            audit!(tx, ctx, "template.delete", "template", Some(id), &old.title, Changes::new().set("title", &old.title));
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn get_template(&self, id: i64) -> Result<ResponseTemplate> {
        let sql = format!("{TEMPLATE_SELECT} WHERE t.id = $1");
        on_pool!(self, read, |p| sqlx::query_as::<_, ResponseTemplate>(&sql)
            .bind(id)
            .fetch_optional(p)
            .await?
            .ok_or(StoreError::NotFound))
    }

    /// Templates owned by units within these subtrees (by path), or all of them (None): the
    /// list a leader or an administrator manages.
    pub async fn templates_within(&self, paths: Option<&[String]>) -> Result<Vec<ResponseTemplate>> {
        let (cond, binds): (String, Vec<String>) = match paths {
            None => ("TRUE".into(), vec![]),
            Some([]) => ("FALSE".into(), vec![]),
            Some(ps) => (
                ps.iter()
                    .enumerate()
                    .map(|(i, _)| format!("(u.path >= ${0} AND u.path < (${0} || '~'))", i + 1))
                    .collect::<Vec<_>>()
                    .join(" OR "),
                ps.to_vec(),
            ),
        };
        let sql = format!("{TEMPLATE_SELECT} WHERE {cond} ORDER BY u.path, t.title, t.id LIMIT 1000");
        on_pool!(self, read, |p| {
            let mut q = sqlx::query_as::<_, ResponseTemplate>(&sql);
            for b in &binds {
                q = q.bind(b);
            }
            Ok(q.fetch_all(p).await?)
        })
    }

    /// The templates offered for a case: owned by its handling unit or one above it, for its
    /// category or for all categories.
    pub async fn templates_for_case(&self, ancestry: &[UnitId], category_id: Option<i64>) -> Result<Vec<ResponseTemplate>> {
        let sql = format!(
            "{TEMPLATE_SELECT} WHERE t.unit_id IN ({}) AND (t.category_id IS NULL OR t.category_id = $1)
             ORDER BY t.category_id IS NULL, t.title, t.id",
            id_list(ancestry)
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, ResponseTemplate>(&sql).bind(category_id).fetch_all(p).await?))
    }

    /// Active officers and leaders who may be given a case of this subtree: those working in it
    /// and those working on a unit above it.
    pub async fn handlers_for(&self, path: &str, ancestry: &[UnitId]) -> Result<Vec<Handler>> {
        let sql = format!(
            "SELECT DISTINCT a.id, a.username, a.full_name, a.name_sort FROM memberships m
               JOIN accounts a ON a.id = m.account_id JOIN units u ON u.id = m.unit_id
              WHERE m.role IN ({}) AND a.active
                AND ((u.path >= $1 AND u.path < ($1 || '~')) OR u.id IN ({}))
              ORDER BY a.name_sort, a.id LIMIT 500",
            danvan_domain::authz::sql_role_list(danvan_domain::Action::Handle),
            id_list(ancestry)
        );
        on_pool!(self, read, |p| {
            let rows = sqlx::query_as::<_, (i64, String, String, String)>(&sql).bind(path).fetch_all(p).await?;
            Ok(rows.into_iter().map(|(id, username, full_name, _)| Handler { id, username, full_name }).collect())
        })
    }

    /// Whether anyone active may handle a case led by the unit with this ancestry: an officer or
    /// leader on it or on a unit above it (administrators are nobody's daily work).
    pub async fn has_handlers_over(&self, ancestry: &[UnitId]) -> Result<bool> {
        if ancestry.is_empty() {
            return Ok(false);
        }
        let sql = format!(
            "SELECT COUNT(*) FROM memberships m JOIN accounts a ON a.id = m.account_id
              WHERE m.role IN ({}) AND a.active AND m.unit_id IN ({})",
            danvan_domain::authz::sql_role_list(danvan_domain::Action::Handle),
            id_list(ancestry)
        );
        let n: i64 = on_pool!(self, read, |p| sqlx::query_scalar(&sql).fetch_one(p).await?);
        Ok(n > 0)
    }

    /// Senders' contacts of many cases at once: only for callers that were authorised to see
    /// each of them.
    pub async fn case_contacts(&self, ids: &[i64]) -> Result<HashMap<i64, Contact>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT case_id, name, phone, email, address, zalo FROM case_contacts WHERE case_id IN ({})",
                id_list(chunk)
            );
            let rows = on_pool!(self, read, |p| sqlx::query_as::<
                _,
                (i64, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>),
            >(&sql)
            .fetch_all(p)
            .await?);
            for (id, name, phone, email, address, zalo) in rows {
                out.insert(id, Contact { name, phone, email, address, zalo });
            }
        }
        Ok(out)
    }
}
