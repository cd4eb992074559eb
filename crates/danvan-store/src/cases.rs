//! Cases (feedback, petitions, complaints, denunciations): intake with a tracking code, the
//! officer inbox, transitions with their history, answers with a register number, ratings.
//! The sender's personal data lives in `case_contacts` and is read only by explicit calls.

use crate::audit::AuditCtx;
use crate::auth::{hash_token, random_token};
use crate::{is_unique_violation, like_escape, Result, Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use danvan_domain::calendar::DueStatus;
use danvan_domain::case::{tracking_code, CaseDraft, CaseKind, CaseStatus, Channel};
use danvan_domain::category::AttributeDef;
use danvan_domain::{text, FieldErrors, UnitId};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub group_name: String,
    pub keywords: String,
    #[sqlx(try_from = "crate::Name<danvan_domain::UnitKind>")]
    pub unit_kind: danvan_domain::UnitKind,
    pub accept_days: Option<i64>,
    pub resolve_days: Option<i64>,
    pub active: bool,
    /// English name (empty: the Vietnamese one is shown).
    pub name_en: String,
    /// Open311 attribute definitions, as JSON (see `attribute_defs`).
    pub attributes: String,
}

const CATEGORY_COLS: &str =
    "id, code, name, description, group_name, keywords, unit_kind, accept_days, resolve_days, active, name_en, attributes";

impl Category {
    pub fn attribute_defs(&self) -> Vec<AttributeDef> {
        serde_json::from_str(&self.attributes).unwrap_or_default()
    }
    /// The name in the reader's language.
    pub fn name_in(&self, english: bool) -> &str {
        if english && !self.name_en.is_empty() {
            &self.name_en
        } else {
            &self.name
        }
    }
}

/// What an administrator enters for a category.
#[derive(Debug, Clone, Default)]
pub struct CategoryFields {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub group: String,
    pub description: String,
    pub keywords: String,
    pub unit_kind: String,
    /// Time limits of feedback and petitions in this category (None: the kind's setting).
    pub accept_days: Option<i64>,
    pub resolve_days: Option<i64>,
    pub attributes: Vec<AttributeDef>,
}

impl CategoryFields {
    fn check(&self) -> Result<String> {
        let mut e = FieldErrors::new();
        let code = match danvan_domain::unit::validate_code(&self.code) {
            Ok(c) => c,
            Err(k) => {
                e.add("code", k);
                String::new()
            }
        };
        if text::clean(&self.name).is_empty() {
            e.add("name", "error.required");
        }
        if danvan_domain::UnitKind::parse(&self.unit_kind).is_none() {
            e.add("unit_kind", "error.unit_kind");
        }
        for (f, v) in [("accept_days", self.accept_days), ("resolve_days", self.resolve_days)] {
            if v.is_some_and(|d| !(1..=366).contains(&d)) {
                e.add(f, "settings.error.days_range");
            }
        }
        e.into_result()?;
        Ok(code)
    }
}

/// A case without personal data.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub code: String,
    #[sqlx(try_from = "crate::Name<CaseKind>")]
    pub kind: CaseKind,
    #[sqlx(try_from = "crate::Name<Channel>")]
    pub channel: Channel,
    #[sqlx(try_from = "crate::Name<CaseStatus>")]
    pub status: CaseStatus,
    pub category_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub place_unit_id: Option<i64>,
    pub unit_id: i64,
    pub unit_path: String,
    pub assignee_id: Option<i64>,
    pub publish: bool,
    pub complex: bool,
    pub extensions_used: i64,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub accept_due: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    pub paused_since: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<i64>,
    pub rating_comment: String,
    pub source_system: Option<String>,
    pub source_ref: Option<String>,
    pub merged_into: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) const CASE_COLS: &str = "id, code, kind, channel, status, category_id, title, description, address, latitude, longitude, place_unit_id, unit_id, unit_path, assignee_id, publish, complex, extensions_used, received_at, received_on, accepted_on, accept_due, resolve_due, paused_since, answered_at, closed_at, rating, rating_comment, source_system, source_ref, merged_into, updated_at";

/// What the public sees of a published case (Open311), with the names it shows joined in: a
/// listing is 1,000 of these, and looking the names up afterwards cost as much as the listing.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PublicCase {
    pub id: i64,
    pub code: String,
    #[sqlx(try_from = "crate::Name<CaseStatus>")]
    pub status: CaseStatus,
    pub category_code: Option<String>,
    pub category_name: Option<String>,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The code of the ward or residential group the case is about.
    pub place_code: Option<String>,
    /// The handling unit's name.
    pub unit_name: String,
    pub received_at: DateTime<Utc>,
    pub accept_due: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    /// The case's first photo (an attachment id), if any.
    pub photo_id: Option<i64>,
}

const PUBLIC_CASE_COLS: &str =
    "c.id, c.code, c.status, cat.code AS category_code, cat.name AS category_name, c.description, c.address,
    c.latitude, c.longitude, pl.code AS place_code, u.name AS unit_name, c.received_at, c.accept_due, c.resolve_due, c.updated_at,
    (SELECT MIN(a.id) FROM attachments a WHERE a.case_id = c.id AND a.purpose = 'photo') AS photo_id";
const PUBLIC_CASE_JOINS: &str =
    "JOIN units u ON u.id = c.unit_id LEFT JOIN units pl ON pl.id = c.place_unit_id LEFT JOIN categories cat ON cat.id = c.category_id";

/// A supporting unit (đơn vị phối hợp) of a case.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CaseSupport {
    pub unit_id: UnitId,
    pub code: String,
    pub name: String,
    pub path: String,
    pub added_at: DateTime<Utc>,
}

