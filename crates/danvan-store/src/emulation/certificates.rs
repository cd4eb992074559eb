//! A unit's calibration for printing its certificates on pre-printed blanks (issue 11 item 8),
//! one JSON row per unit; no row is no shift.

use crate::audit::AuditCtx;
use crate::{Changes, Result, Store, StoreError};
use danvan_domain::emulation::Calibration;

impl Store {
    /// The unit's calibration (all zero until it sets one).
    pub async fn certificate_calibration(&self, unit_id: i64) -> Result<Calibration> {
        let raw: Option<String> = on_pool!(self, read, |p| {
            sqlx::query_scalar("SELECT calibration FROM emulation_certificate_calibrations WHERE unit_id = $1")
                .bind(unit_id)
                .fetch_optional(p)
                .await
        })?;
        match raw {
            None => Ok(Calibration::default()),
            // Written by this code only: an unreadable one is reported, never read as no shift.
            Some(json) => serde_json::from_str(&json)
                .map_err(|_| StoreError::Corrupt(danvan_domain::UnknownValue { what: "certificate calibration", value: json })),
        }
    }

    /// Replaces the unit's calibration (an all-zero one removes the row), with its audit entry,
    /// in one transaction.
    pub async fn set_certificate_calibration(&self, ctx: &AuditCtx, unit: &crate::Unit, cal: &Calibration) -> Result<()> {
        let old = self.certificate_calibration(unit.id).await?;
        let json = |c: &Calibration| (!c.is_zero()).then(|| serde_json::to_string(&c.shifts).unwrap_or_default());
        let changes = Changes::new().field("calibration", json(&old).as_deref(), json(cal).as_deref());
        let stored = (!cal.is_zero()).then(|| serde_json::to_string(cal).unwrap_or_default());
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM emulation_certificate_calibrations WHERE unit_id = $1")
                .bind(unit.id)
                .execute(&mut *tx)
                .await?;
            if let Some(s) = &stored {
                sqlx::query("INSERT INTO emulation_certificate_calibrations (unit_id, calibration) VALUES ($1, $2)")
                    .bind(unit.id)
                    .bind(s)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(tx, ctx, "emulation.calibration", "unit", Some(unit.id), &unit.name, changes);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }
}
