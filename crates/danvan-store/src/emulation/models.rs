//! "Dân vận khéo" model practices and exemplars (issue 11 item 3): the rows and the reads. Writes
//! are in `models_write.rs`.

use crate::{Result, Store};
use chrono::NaiveDate;
use danvan_domain::emulation::models::{Criterion, ModelField, ModelKind, Recognition, Score};
use danvan_domain::UnitId;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ModelRow {
    pub id: i64,
    #[sqlx(try_from = "crate::Name<ModelKind>")]
    pub kind: ModelKind,
    pub name: String,
    pub place: String,
    #[sqlx(try_from = "crate::Name<ModelField>")]
    pub field: ModelField,
    pub owner_unit_id: i64,
    pub owner_unit_code: String,
    pub owner_unit_name: String,
    #[serde(skip)]
    pub owner_unit_path: String,
    pub owner_name: String,
    pub recipient_id: Option<i64>,
    pub registered_unit_id: i64,
    pub registered_unit_code: String,
    pub registered_unit_name: String,
    #[serde(skip)]
    pub registered_unit_path: String,
    pub year: i64,
    pub description: String,
    pub people_mobilised: i64,
    pub results: String,
    #[sqlx(try_from = "crate::NullableName<Recognition>")]
    pub decision: Option<Recognition>,
    pub decided_on: Option<NaiveDate>,
    pub decision_ref: Option<String>,
    /// How many appraisers have scored it.
    pub appraisers: i64,
    /// Its first photo, if any.
    pub cover_photo: Option<i64>,
}

impl ModelRow {
    pub fn owner_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.owner_unit_path)
    }
    pub fn registered_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.registered_unit_path)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ScoreRow {
    pub appraiser_id: i64,
    pub appraiser_name: String,
    #[sqlx(try_from = "crate::Name<Criterion>")]
    pub criterion: Criterion,
    pub points: i64,
}

impl ScoreRow {
    pub fn score(&self) -> Score {
        Score { appraiser: self.appraiser_id, criterion: self.criterion, points: i32::try_from(self.points).unwrap_or(i32::MAX) }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReplicationRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub year: i64,
    pub note: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PhotoRow {
    pub id: i64,
    pub model_id: i64,
    pub file_name: String,
    #[serde(skip)]
    pub storage_key: String,
    #[serde(skip)]
    pub thumb_key: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    #[serde(skip)]
    pub sha256: String,
}

/// An appraiser named on a field's team at a unit.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AppraiserRow {
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[sqlx(try_from = "crate::Name<ModelField>")]
    pub field: ModelField,
    pub account_id: i64,
    pub username: String,
    pub full_name: String,
}

/// Which models a list shows.
#[derive(Debug, Clone, Default)]
pub struct ModelFilter {
    /// Subtrees ('/1/5/'): models owned by or registered with a unit in one of them. With
    /// `appraiser`, also the models that account appraises. Both empty: every model.
    pub paths: Vec<String>,
    pub appraiser: Option<i64>,
    /// Only the recognised models (the public gallery).
    pub recognised_only: bool,
    pub field: Option<ModelField>,
    pub kind: Option<ModelKind>,
    pub year: Option<i32>,
    /// Search words, matched on the folded text at word starts.
    pub q: String,
    pub limit: i64,
    pub offset: i64,
}

const MODEL: &str = "SELECT m.id, m.kind, m.name, m.place, m.field, m.owner_unit_id, o.code AS owner_unit_code,
    o.name AS owner_unit_name, o.path AS owner_unit_path, m.owner_name, m.recipient_id, m.registered_unit_id,
    r.code AS registered_unit_code, r.name AS registered_unit_name, r.path AS registered_unit_path, m.year,
    m.description, m.people_mobilised, m.results, m.decision, m.decided_on, m.decision_ref,
    (SELECT COUNT(DISTINCT s.appraiser_id) FROM emulation_model_scores s WHERE s.model_id = m.id) AS appraisers,
    (SELECT MIN(p.id) FROM emulation_model_photos p WHERE p.model_id = m.id) AS cover_photo
    FROM emulation_models m JOIN units o ON o.id = m.owner_unit_id JOIN units r ON r.id = m.registered_unit_id";

enum Bind {
    Text(String),
    Int(i64),
}

/// The WHERE clause of a filter and its values, numbered from $1.
fn filter_sql(f: &ModelFilter) -> (String, Vec<Bind>) {
    fn next(b: Bind, binds: &mut Vec<Bind>) -> String {
        binds.push(b);
        format!("${}", binds.len())
    }
    let mut binds = vec![];
    let mut conds = vec!["1 = 1".to_string()];
    let mut scope = vec![];
    for p in &f.paths {
        let like = format!("{}%", crate::like_escape(p));
        let a = next(Bind::Text(like.clone()), &mut binds);
        let b = next(Bind::Text(like), &mut binds);
        scope.push(format!("o.path LIKE {a} ESCAPE '\\' OR r.path LIKE {b} ESCAPE '\\'"));
    }
    if let Some(acc) = f.appraiser {
        let a = next(Bind::Int(acc), &mut binds);
        scope.push(format!(
            "EXISTS (SELECT 1 FROM emulation_appraisers t WHERE t.unit_id = m.registered_unit_id AND t.field = m.field
             AND t.account_id = {a})"
        ));
    }
    if !scope.is_empty() {
        conds.push(format!("({})", scope.join(" OR ")));
    } else if !f.recognised_only {
        // Nobody's scope: nothing (a list never falls back to everything by mistake).
        conds.push("1 = 0".into());
    }
    if f.recognised_only {
        conds.push("m.decision = 'recognised'".into());
    }
    if let Some(field) = f.field {
        conds.push(format!("m.field = {}", next(Bind::Text(field.as_str().into()), &mut binds)));
    }
    if let Some(kind) = f.kind {
        conds.push(format!("m.kind = {}", next(Bind::Text(kind.as_str().into()), &mut binds)));
    }
    if let Some(year) = f.year {
        conds.push(format!("m.year = {}", next(Bind::Int(i64::from(year)), &mut binds)));
    }
    for w in danvan_domain::text::search_words(&f.q) {
        let p = next(Bind::Text(format!("% {}%", crate::like_escape(&w))), &mut binds);
        conds.push(format!("(' ' || m.search_text) LIKE {p} ESCAPE '\\'"));
    }
    (conds.join(" AND "), binds)
}

macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::Text(s) => q.bind(s.clone()),
                Bind::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

impl Store {
    pub async fn emulation_model(&self, id: i64) -> Result<Option<ModelRow>> {
        let sql = format!("{MODEL} WHERE m.id = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, ModelRow>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// The models a filter selects, newest year first then by name, and how many there are.
    pub async fn emulation_models(&self, f: &ModelFilter) -> Result<(Vec<ModelRow>, i64)> {
        let (cond, binds) = filter_sql(f);
        let list = format!(
            "{MODEL} WHERE {cond} ORDER BY m.year DESC, m.field, m.name LIMIT {} OFFSET {}",
            f.limit.clamp(1, 500),
            f.offset.max(0)
        );
        let count = format!(
            "SELECT COUNT(*) FROM emulation_models m JOIN units o ON o.id = m.owner_unit_id
             JOIN units r ON r.id = m.registered_unit_id WHERE {cond}"
        );
        on_pool!(self, read, |p| {
            let rows = bind_all!(sqlx::query_as::<_, ModelRow>(&list), &binds).fetch_all(p).await?;
            let total = bind_all!(sqlx::query_scalar::<_, i64>(&count), &binds).fetch_one(p).await?;
            Ok((rows, total))
        })
    }

    /// The years that have recognised models, newest first (the gallery's choice of years).
    pub async fn emulation_model_years(&self) -> Result<Vec<i64>> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar::<_, i64>(
            "SELECT DISTINCT year FROM emulation_models WHERE decision = 'recognised' ORDER BY year DESC"
        )
        .fetch_all(p)
        .await?))
    }

    pub async fn emulation_model_scores(&self, model: i64) -> Result<Vec<ScoreRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, ScoreRow>(
            "SELECT s.appraiser_id, a.full_name AS appraiser_name, s.criterion, s.points FROM emulation_model_scores s
             JOIN accounts a ON a.id = s.appraiser_id WHERE s.model_id = $1 ORDER BY a.full_name, s.appraiser_id, s.criterion"
        )
        .bind(model)
        .fetch_all(p)
        .await?))
    }

    pub async fn emulation_model_replications(&self, model: i64) -> Result<Vec<ReplicationRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, ReplicationRow>(
            "SELECT x.id, x.unit_id, u.name AS unit_name, x.year, x.note FROM emulation_model_replications x
             JOIN units u ON u.id = x.unit_id WHERE x.model_id = $1 ORDER BY x.year, x.id"
        )
        .bind(model)
        .fetch_all(p)
        .await?))
    }

    pub async fn emulation_model_photos(&self, model: i64) -> Result<Vec<PhotoRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, PhotoRow>(
            "SELECT id, model_id, file_name, storage_key, thumb_key, bytes, width, height, sha256
             FROM emulation_model_photos WHERE model_id = $1 ORDER BY id"
        )
        .bind(model)
        .fetch_all(p)
        .await?))
    }

    pub async fn emulation_model_photo(&self, id: i64) -> Result<Option<PhotoRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, PhotoRow>(
            "SELECT id, model_id, file_name, storage_key, thumb_key, bytes, width, height, sha256
             FROM emulation_model_photos WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?))
    }

    /// Whether `account` is on the team of `field` at `unit`.
    pub async fn is_emulation_appraiser(&self, unit: i64, field: ModelField, account: i64) -> Result<bool> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM emulation_appraisers WHERE unit_id = $1 AND field = $2 AND account_id = $3"
        )
        .bind(unit)
        .bind(field.as_str())
        .bind(account)
        .fetch_one(p)
        .await?
            > 0))
    }

    /// The appraisers of the teams at units in these subtrees, and of the teams `account` is on.
    pub async fn emulation_appraisers(&self, paths: &[String], account: Option<i64>) -> Result<Vec<AppraiserRow>> {
        let base = "SELECT t.unit_id, u.code AS unit_code, u.name AS unit_name, t.field, t.account_id, a.username, a.full_name
            FROM emulation_appraisers t JOIN units u ON u.id = t.unit_id JOIN accounts a ON a.id = t.account_id";
        let mut rows = vec![];
        for path in paths {
            let sql = format!("{base} WHERE u.path LIKE $1 ESCAPE '\\' ORDER BY u.name_sort, t.field, a.full_name LIMIT 1000");
            let like = format!("{}%", crate::like_escape(path));
            let found: Vec<AppraiserRow> =
                on_pool!(self, read, |p| sqlx::query_as::<_, AppraiserRow>(&sql).bind(&like).fetch_all(p).await?);
            rows.extend(found);
        }
        if let Some(a) = account {
            let sql = format!("{base} WHERE t.account_id = $1");
            let own: Vec<AppraiserRow> =
                on_pool!(self, read, |p| sqlx::query_as::<_, AppraiserRow>(&sql).bind(a).fetch_all(p).await?);
            rows.extend(own);
        }
        let mut seen = std::collections::HashSet::new();
        rows.retain(|r| seen.insert((r.unit_id, r.field, r.account_id)));
        Ok(rows)
    }
}
