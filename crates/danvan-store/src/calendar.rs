//! Calendar overrides: the administrator's yearly changes to the default working days.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::calendar::{default_rules, Override, OverrideKind, WorkCalendar};
use danvan_domain::{text, FieldErrors};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct OverrideRow {
    pub id: i64,
    pub day: NaiveDate,
    #[sqlx(try_from = "crate::Name<OverrideKind>")]
    pub kind: OverrideKind,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl OverrideRow {
    pub fn to_override(&self) -> Override {
        Override::of_kind(self.day, self.kind, &self.reason)
    }
}

pub fn override_kind(o: &Override) -> &'static str {
    o.kind().as_str()
}

fn override_reason(o: &Override) -> String {
    match o {
        Override::DayOff { reason, .. } | Override::WorkingDay { reason, .. } => text::clean(reason),
        Override::RemoveHoliday { .. } => String::new(),
    }
}

impl Store {
    pub async fn calendar_overrides(&self) -> Result<Vec<OverrideRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, OverrideRow>(
            "SELECT id, day, kind, reason, created_at FROM calendar_overrides ORDER BY day"
        )
        .fetch_all(p)
        .await?))
    }

    /// The working calendar: statutory rules with this database's overrides.
    pub async fn work_calendar(&self) -> Result<std::sync::Arc<WorkCalendar>> {
        const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(60);
        if let Ok(guard) = self.calendar.lock() {
            if let Some((at, cal)) = guard.as_ref() {
                if at.elapsed() < FRESH_FOR {
                    return Ok(cal.clone());
                }
            }
        }
        let overrides: Vec<Override> = self.calendar_overrides().await?.iter().map(|r| r.to_override()).collect();
        let cal = std::sync::Arc::new(WorkCalendar::new(default_rules(), overrides));
        if let Ok(mut guard) = self.calendar.lock() {
            *guard = Some((std::time::Instant::now(), cal.clone()));
        }
        Ok(cal)
    }

    fn forget_calendar(&self) {
        if let Ok(mut guard) = self.calendar.lock() {
            *guard = None;
        }
    }

    /// Sets the override of one day (replacing any earlier one for that day).
    pub async fn set_calendar_override(&self, ctx: &AuditCtx, o: &Override) -> Result<()> {
        self.set_calendar_overrides(ctx, std::slice::from_ref(o)).await
    }

    /// Sets several days' overrides (an import) in one transaction, each with its audit entry:
    /// all are saved or none, so a failure midway never leaves half a file applied.
    pub async fn set_calendar_overrides(&self, ctx: &AuditCtx, os: &[Override]) -> Result<()> {
        for o in os {
            if !matches!(o, Override::RemoveHoliday { .. }) && override_reason(o).is_empty() {
                return Err(StoreError::Invalid(FieldErrors::one("reason", "error.required")));
            }
        }
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for o in os {
                let reason = override_reason(o);
                let day = o.date();
                let old: Option<(String, String)> = sqlx::query_as("SELECT kind, reason FROM calendar_overrides WHERE day = $1")
                    .bind(day)
                    .fetch_optional(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO calendar_overrides (day, kind, reason, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, created_at = excluded.created_at",
                )
                .bind(day)
                .bind(override_kind(o))
                .bind(&reason)
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
                let changes = Changes::new().field("kind", old.as_ref().map(|o| o.0.as_str()), Some(override_kind(o))).field(
                    "reason",
                    old.as_ref().map(|o| o.1.as_str()),
                    Some(reason.as_str()),
                );
                audit!(tx, ctx, "calendar.override", "calendar", None::<i64>, &day.to_string(), changes);
            }
            tx.commit().await?;
            self.forget_calendar();
            Ok(())
        })
    }

    pub async fn delete_calendar_override(&self, ctx: &AuditCtx, day: NaiveDate) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let old: Option<(String, String)> =
                sqlx::query_as("DELETE FROM calendar_overrides WHERE day = $1 RETURNING kind, reason")
                    .bind(day)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(old) = old else { return Err(StoreError::NotFound) };
            let changes = Changes::new().field("kind", Some(old.0.as_str()), None).field("reason", Some(old.1.as_str()), None);
            audit!(tx, ctx, "calendar.override_delete", "calendar", None::<i64>, &day.to_string(), changes);
            tx.commit().await?;
            self.forget_calendar();
            Ok(())
        })
    }
}