/// Records a change of supporting units in the case's history (internal, like notes).
macro_rules! support_event {
    ($tx:expr, $ctx:expr, $case_id:expr, $at:expr, $action:expr, $unit_name:expr, $note:expr) => {{
        let note: &str = $note;
        let text = if note.is_empty() { $unit_name.to_string() } else { format!("{}: {note}", $unit_name) };
        sqlx::query(
            "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, $5, $6, FALSE)",
        )
        .bind($case_id)
        .bind($at)
        .bind($ctx.actor_id)
        .bind(&$ctx.actor_label)
        .bind($action)
        .bind(text)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use support_event;

impl CaseRow {
    /// Still work to do (not answered, closed, rejected, withdrawn or sent outside).
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::units::path_ids(&self.unit_path)
    }
}

#[derive(Debug, Clone, Default, sqlx::FromRow, serde::Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// A Zalo number for the answer, when the sender asked for it.
    pub zalo: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CaseEvent {
    pub id: i64,
    pub case_id: i64,
    pub at: DateTime<Utc>,
    pub actor_label: String,
    pub action: String,
    #[sqlx(try_from = "crate::NullableName<CaseStatus>")]
    pub from_status: Option<CaseStatus>,
    #[sqlx(try_from = "crate::NullableName<CaseStatus>")]
    pub to_status: Option<CaseStatus>,
    pub note: String,
    pub public: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Answer {
    pub case_id: i64,
    pub body: String,
    pub register_no: Option<String>,
    pub drafted_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The leader who signed it off (the answer document's signer); kept out of the API's JSON.
    #[serde(skip)]
    pub approved_by: Option<i64>,
}

/// Everything needed to record a new case.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub draft: CaseDraft,
    pub channel: Channel,
    pub category_id: Option<i64>,
    pub place_unit_id: Option<i64>,
    pub unit_id: UnitId,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub accept_due: Option<NaiveDate>,
    pub source: Option<(String, String)>,
    pub idempotency_key: Option<String>,
    /// Internal notes recorded with the case, in its commit (the category's extra information,
    /// the reason for another handling unit than the suggested one): a retried request, which
    /// returns the case already recorded, can never leave them out.
    pub notes: Vec<String>,
}

/// The inbox's filters; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases handled within this unit's subtree.
    pub within: Option<UnitId>,
    pub statuses: Vec<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub category_id: Option<i64>,
    pub channel: Option<Channel>,
    /// Open cases due on or before this date.
    pub due_by: Option<NaiveDate>,
    /// Open cases due before this date (overdue as of it).
    pub overdue_as_of: Option<NaiveDate>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub q: String,
    /// Only cases that may be shown to the public.
    pub public_only: bool,
    /// Only these tracking codes (Open311 service_request_id).
    pub codes: Vec<String>,
    /// Only these categories (Open311 service_code).
    pub category_ids: Vec<i64>,
    /// Skip counting all matches (the total is then returned as -1).
    pub skip_total: bool,
    /// Only cases with a point (latitude and longitude both set): the map.
    pub has_point: bool,
    /// Only cases whose id is greater (keyset paging with [`CaseSort::Id`]).
    pub after_id: Option<i64>,
    /// Only cases one of whose supporting units lies within this unit's subtree (the work a
    /// unit supports, beside the work it leads).
    pub supported_within: Option<UnitId>,
    pub sort: CaseSort,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseSort {
    #[default]
    DueDate,
    Newest,
    /// By id, the one key that never changes: long reads page with `after_id` and neither repeat
    /// nor skip a case whose due date or status moves meanwhile (the export).
    Id,
}

pub(crate) const OPEN_STATUSES: &str =
    "('received','accepted','assigned','in_progress','paused','answer_drafted','answer_approved')";

/// A change to a case made by one transition, applied with its history entry in one transaction.
/// Made with [`CaseChange::new`] and struct update syntax: `CaseChange { note, ..CaseChange::new(…) }`.
#[derive(Debug, Clone)]
pub struct CaseChange {
    /// When it happened (now, unless recording history, e.g. demo data or imports).
    pub at: Option<DateTime<Utc>>,
    /// The history entry's action (a `CaseAction` name, or `due_date`…).
    pub action: String,
    pub from_status: CaseStatus,
    pub to_status: CaseStatus,
    pub note: String,
    pub public: bool,
    pub kind: Option<CaseKind>,
    pub unit: Option<(i64, String)>,
    pub assignee_id: Option<Option<i64>>,
    pub accepted_on: Option<Option<NaiveDate>>,
    pub accept_due: Option<Option<NaiveDate>>,
    pub resolve_due: Option<Option<NaiveDate>>,
    pub paused_since: Option<Option<NaiveDate>>,
    pub complex: Option<bool>,
    pub extensions_used: Option<i64>,
    pub publish: Option<bool>,
    pub answered: bool,
    pub closed: bool,
    pub reopened: bool,
    /// What happens to the answer, in the same commit.
    pub answer: Option<AnswerChange>,
    /// Also record an internal `due_date` entry: the resolution date moved (resuming a case
    /// closes its pause and counts it).
    pub due_date_event: bool,
    /// Messages to citizens and their new tracking links, queued in the same commit.
    pub outgoing: crate::delivery::Outgoing,
    /// An audit entry on the case (`target_type` `case`), in the same commit. Approving an
    /// answer adds its register number to the changes.
    pub audit: Option<(&'static str, crate::Changes)>,
}

/// The audit action of a sign-off: the register number an answer was given, by whom.
pub const AUDIT_ANSWER_APPROVE: &str = "case.answer_approve";

/// What a transition does to the case's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerChange {
    /// A new draft, replacing an earlier one (its number, approval and sending are cleared).
    Draft { body: String },
    /// Sign-off (ký duyệt): the next number of the unit's register for the year, e.g.
    /// "12/TL-C00073", which also becomes the history entry's note.
    Approve { unit_id: i64, unit_code: String },
    /// The answer is sent.
    Sent,
}

/// A draft's text as stored, or why it is refused.
fn checked_answer(body: &str) -> Result<String> {
    let body = text::clean_multiline(body);
    if body.chars().count() < 10 {
        return Err(FieldErrors::one("answer", if body.is_empty() { "error.required" } else { "case.error.answer_short" }).into());
    }
    Ok(body)
}

impl CaseChange {
    /// An internal change from `from` to `to` recorded as `action`, changing nothing else.
    pub fn new(action: &str, from: CaseStatus, to: CaseStatus) -> CaseChange {
        CaseChange {
            at: None,
            action: action.into(),
            from_status: from,
            to_status: to,
            note: String::new(),
            public: false,
            kind: None,
            unit: None,
            assignee_id: None,
            accepted_on: None,
            accept_due: None,
            resolve_due: None,
            paused_since: None,
            complex: None,
            extensions_used: None,
            publish: None,
            answered: false,
            closed: false,
            reopened: false,
            answer: None,
            due_date_event: false,
            outgoing: Default::default(),
            audit: None,
        }
    }
}

/// The categories a new installation starts with (admins edit them): code, name, group, the
/// kind of unit responsible, keywords.
const DEFAULT_CATEGORIES: &[(&str, &str, &str, &str, &str)] = &[
    ("giao-thong", "Đường sá, vỉa hè hư hỏng", "Hạ tầng", "peoples_committee", "ổ gà, sụt lún, vỉa hè, đường"),
    ("thoat-nuoc", "Cống rãnh, thoát nước, ngập úng", "Hạ tầng", "peoples_committee", "cống, tắc, ngập, nước thải"),
    ("chieu-sang", "Chiếu sáng công cộng", "Hạ tầng", "peoples_committee", "đèn đường, hỏng đèn"),
    ("ve-sinh", "Rác thải, vệ sinh môi trường", "Môi trường", "peoples_committee", "rác, mùi, ô nhiễm"),
    ("o-nhiem", "Tiếng ồn, khói bụi, ô nhiễm", "Môi trường", "peoples_committee", "ồn, karaoke, khói, bụi"),
    (
        "trat-tu-do-thi",
        "Lấn chiếm lòng đường, vỉa hè; trật tự đô thị",
        "Trật tự",
        "peoples_committee",
        "lấn chiếm, hàng rong, đỗ xe",
    ),
    ("xay-dung", "Xây dựng không phép, sai phép", "Đất đai – xây dựng", "peoples_committee", "xây dựng, công trình"),
    ("dat-dai", "Đất đai, ranh giới, giấy chứng nhận", "Đất đai – xây dựng", "peoples_committee", "sổ đỏ, tranh chấp, đất"),
    ("an-ninh", "An ninh trật tự khu dân cư", "Trật tự", "peoples_committee", "trộm cắp, gây rối"),
    ("chinh-sach", "Chính sách xã hội, an sinh", "Xã hội", "peoples_committee", "trợ cấp, hộ nghèo, người có công"),
    ("thu-tuc", "Thủ tục hành chính, thái độ phục vụ", "Chính quyền", "peoples_committee", "hồ sơ, thủ tục, cán bộ"),
    ("khu-dan-cu", "Sinh hoạt khu dân cư, tổ dân phố", "Cộng đồng", "fatherland_front", "tổ dân phố, hương ước"),
    ("gop-y", "Góp ý xây dựng Đảng, chính quyền", "Cộng đồng", "fatherland_front", "góp ý, kiến nghị"),
];

impl Store {
    /// Adds the default categories once, on a new database.
    pub async fn ensure_default_categories(&self) -> Result<()> {
        if self.get_setting("categories_seeded").await?.is_some() {
            return Ok(());
        }
        let ctx = AuditCtx::system("setup");
        for (code, name, group, unit_kind, keywords) in DEFAULT_CATEGORIES {
            match self.create_category(&ctx, code, name, group, "", keywords, unit_kind).await {
                Ok(_) | Err(StoreError::Invalid(_)) => {}
                Err(e) => return Err(e),
            }
        }
        self.set_setting("categories_seeded", "1").await
    }

    /// Categories in Vietnamese order of group, then name.
    pub async fn categories(&self, include_inactive: bool) -> Result<Vec<Category>> {
        let mut v = on_pool!(self, read, |p| {
            sqlx::query_as::<_, Category>(&format!("SELECT {CATEGORY_COLS} FROM categories WHERE ($1 OR active)"))
                .bind(include_inactive)
                .fetch_all(p)
                .await?
        });
        v.sort_by_cached_key(|c| (text::sort_key(&c.group_name), text::sort_key(&c.name)));
        Ok(v)
    }

    pub async fn category_by_code(&self, code: &str) -> Result<Option<Category>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, Category>(&format!("SELECT {CATEGORY_COLS} FROM categories WHERE code = $1"))
                .bind(code.trim())
                .fetch_optional(p)
                .await?)
        })
    }

    pub async fn category(&self, id: i64) -> Result<Category> {
        on_pool!(self, read, |p| {
            sqlx::query_as::<_, Category>(&format!("SELECT {CATEGORY_COLS} FROM categories WHERE id = $1"))
                .bind(id)
                .fetch_optional(p)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Creates a category (admins); the code is also its Open311 service code.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_category(
        &self,
        ctx: &AuditCtx,
        code: &str,
        name: &str,
        group: &str,
        description: &str,
        keywords: &str,
        unit_kind: &str,
    ) -> Result<i64> {
        let mut e = FieldErrors::new();
        let code = match danvan_domain::unit::validate_code(code) {
            Ok(c) => c,
            Err(k) => {
                e.add("code", k);
                String::new()
            }
        };
        let name = text::clean(name);
        if name.is_empty() {
            e.add("name", "error.required");
        }
        if danvan_domain::UnitKind::parse(unit_kind).is_none() {
            e.add("unit_kind", "error.unit_kind");
        }
        e.into_result()?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO categories (code, name, description, group_name, keywords, unit_kind, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7) RETURNING id",
            )
            .bind(&code)
            .bind(&name)
            .bind(text::clean(description))
            .bind(text::clean(group))
            .bind(text::clean(keywords))
            .bind(unit_kind.trim())
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| if is_unique_violation(&e) { StoreError::Invalid(FieldErrors::one("code", "error.code_duplicate")) } else { e.into() })?;
            audit!(
                tx,
                ctx,
                "category.create",
                "category",
                Some(id),
                &name,
                crate::Changes::new().set("code", &code).set("unit_kind", unit_kind)
            );
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Creates a category with every field (the administration page).
    pub async fn create_category_with(&self, ctx: &AuditCtx, f: &CategoryFields) -> Result<i64> {
        let code = f.check()?;
        let attrs = serde_json::to_string(&f.attributes).unwrap_or_else(|_| "[]".into());
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO categories (code, name, description, group_name, keywords, unit_kind, accept_days, resolve_days, name_en, attributes, active, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE, $11) RETURNING id",
            )
            .bind(&code)
            .bind(text::clean(&f.name))
            .bind(text::clean(&f.description))
            .bind(text::clean(&f.group))
            .bind(text::clean(&f.keywords))
            .bind(f.unit_kind.trim())
            .bind(f.accept_days)
            .bind(f.resolve_days)
            .bind(text::clean(&f.name_en))
            .bind(&attrs)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| if is_unique_violation(&e) { StoreError::Invalid(FieldErrors::one("code", "error.code_duplicate")) } else { e.into() })?;
            let changes = crate::Changes::new()
                .set("code", &code)
                .set("name", text::clean(&f.name))
                .set("unit_kind", f.unit_kind.trim())
                .set("attributes", &attrs);
            audit!(tx, ctx, "category.create", "category", Some(id), &text::clean(&f.name), changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Changes a category. Its code is its Open311 service code: clients keep it, so it may
    /// change only while no case uses the category.
    pub async fn update_category(&self, ctx: &AuditCtx, id: i64, f: &CategoryFields) -> Result<()> {
        let code = f.check()?;
        let old = self.category(id).await?;
        if code != old.code && self.category_in_use(id).await? {
            return Err(StoreError::Invalid(FieldErrors::one("code", "category.error.code_in_use")));
        }
        let attrs = serde_json::to_string(&f.attributes).unwrap_or_else(|_| "[]".into());
        let name = text::clean(&f.name);
        let changes = crate::Changes::new()
            .field("code", Some(old.code.as_str()), Some(code.as_str()))
            .field("name", Some(old.name.as_str()), Some(name.as_str()))
            .field("name_en", Some(old.name_en.clone()), Some(text::clean(&f.name_en)))
            .field("group_name", Some(old.group_name.clone()), Some(text::clean(&f.group)))
            .field("description", Some(old.description.clone()), Some(text::clean(&f.description)))
            .field("keywords", Some(old.keywords.clone()), Some(text::clean(&f.keywords)))
            .field("unit_kind", Some(old.unit_kind.as_str()), Some(f.unit_kind.trim()))
            .field("accept_days", Some(old.accept_days), Some(f.accept_days))
            .field("resolve_days", Some(old.resolve_days), Some(f.resolve_days))
            .field("attributes", Some(old.attributes.as_str()), Some(attrs.as_str()));
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(
                "UPDATE categories SET code = $1, name = $2, description = $3, group_name = $4, keywords = $5, unit_kind = $6,
                 accept_days = $7, resolve_days = $8, name_en = $9, attributes = $10 WHERE id = $11",
            )
            .bind(&code)
            .bind(&name)
            .bind(text::clean(&f.description))
            .bind(text::clean(&f.group))
            .bind(text::clean(&f.keywords))
            .bind(f.unit_kind.trim())
            .bind(f.accept_days)
            .bind(f.resolve_days)
            .bind(text::clean(&f.name_en))
            .bind(&attrs)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Invalid(FieldErrors::one("code", "error.code_duplicate"))
                } else {
                    e.into()
                }
            })?;
            audit!(tx, ctx, "category.update", "category", Some(id), &name, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deactivates (or reactivates) a category: it leaves the forms and Open311's list; the
    /// cases filed under it keep it. Categories are never deleted.
    pub async fn set_category_active(&self, ctx: &AuditCtx, id: i64, active: bool) -> Result<()> {
        let old = self.category(id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE categories SET active = $1 WHERE id = $2").bind(active).bind(id).execute(&mut *tx).await?;
            audit!(
                tx,
                ctx,
                if active { "category.activate" } else { "category.deactivate" },
                "category",
                Some(id),
                &old.name,
                crate::Changes::new().field("active", Some(old.active), Some(active))
            );
            tx.commit().await?;
            Ok(())
        })
    }

    /// Whether any case was filed under the category.
    pub async fn category_in_use(&self, id: i64) -> Result<bool> {
        on_pool!(self, read, |p| {
            let n: Option<i64> =
                sqlx::query_scalar("SELECT id FROM cases WHERE category_id = $1 LIMIT 1").bind(id).fetch_optional(p).await?;
            Ok(n.is_some())
        })
    }

    /// Records a new case with its tracking code; returns it with the secret of its private link.
    /// A repeated idempotency key or source reference returns the case already recorded.
    pub async fn create_case(&self, ctx: &AuditCtx, new: &NewCase) -> Result<(CaseRow, Option<String>)> {
        self.create_case_with(ctx, new, &[]).await
    }

    /// `create_case` with its photos recorded in the same commit: a case is never saved without
    /// the photos it was sent with, nor photos without their case.
    pub async fn create_case_with(
        &self,
        ctx: &AuditCtx,
        new: &NewCase,
        attachments: &[crate::attachments::NewAttachment],
    ) -> Result<(CaseRow, Option<String>)> {
        if let Some(existing) = self.existing_case(new).await? {
            return Ok((existing, None));
        }
        let secret = random_token();
        let d = &new.draft;
        let mut new = new.clone();
        new.notes = new.notes.iter().map(|n| text::clean_multiline(n)).filter(|n| !n.is_empty()).collect();
        let new = &new;
        let prep = crate::intake::Prepared {
            new: new.clone(),
            actor_id: ctx.actor_id,
            actor_label: ctx.actor_label.clone(),
            secret_hash: hash_token(&secret),
            year: new.received_at.with_timezone(&danvan_domain::calendar::vietnam_offset()).year(),
            search: format!("{} {}", text::fold(&d.title), text::fold(&d.description)),
            unit_path: self.get_unit(new.unit_id).await?.path,
            now: Utc::now(),
            attachments: attachments.to_vec(),
            unit_end_sql: self.unit_end_sql(),
        };
        let inserted = match &self.intake {
            // SQLite: the writer task commits it with the others waiting (group commit).
            Some(intake) => intake.write(prep).await?,
            // PostgreSQL: its own transaction; concurrent commits share their flush anyway.
            None => on_pool!(self, write, |p| {
                let mut tx = p.begin().await?;
                let r = crate::intake::write_case!(tx, &prep).await?;
                // On a conflict the transaction is dropped, hence rolled back.
                if matches!(r, crate::intake::Inserted::Created(_)) {
                    tx.commit().await?;
                }
                r
            }),
        };
        match inserted {
            crate::intake::Inserted::Created(id) => Ok((self.get_case(id).await?, Some(secret))),
            // Lost a race with the same key: the other request's case is the answer.
            crate::intake::Inserted::Conflict => Ok((self.existing_case(new).await?.ok_or(StoreError::NotFound)?, None)),
            crate::intake::Inserted::UnitDissolved => Err(crate::units::dissolved_refusal()),
        }
    }

    /// The case an earlier request with the same idempotency key or source reference created.
    /// Each lookup is its own indexed query: an `OR` of optional conditions would scan the table.
    async fn existing_case(&self, new: &NewCase) -> Result<Option<CaseRow>> {
        if let Some(key) = &new.idempotency_key {
            let sql = format!("SELECT {CASE_COLS} FROM cases WHERE idempotency_key = $1");
            let found = on_pool!(self, read, |p| sqlx::query_as::<_, CaseRow>(&sql).bind(key).fetch_optional(p).await?);
            if found.is_some() {
                return Ok(found);
            }
        }
        if let Some((system, reference)) = &new.source {
            let sql = format!("SELECT {CASE_COLS} FROM cases WHERE source_system = $1 AND source_ref = $2");
            return on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql)
                .bind(system)
                .bind(reference)
                .fetch_optional(p)
                .await?));
        }
        Ok(None)
    }

    pub async fn get_case(&self, id: i64) -> Result<CaseRow> {
        let sql = format!("SELECT {CASE_COLS} FROM cases WHERE id = $1");
        on_pool!(self, read, |p| sqlx::query_as::<_, CaseRow>(&sql).bind(id).fetch_optional(p).await?.ok_or(StoreError::NotFound))
    }

    pub async fn get_case_by_code(&self, code: &str) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {CASE_COLS} FROM cases WHERE code = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql)
            .bind(code.trim().to_uppercase())
            .fetch_optional(p)
            .await?))
    }

    /// The case a tracking link opens, when its secret matches: the link given at intake, or
    /// one carried by a message with the answer (`case_links`).
    pub async fn case_by_secret(&self, code: &str, secret: &str) -> Result<Option<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLS} FROM cases WHERE code = $1
               AND (secret_hash = $2 OR id IN (SELECT case_id FROM case_links WHERE secret_hash = $2))"
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql)
            .bind(code.trim().to_uppercase())
            .bind(hash_token(secret.trim()))
            .fetch_optional(p)
            .await?))
    }

    /// The sender's personal data: only for callers that were authorised to see it.
    pub async fn case_contact(&self, id: i64) -> Result<Contact> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Contact>(
            "SELECT name, phone, email, address, zalo FROM case_contacts WHERE case_id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?
        .unwrap_or_default()))
    }

    pub async fn case_events(&self, id: i64, public_only: bool) -> Result<Vec<CaseEvent>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, CaseEvent>(
            "SELECT id, case_id, at, actor_label, action, from_status, to_status, note, public FROM case_events WHERE case_id = $1 AND (public OR NOT $2) ORDER BY id"
        )
        .bind(id)
        .bind(public_only)
        .fetch_all(p)
        .await?)
        })
    }

    pub async fn case_pauses(&self, id: i64) -> Result<Vec<(NaiveDate, Option<NaiveDate>)>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, (NaiveDate, Option<NaiveDate>)>(
            "SELECT from_on, to_on FROM case_pauses WHERE case_id = $1 ORDER BY id"
        )
        .bind(id)
        .fetch_all(p)
        .await?))
    }

    pub async fn answer(&self, case_id: i64) -> Result<Option<Answer>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, Answer>(
            "SELECT case_id, body, register_no, drafted_at, approved_at, sent_at, approved_by FROM case_answers WHERE case_id = $1"
        )
        .bind(case_id)
        .fetch_optional(p)
        .await?)
        })
    }

    /// The table, and on SQLite the index for a subtree: bound parameters hide the range's width
    /// from SQLite's planner, which then may prefer walking every case of a status.
    fn cases_from(&self, f: &CaseFilter) -> &'static str {
        match (&self.backend, f.within.is_some(), f.q.trim().is_empty()) {
            (crate::Backend::Sqlite { .. }, true, true) => "cases c INDEXED BY cases_inbox",
            (crate::Backend::Sqlite { .. }, true, false) => "cases c INDEXED BY cases_search",
            _ => "cases c",
        }
    }

    fn case_filter_sql(f: &CaseFilter, first_word: usize, words: usize) -> String {
        // A subtree is a range of paths ('/1/5/' ≤ path < '/1/5/~'): an index range on both
        // databases, where LIKE would scan on SQLite. Written only when asked for, because
        // "$1 IS NULL OR …" keeps the planner from using the index.
        // The same goes for every optional filter: an absent one becomes "$n IS NULL" (a constant
        // the planner sets aside), so the columns it would read do not force a visit to the table
        // and the inbox index stays covering.
        let when = |present: bool, cond: &str, n: u8| if present { cond.to_string() } else { format!("${n} IS NULL") };
        let mut c = [
            when(f.within.is_some(), "c.unit_path >= $1 AND c.unit_path < ($1 || '~')", 1),
            when(f.kind.is_some(), "c.kind = $2", 2),
            when(f.category_id.is_some(), "c.category_id = $3", 3),
            when(f.channel.is_some(), "c.channel = $4", 4),
            when(f.received_from.is_some(), "c.received_on >= $5", 5),
            when(f.received_to.is_some(), "c.received_on <= $6", 6),
        ]
        .join(" AND ");
        if !f.statuses.is_empty() {
            // statuses are the domain's names, never raw input
            let list: Vec<String> = f.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            if !list.is_empty() {
                c.push_str(&format!(" AND c.status IN ({})", list.join(",")));
            }
        }
        // A paused case's clock is stopped: its stored date is stale while it waits, and it is
        // never due soon or overdue (`danvan_domain::case::due_status_as_of`).
        if let Some(d) = f.due_by {
            c.push_str(&format!(
                " AND c.status IN {OPEN_STATUSES} AND c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) <= '{d}'"
            ));
        }
        if let Some(d) = f.overdue_as_of {
            c.push_str(&format!(
                " AND c.status IN {OPEN_STATUSES} AND c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) < '{d}'"
            ));
        }
        if !f.codes.is_empty() {
            // Tracking codes are checked against their fixed shape before they reach SQL.
            let list: Vec<String> = f
                .codes
                .iter()
                .filter(|c| c.len() <= 20 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-'))
                .map(|c| format!("'{}'", c.to_uppercase()))
                .collect();
            c.push_str(&format!(" AND c.code IN ({})", if list.is_empty() { "''".to_string() } else { list.join(",") }));
        }
        if !f.category_ids.is_empty() {
            let list: Vec<String> = f.category_ids.iter().map(|i| i.to_string()).collect();
            c.push_str(&format!(" AND c.category_id IN ({})", list.join(",")));
        }
        if f.has_point {
            c.push_str(" AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL");
        }
        if let Some(id) = f.after_id {
            // An integer, never text: inlined like the id lists.
            c.push_str(&format!(" AND c.id > {id}"));
        }
        if let Some(id) = f.supported_within {
            // A unit id, never text, like the above.
            c.push_str(&format!(
                " AND c.id IN (SELECT s.case_id FROM case_supports s JOIN units su ON su.id = s.unit_id, units w
                   WHERE w.id = {id} AND su.path >= w.path AND su.path < (w.path || '~'))"
            ));
        }
        if f.public_only {
            c.push_str(" AND c.publish AND c.kind IN ('feedback','petition') AND c.merged_into IS NULL");
        }
        for i in 0..words {
            c.push_str(&format!(" AND (' ' || c.search_text) LIKE ${} ESCAPE '\\'", first_word + i));
        }
        c
    }

    /// The values a filter binds besides its own fields: the subtree's path and the search words
    /// (folded, as `LIKE` patterns on word starts).
    async fn filter_inputs(&self, f: &CaseFilter) -> Result<(Option<String>, Vec<String>)> {
        let within = match f.within {
            Some(id) => Some(self.get_unit(id).await?.path),
            None => None,
        };
        let words = text::fold(&text::clean(&f.q)).split_whitespace().map(|w| format!("% {}%", like_escape(w))).collect();
        Ok((within, words))
    }

    /// The inbox: cases matching the filter, due date first (or newest first), paginated.
    pub async fn list_cases(&self, f: &CaseFilter) -> Result<(Vec<CaseRow>, i64)> {
        let (within, words) = self.filter_inputs(f).await?;
        let order = order_sql(f.sort);
        let cols = CASE_COLS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
        let from = self.cases_from(f);
        let list = format!(
            "SELECT {cols} FROM {from} WHERE {} ORDER BY {order} LIMIT $7 OFFSET $8",
            Self::case_filter_sql(f, 9, words.len())
        );
        let count = format!("SELECT COUNT(*) FROM {from} WHERE {}", Self::case_filter_sql(f, 7, words.len()));
        on_pool!(self, read, |p| {
            let mut q =
                bind_filter!(sqlx::query_as::<_, CaseRow>(&list), &within, f).bind(f.limit.clamp(1, 500)).bind(f.offset.max(0));
            for w in &words {
                q = q.bind(w);
            }
            let rows = q.fetch_all(p).await?;
            if f.skip_total {
                return Ok((rows, -1));
            }
            let mut c = bind_filter!(sqlx::query_scalar::<_, i64>(&count), &within, f);
            for w in &words {
                c = c.bind(w);
            }
            Ok((rows, c.fetch_one(p).await?))
        })
    }

    /// Published cases as Open311 lists them (`f.public_only` is implied), newest first or by
    /// due date, without the total, in one query. Only the columns shown are read: reading every
    /// column of a thousand rows cost more than finding them.
    pub async fn list_public_cases(&self, f: &CaseFilter) -> Result<Vec<PublicCase>> {
        let f = CaseFilter { public_only: true, ..f.clone() };
        let (within, words) = self.filter_inputs(&f).await?;
        let order = order_sql(f.sort);
        let sql = format!(
            "SELECT {PUBLIC_CASE_COLS} FROM {} {PUBLIC_CASE_JOINS} WHERE {} ORDER BY {order} LIMIT $7 OFFSET $8",
            self.cases_from(&f),
            Self::case_filter_sql(&f, 9, words.len())
        );
        let limit = f.limit.clamp(1, 1000);
        match &self.backend {
            // SQLite: read in place (see `direct`); same statement, same parameters.
            crate::Backend::Sqlite { read, .. } => {
                use rusqlite::types::Value;
                let mut params = vec![
                    crate::direct::text(within),
                    crate::direct::text(f.kind.map(|k| k.as_str().to_string())),
                    f.category_id.map_or(Value::Null, Value::Integer),
                    crate::direct::text(f.channel.map(|c| c.as_str().to_string())),
                    crate::direct::date(f.received_from),
                    crate::direct::date(f.received_to),
                    Value::Integer(limit),
                    Value::Integer(f.offset.max(0)),
                ];
                params.extend(words.into_iter().map(Value::Text));
                crate::direct::with_connection(read, |c| {
                    let mut stmt = c.prepare(&sql)?;
                    crate::direct::bind_numbered(&mut stmt, &params)?;
                    let mut rows = stmt.raw_query();
                    let mut out = Vec::with_capacity(limit as usize);
                    while let Some(r) = rows.next()? {
                        out.push(PublicCase {
                            id: r.get(0)?,
                            code: r.get(1)?,
                            status: crate::direct::named(r, 2)?,
                            category_code: r.get(3)?,
                            category_name: r.get(4)?,
                            description: r.get(5)?,
                            address: r.get(6)?,
                            latitude: r.get(7)?,
                            longitude: r.get(8)?,
                            place_code: r.get(9)?,
                            unit_name: r.get(10)?,
                            received_at: crate::direct::timestamp(r, 11)?,
                            accept_due: crate::direct::opt_date(r, 12)?,
                            resolve_due: crate::direct::opt_date(r, 13)?,
                            updated_at: crate::direct::timestamp(r, 14)?,
                            photo_id: r.get(15)?,
                        });
                    }
                    Ok(out)
                })
                .await
            }
            crate::Backend::Postgres(p) => {
                let mut q = bind_filter!(sqlx::query_as::<_, PublicCase>(&sql), &within, f).bind(limit).bind(f.offset.max(0));
                for w in &words {
                    q = q.bind(w);
                }
                Ok(q.fetch_all(p).await?)
            }
        }
    }

    /// How many cases match (the inbox counters).
    pub async fn count_cases(&self, f: &CaseFilter) -> Result<i64> {
        let (within, words) = self.filter_inputs(f).await?;
        let count = format!("SELECT COUNT(*) FROM {} WHERE {}", self.cases_from(f), Self::case_filter_sql(f, 7, words.len()));
        on_pool!(self, read, |p| {
            let mut c = bind_filter!(sqlx::query_scalar::<_, i64>(&count), &within, f);
            for w in &words {
                c = c.bind(w);
            }
            Ok(c.fetch_one(p).await?)
        })
    }

    /// The inbox's five counters in one pass over the subtree's open cases (one grouped query
    /// instead of five counts, each of which walked the same index range). Same definitions as
    /// the filters: new = received, waiting = paused, to approve = answer drafted; due soon and
    /// overdue count every open status but paused (its clock is stopped) by its due date.
    pub async fn case_counters(&self, within: Option<UnitId>, soon: NaiveDate, today: NaiveDate) -> Result<CaseCounters> {
        let from = self.cases_from(&CaseFilter { within, ..Default::default() });
        let within = match within {
            Some(id) => Some(self.get_unit(id).await?.path),
            None => None,
        };
        let subtree = if within.is_some() { "c.unit_path >= $1 AND c.unit_path < ($1 || '~')" } else { "$1 IS NULL" };
        let sql = format!(
            "SELECT c.status, COUNT(*),
                    COALESCE(SUM(CASE WHEN c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) <= $2 THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) < $3 THEN 1 ELSE 0 END), 0)
             FROM {from} WHERE {subtree} AND c.status IN {OPEN_STATUSES} GROUP BY c.status"
        );
        let rows: Vec<(String, i64, i64, i64)> =
            on_pool!(self, read, |p| sqlx::query_as(&sql).bind(&within).bind(soon).bind(today).fetch_all(p).await?);
        let mut c = CaseCounters::default();
        for (status, n, due_soon, overdue) in rows {
            match CaseStatus::try_from(status)? {
                CaseStatus::Received => c.received = n,
                CaseStatus::Paused => c.paused = n,
                CaseStatus::AnswerDrafted => c.to_approve = n,
                _ => {}
            }
            c.due_soon += due_soon;
            c.overdue += overdue;
        }
        Ok(c)
    }

    /// Applies one transition in one transaction: the case changes only if it is still in
    /// `from_status` (another officer may have acted meanwhile); its history entries, its answer
    /// (draft, register number, sending), its pause, the messages to its citizens with their
    /// links and its audit entry are written in the same commit, or nothing is.
    pub async fn apply_case_change(&self, ctx: &AuditCtx, id: i64, ch: &CaseChange) -> Result<CaseRow> {
        let now = ch.at.unwrap_or_else(Utc::now);
        let draft = match &ch.answer {
            Some(AnswerChange::Draft { body }) => Some(checked_answer(body)?),
            _ => None,
        };
        let year = now.with_timezone(&danvan_domain::calendar::vietnam_offset()).year() as i64;
        let today = now.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive();
        // Sending an open case to a unit, or assigning one, where the unit is dissolved: refused
        // in the commit, the unit read (and on PostgreSQL locked) there.
        let to_open = ch.to_status.is_open();
        let check_unit = to_open && (ch.unit.is_some() || matches!(ch.assignee_id, Some(Some(_))));
        let unit_end_sql = self.unit_end_sql();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            crate::fault::point();
            let mut sets = vec!["status = $1".to_string(), "updated_at = $2".to_string()];
            let mut n = 4; // $3 is the id, $4.. the optional fields in the order below
            let mut next = |col: &str| {
                n += 1;
                sets.push(format!("{col} = ${n}"));
            };
            if ch.kind.is_some() {
                next("kind");
            }
            if ch.unit.is_some() {
                next("unit_id");
                next("unit_path");
            }
            if ch.assignee_id.is_some() {
                next("assignee_id");
            }
            if ch.accepted_on.is_some() {
                next("accepted_on");
            }
            if ch.accept_due.is_some() {
                next("accept_due");
            }
            if ch.resolve_due.is_some() {
                next("resolve_due");
            }
            if ch.paused_since.is_some() {
                next("paused_since");
            }
            if ch.complex.is_some() {
                next("complex");
            }
            if ch.extensions_used.is_some() {
                next("extensions_used");
            }
            if ch.publish.is_some() {
                next("publish");
            }
            if ch.answered {
                sets.push("answered_at = $2".into());
            }
            if ch.closed {
                sets.push("closed_at = $2".into());
            }
            if ch.reopened {
                sets.push("answered_at = NULL".into());
                sets.push("closed_at = NULL".into());
            }
            let sql = format!("UPDATE cases SET {} WHERE id = $3 AND status = $4 RETURNING code", sets.join(", "));
            let mut q = sqlx::query(&sql).bind(ch.to_status.as_str()).bind(now).bind(id).bind(ch.from_status.as_str());
            if let Some(k) = ch.kind {
                q = q.bind(k.as_str());
            }
            if let Some((u, path)) = &ch.unit {
                q = q.bind(*u).bind(path);
            }
            if let Some(a) = ch.assignee_id {
                q = q.bind(a);
            }
            if let Some(v) = ch.accepted_on {
                q = q.bind(v);
            }
            if let Some(v) = ch.accept_due {
                q = q.bind(v);
            }
            if let Some(v) = ch.resolve_due {
                q = q.bind(v);
            }
            if let Some(v) = ch.paused_since {
                q = q.bind(v);
            }
            if let Some(v) = ch.complex {
                q = q.bind(v);
            }
            if let Some(v) = ch.extensions_used {
                q = q.bind(v);
            }
            if let Some(v) = ch.publish {
                q = q.bind(v);
            }
            let Some(code) = q.fetch_optional(&mut *tx).await?.map(|r| sqlx::Row::get::<String, _>(&r, 0)) else {
                return Err(StoreError::Invalid(FieldErrors::one("status", "case.error.changed")));
            };
            crate::fault::point();
            // After the first write, which takes SQLite's write lock (a read first could not wait
            // for it); a refusal rolls the update back.
            if check_unit {
                let unit = match &ch.unit {
                    Some((u, _)) => Some(*u),
                    None => {
                        sqlx::query_scalar::<_, i64>("SELECT unit_id FROM cases WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?
                    }
                };
                if let Some(u) = unit {
                    let end: Option<Option<NaiveDate>> =
                        sqlx::query_scalar(unit_end_sql).bind(u).fetch_optional(&mut *tx).await?;
                    if matches!(end, Some(Some(_))) {
                        return Err(crate::units::dissolved_refusal());
                    }
                }
                crate::fault::point();
            }
            // A unit that now leads the case no longer supports it; a denunciation has no
            // supporting units (the denounced unit might be one).
            if let Some((u, _)) = &ch.unit {
                sqlx::query("DELETE FROM case_supports WHERE case_id = $1 AND unit_id = $2")
                    .bind(id)
                    .bind(*u)
                    .execute(&mut *tx)
                    .await?;
            }
            if ch.kind == Some(CaseKind::Denunciation) {
                sqlx::query("DELETE FROM case_supports WHERE case_id = $1").bind(id).execute(&mut *tx).await?;
            }
            // Pauses: a pause opens a range; resuming closes it the day before.
            if ch.action == "pause" {
                sqlx::query("INSERT INTO case_pauses (case_id, from_on) VALUES ($1, $2)")
                    .bind(id)
                    .bind(today)
                    .execute(&mut *tx)
                    .await?;
                crate::fault::point();
            }
            if ch.action == "resume" || (ch.from_status == CaseStatus::Paused && ch.to_status != CaseStatus::Paused) {
                sqlx::query("UPDATE case_pauses SET to_on = $1 WHERE case_id = $2 AND to_on IS NULL")
                    .bind(today)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::fault::point();
            }
            let mut note = ch.note.clone();
            let mut audit_changes = ch.audit.as_ref().map(|(_, c)| c.clone());
            match &ch.answer {
                None => {}
                Some(AnswerChange::Draft { .. }) => {
                    sqlx::query(
                        "INSERT INTO case_answers (case_id, body, drafted_by, drafted_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (case_id) DO UPDATE SET body = excluded.body, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at,
                           register_no = NULL, approved_by = NULL, approved_at = NULL, sent_at = NULL",
                    )
                    .bind(id)
                    .bind(&draft)
                    .bind(ctx.actor_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    crate::fault::point();
                }
                Some(AnswerChange::Approve { unit_id, unit_code }) => {
                    let n: i64 = sqlx::query_scalar(
                        "INSERT INTO answer_registers (unit_id, year, last) VALUES ($1, $2, 1) ON CONFLICT (unit_id, year) DO UPDATE SET last = answer_registers.last + 1 RETURNING last",
                    )
                    .bind(*unit_id)
                    .bind(year)
                    .fetch_one(&mut *tx)
                    .await?;
                    crate::fault::point();
                    let no = format!("{n}/TL-{unit_code}");
                    let numbered = sqlx::query(
                        "UPDATE case_answers SET register_no = $1, approved_by = $2, approved_at = $3 WHERE case_id = $4",
                    )
                    .bind(&no)
                    .bind(ctx.actor_id)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if numbered == 0 {
                        return Err(FieldErrors::one("answer", "error.required").into());
                    }
                    crate::fault::point();
                    audit_changes = audit_changes.map(|c| c.set("register_no", &no));
                    note = no;
                }
                Some(AnswerChange::Sent) => {
                    let sent = sqlx::query("UPDATE case_answers SET sent_at = $1 WHERE case_id = $2")
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if sent == 0 {
                        return Err(FieldErrors::one("answer", "error.required").into());
                    }
                    crate::fault::point();
                }
            }
            sqlx::query(
                "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, from_status, to_status, note, public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(now)
            .bind(ctx.actor_id)
            .bind(&ctx.actor_label)
            .bind(&ch.action)
            .bind(ch.from_status.as_str())
            .bind(ch.to_status.as_str())
            .bind(&note)
            .bind(ch.public)
            .execute(&mut *tx)
            .await?;
            crate::fault::point();
            if ch.due_date_event {
                sqlx::query(
                    "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, from_status, to_status, note, public) VALUES ($1, $2, $3, $4, 'due_date', $5, $5, '', FALSE)",
                )
                .bind(id)
                .bind(now)
                .bind(ctx.actor_id)
                .bind(&ctx.actor_label)
                .bind(ch.to_status.as_str())
                .execute(&mut *tx)
                .await?;
                crate::fault::point();
            }
            crate::delivery::write_outgoing!(tx, &ch.outgoing, now);
            if let (Some((action, _)), Some(changes)) = (&ch.audit, audit_changes) {
                audit!(tx, ctx, *action, "case", Some(id), &code, changes);
                crate::fault::point();
            }
            tx.commit().await?;
            crate::fault::point();
            Ok::<_, StoreError>(())
        })?;
        self.get_case(id).await
    }

    /// An internal note (never shown to the citizen or the public).
    pub async fn add_case_note(&self, ctx: &AuditCtx, id: i64, note: &str) -> Result<()> {
        let note = text::clean_multiline(note);
        if note.is_empty() {
            return Err(FieldErrors::one("note", "error.required").into());
        }
        on_pool!(self, write, |p| {
            sqlx::query("INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, 'note', $5, FALSE)")
                .bind(id)
                .bind(Utc::now())
                .bind(ctx.actor_id)
                .bind(&ctx.actor_label)
                .bind(&note)
                .execute(p)
                .await?;
            Ok(())
        })
    }

    /// The supporting units (đơn vị phối hợp) of a case, in the order they were added.
    pub async fn case_supports(&self, case_id: i64) -> Result<Vec<CaseSupport>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseSupport>(
            "SELECT u.id AS unit_id, u.code, u.name, u.path, s.added_at FROM case_supports s JOIN units u ON u.id = s.unit_id
             WHERE s.case_id = $1 ORDER BY s.added_at, u.id"
        )
        .bind(case_id)
        .fetch_all(p)
        .await?))
    }

    /// Adds a supporting unit to an open case (the domain's `support_refusal` decides, on the
    /// case as it is inside the transaction); the history records who added it and why.
    pub async fn add_case_support(&self, ctx: &AuditCtx, case_id: i64, unit_id: UnitId, note: &str) -> Result<()> {
        let note = text::clean_multiline(note);
        let unit = self.get_unit(unit_id).await.map_err(|e| match e {
            StoreError::NotFound => FieldErrors::one("support_unit", "error.unit_unknown").into(),
            e => e,
        })?;
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            // Touching the row locks it on PostgreSQL (SQLite has one writer): two officers adding
            // units at once are checked one after the other.
            let (status, lead, kind): (String, i64, String) =
                sqlx::query_as("UPDATE cases SET updated_at = $1 WHERE id = $2 RETURNING status, unit_id, kind")
                    .bind(now)
                    .bind(case_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
            let already: Vec<i64> = sqlx::query_scalar("SELECT unit_id FROM case_supports WHERE case_id = $1")
                .bind(case_id)
                .fetch_all(&mut *tx)
                .await?;
            let status = CaseStatus::try_from(status)?;
            let kind = CaseKind::try_from(kind)?;
            if let Some(key) = danvan_domain::case::support_refusal(kind, status, lead, unit.id, unit.dissolved(), &already) {
                return Err(FieldErrors::one("support_unit", key).into());
            }
            sqlx::query("INSERT INTO case_supports (case_id, unit_id, added_at, added_by) VALUES ($1, $2, $3, $4)")
                .bind(case_id)
                .bind(unit.id)
                .bind(now)
                .bind(ctx.actor_id)
                .execute(&mut *tx)
                .await?;
            support_event!(tx, ctx, case_id, now, "support_add", &unit.name, &note);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Ends a unit's support of a case; the history keeps that it supported it.
    pub async fn remove_case_support(&self, ctx: &AuditCtx, case_id: i64, unit_id: UnitId, note: &str) -> Result<()> {
        let note = text::clean_multiline(note);
        let unit = self.get_unit(unit_id).await?;
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let gone = sqlx::query("DELETE FROM case_supports WHERE case_id = $1 AND unit_id = $2")
                .bind(case_id)
                .bind(unit_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now).bind(case_id).execute(&mut *tx).await?;
            support_event!(tx, ctx, case_id, now, "support_remove", &unit.name, &note);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Saves the answer draft (replacing an earlier, unapproved one).
    pub async fn save_answer_draft(&self, ctx: &AuditCtx, case_id: i64, body: &str, at: DateTime<Utc>) -> Result<()> {
        let body = text::clean_multiline(body);
        if body.chars().count() < 10 {
            return Err(
                FieldErrors::one("answer", if body.is_empty() { "error.required" } else { "case.error.answer_short" }).into()
            );
        }
        crate::fault::point();
        on_pool!(self, write, |p| {
            sqlx::query(
                "INSERT INTO case_answers (case_id, body, drafted_by, drafted_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (case_id) DO UPDATE SET body = excluded.body, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at,
                   register_no = NULL, approved_by = NULL, approved_at = NULL, sent_at = NULL",
            )
            .bind(case_id)
            .bind(&body)
            .bind(ctx.actor_id)
            .bind(at)
            .execute(p)
            .await?;
            crate::fault::point();
            Ok(())
        })
    }

    /// ký duyệt: numbers the answer in the unit's register for the year ("12/TL-C00073").
    pub async fn approve_answer(
        &self,
        ctx: &AuditCtx,
        case_id: i64,
        unit_id: i64,
        unit_code: &str,
        at: DateTime<Utc>,
    ) -> Result<String> {
        let year = at.with_timezone(&danvan_domain::calendar::vietnam_offset()).year() as i64;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let n: i64 = sqlx::query_scalar(
                "INSERT INTO answer_registers (unit_id, year, last) VALUES ($1, $2, 1) ON CONFLICT (unit_id, year) DO UPDATE SET last = answer_registers.last + 1 RETURNING last",
            )
            .bind(unit_id)
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            crate::fault::point();
            let no = format!("{n}/TL-{unit_code}");
            sqlx::query("UPDATE case_answers SET register_no = $1, approved_by = $2, approved_at = $3 WHERE case_id = $4")
                .bind(&no)
                .bind(ctx.actor_id)
                .bind(at)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            crate::fault::point();
            tx.commit().await?;
            crate::fault::point();
            Ok(no)
        })
    }

    pub async fn mark_answer_sent(&self, case_id: i64, at: DateTime<Utc>) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("UPDATE case_answers SET sent_at = $1 WHERE case_id = $2").bind(at).bind(case_id).execute(p).await?;
            crate::fault::point();
            Ok(())
        })
    }

    /// The citizen's rating of the answer (1–5 and a comment); a later rating replaces it.
    pub async fn rate_case(&self, case_id: i64, rating: u8, comment: &str, at: DateTime<Utc>) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE cases SET rating = $1, rating_comment = $2, updated_at = $3 WHERE id = $4")
                .bind(rating as i64)
                .bind(text::clean_multiline(comment))
                .bind(at)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO case_events (case_id, at, actor_label, action, note, public) VALUES ($1, $2, 'citizen', 'rate', $3, TRUE)")
                .bind(case_id)
                .bind(at)
                .bind(format!("{rating}/5"))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Public figures of a unit's subtree: received, answered, answered on time, median working
    /// days is computed by the caller from `answer_days`; satisfaction average.
    pub async fn case_stats(&self, within: UnitId) -> Result<CaseStats> {
        let path = self.get_unit(within).await?.path;
        // "On time" compares the Vietnamese calendar day of the answer with the due date.
        let answered_day = self.vn_date_sql("answered_at");
        let sql = format!(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND resolve_due IS NOT NULL
                             AND {answered_day} <= resolve_due THEN 1 ELSE 0 END), 0),
                    AVG(CAST(rating AS DOUBLE PRECISION)),
                    COALESCE(SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END), 0)
             FROM cases WHERE unit_path >= $1 AND unit_path < ($1 || '~') AND kind <> 'denunciation'"
        );
        on_pool!(self, read, |p| {
            let row: (i64, i64, i64, Option<f64>, i64) = sqlx::query_as(&sql).bind(&path).fetch_one(p).await?;
            let answered: Vec<(NaiveDate, DateTime<Utc>)> = sqlx::query_as(
                "SELECT received_on, answered_at FROM cases WHERE unit_path >= $1 AND unit_path < ($1 || '~') AND answered_at IS NOT NULL AND kind <> 'denunciation' ORDER BY id DESC LIMIT 5000",
            )
            .bind(&path)
            .fetch_all(p)
            .await?;
            Ok(CaseStats {
                received: row.0,
                answered: row.1,
                on_time: row.2,
                satisfaction: row.3,
                ratings: row.4,
                answered_dates: answered,
            })
        })
    }
}

