//! The categories cases are filed under (admins edit them; the defaults come with a new database).

use super::*;

use crate::is_unique_violation;
use danvan_domain::cases::category::AttributeDef;

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
        let code = match danvan_domain::org::unit::validate_code(&self.code) {
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
        e.merge(danvan_domain::cases::category::check_texts(&[
            ("name", &self.name),
            ("name_en", &self.name_en),
            ("group", &self.group),
            ("keywords", &self.keywords),
            ("description", &self.description),
        ]));
        for (f, v) in [("accept_days", self.accept_days), ("resolve_days", self.resolve_days)] {
            if v.is_some_and(|d| !(1..=366).contains(&d)) {
                e.add(f, "settings.error.days_range");
            }
        }
        e.into_result()?;
        Ok(code)
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

/// The default categories' English names (migration 20261207000028 gives them to databases
/// seeded before; administrators edit them in /admin/categories).
const DEFAULT_NAMES_EN: &[(&str, &str)] = &[
    ("giao-thong", "Damaged roads and pavements"),
    ("thoat-nuoc", "Drains, sewers and flooding"),
    ("chieu-sang", "Street lighting"),
    ("ve-sinh", "Waste and sanitation"),
    ("o-nhiem", "Noise, smoke, dust and pollution"),
    ("trat-tu-do-thi", "Encroachment on roads and pavements; urban order"),
    ("xay-dung", "Building without or against a permit"),
    ("dat-dai", "Land, boundaries and land-use certificates"),
    ("an-ninh", "Security and order in the neighbourhood"),
    ("chinh-sach", "Social policies and welfare"),
    ("thu-tuc", "Administrative procedures, service attitude"),
    ("khu-dan-cu", "Life of the residential area and group"),
    ("gop-y", "Suggestions on building the Party and government"),
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
        for (code, name_en) in DEFAULT_NAMES_EN {
            on_pool!(self, write, |p| {
                sqlx::query("UPDATE categories SET name_en = $1 WHERE code = $2 AND name_en = ''")
                    .bind(*name_en)
                    .bind(*code)
                    .execute(p)
                    .await?;
                Ok::<_, StoreError>(())
            })?;
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
        let code = match danvan_domain::org::unit::validate_code(code) {
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
}