/// The inbox's counters (see `case_counters`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseCounters {
    pub received: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub paused: i64,
    pub to_approve: i64,
}

#[derive(Debug, Clone, Default)]
pub struct CaseStats {
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub satisfaction: Option<f64>,
    pub ratings: i64,
    /// (received on, answered at) of recent answered cases, for the median.
    pub answered_dates: Vec<(NaiveDate, DateTime<Utc>)>,
}

/// An open case whose due date has come near.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueCase {
    pub id: i64,
    pub code: String,
    pub unit_path: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub case_id: i64,
    pub code: String,
    pub title: String,
    #[sqlx(try_from = "crate::Name<DueStatus>")]
    pub kind: DueStatus,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Open cases due on or before `by` (the escalation job's work list).
    pub async fn cases_due_by(&self, by: NaiveDate) -> Result<Vec<DueCase>> {
        let sql = format!(
            "SELECT id, code, unit_path, COALESCE(resolve_due, accept_due) AS due FROM cases
             WHERE status IN {OPEN_STATUSES} AND COALESCE(resolve_due, accept_due) <= $1 AND status <> 'paused'"
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, DueCase>(&sql).bind(by).fetch_all(p).await?))
    }

    /// Leaders (those who approve a unit's work) holding their role directly on one of `units`.
    pub async fn leaders_of(&self, units: &[UnitId]) -> Result<Vec<i64>> {
        if units.is_empty() {
            return Ok(vec![]);
        }
        let list: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        let sql = format!(
            "SELECT DISTINCT m.account_id FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.role IN ({}) AND a.active AND m.unit_id IN ({})",
            danvan_domain::authz::sql_role_list(danvan_domain::Action::Approve),
            list.join(",")
        );
        on_pool!(self, read, |p| Ok(sqlx::query_scalar::<_, i64>(&sql).fetch_all(p).await?))
    }

    /// Records notices; a notice already given is not given again. Returns how many are new.
    pub async fn notify(&self, accounts: &[i64], case_id: i64, kind: DueStatus) -> Result<u64> {
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut n = 0;
            for a in accounts {
                n += sqlx::query("INSERT INTO notifications (account_id, case_id, kind, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                    .bind(*a)
                    .bind(case_id)
                    .bind(kind.as_str())
                    .bind(now)
                    .execute(p)
                    .await?
                    .rows_affected();
            }
            Ok(n)
        })
    }

    pub async fn unread_notifications(&self, account: i64, limit: i64) -> Result<Vec<Notification>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Notification>(
            "SELECT n.id, n.case_id, c.code, c.title, n.kind, n.created_at FROM notifications n JOIN cases c ON c.id = n.case_id
             WHERE n.account_id = $1 AND n.read_at IS NULL ORDER BY n.id DESC LIMIT $2"
        )
        .bind(account)
        .bind(limit)
        .fetch_all(p)
        .await?))
    }

    pub async fn mark_notifications_read(&self, account: i64) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
                .bind(Utc::now())
                .bind(account)
                .execute(p)
                .await?;
            Ok(())
        })
    }
}

/// A generated or migrated case with its whole state, for bulk loading.
#[derive(Debug, Clone)]
pub struct BulkCase {
    pub new: NewCase,
    pub status: CaseStatus,
    pub accepted_on: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<i64>,
}

impl Store {
    /// Loads many cases in one transaction (the benchmark generator, migrations from other
    /// systems): tracking codes, contacts and the receipt entry as `create_case` writes them.
    pub async fn insert_cases_bulk(&self, rows: &[BulkCase]) -> Result<()> {
        let mut paths: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        for r in rows {
            if let std::collections::hash_map::Entry::Vacant(e) = paths.entry(r.new.unit_id) {
                e.insert(self.get_unit(r.new.unit_id).await?.path);
            }
        }
        let now = Utc::now();
        // The units that would hold open cases, checked in the commit (none may be dissolved).
        let mut open_units: Vec<i64> = rows.iter().filter(|r| r.status.is_open()).map(|r| r.new.unit_id).collect();
        open_units.sort_unstable();
        open_units.dedup();
        let unit_end_sql = self.unit_end_sql();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for r in rows {
                let n = &r.new;
                let d = &n.draft;
                let year = n.received_at.with_timezone(&danvan_domain::calendar::vietnam_offset()).year();
                let seq: i64 = sqlx::query_scalar(
                    "INSERT INTO case_counters (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last",
                )
                .bind(year as i64)
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO cases (code, secret_hash, kind, channel, status, category_id, title, description, search_text, address, latitude, longitude,
                       place_unit_id, unit_id, unit_path, publish, received_at, received_on, accepted_on, accept_due, resolve_due, answered_at, closed_at, rating,
                       source_system, source_ref, idempotency_key, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $28) RETURNING id",
                )
                .bind(tracking_code(year, seq))
                .bind(hash_token(&random_token()))
                .bind(d.kind.as_str())
                .bind(n.channel.as_str())
                .bind(r.status.as_str())
                .bind(n.category_id)
                .bind(&d.title)
                .bind(&d.description)
                .bind(format!("{} {}", text::fold(&d.title), text::fold(&d.description)))
                .bind(&d.address)
                .bind(d.point.map(|p| p.0))
                .bind(d.point.map(|p| p.1))
                .bind(n.place_unit_id)
                .bind(n.unit_id)
                .bind(&paths[&n.unit_id])
                .bind(d.publish)
                .bind(n.received_at)
                .bind(n.received_on)
                .bind(r.accepted_on)
                .bind(n.accept_due)
                .bind(r.resolve_due)
                .bind(r.answered_at)
                .bind(r.closed_at)
                .bind(r.rating)
                .bind(n.source.as_ref().map(|s| s.0.clone()))
                .bind(n.source.as_ref().map(|s| s.1.clone()))
                .bind(&n.idempotency_key)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                if d.sender_name.is_some() || d.sender_phone.is_some() || d.sender_email.is_some() {
                    sqlx::query("INSERT INTO case_contacts (case_id, name, phone, email, address) VALUES ($1, $2, $3, $4, $5)")
                        .bind(id)
                        .bind(&d.sender_name)
                        .bind(&d.sender_phone)
                        .bind(&d.sender_email)
                        .bind(&d.sender_address)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("INSERT INTO case_events (case_id, at, actor_label, action, to_status, note, public) VALUES ($1, $2, 'import', 'receive', 'received', $3, TRUE)")
                    .bind(id)
                    .bind(n.received_at)
                    .bind(n.channel.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            // Checked after the writes, which hold SQLite's write lock; a refusal rolls them back.
            for u in &open_units {
                let end: Option<Option<NaiveDate>> = sqlx::query_scalar(unit_end_sql).bind(*u).fetch_optional(&mut *tx).await?;
                if matches!(end, Some(Some(_))) {
                    return Err(crate::units::dissolved_refusal());
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}

/// The ORDER BY of a listing; the id breaks ties so that pages never overlap.
/// Binds the case filter's six fixed parameters ($1–$6 of `case_filter_sql`) to a query, in order.
macro_rules! bind_filter {
    ($q:expr, $within:expr, $f:expr) => {
        $q.bind($within)
            .bind($f.kind.map(|k| k.as_str()))
            .bind($f.category_id)
            .bind($f.channel.map(|c| c.as_str()))
            .bind($f.received_from)
            .bind($f.received_to)
    };
}
use bind_filter;

fn order_sql(sort: CaseSort) -> &'static str {
    match sort {
        CaseSort::DueDate => "COALESCE(c.resolve_due, c.accept_due) IS NULL, COALESCE(c.resolve_due, c.accept_due), c.id",
        CaseSort::Newest => "c.received_at DESC, c.id DESC",
        CaseSort::Id => "c.id",
    }
}
