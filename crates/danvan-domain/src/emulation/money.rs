//! Cash awards: coefficient × base salary (mức lương cơ sở), in integer đồng. The coefficients
//! of RULES.md §6 are the defaults (`EmulationSettings::coefficients`, in thousandths); Decree
//! 152/2025/NĐ-CP keeps those of Decree 98/2023 (e.g. 4.5 for Chiến sĩ thi đua toàn quốc, 0.3 for
//! Lao động tiên tiến).
//!
//! Rounding: the product is first rounded up to the whole đồng, then up to the next multiple of
//! `EmulationSettings::rounding.unit`, 10,000 đồng by default — the decrees have the amount
//! "rounded up to tens of thousands of đồng" (làm tròn số lên hàng chục nghìn đồng). A unit of 1
//! keeps the exact amount. No floating point anywhere.

use super::{Award, EmulationSettings};

/// The cash that goes with `award`; `None` without a coefficient or on overflow.
pub fn cash_award(award: Award, settings: &EmulationSettings) -> Option<i64> {
    let coefficient = *settings.coefficients.get(&award)?;
    cash_amount(coefficient, settings.base_salary, settings.rounding.unit)
}

/// `coefficient_thousandths` / 1000 × `base_salary`, rounded up to `unit` đồng.
pub fn cash_amount(coefficient_thousandths: u32, base_salary: i64, unit: i64) -> Option<i64> {
    if base_salary < 0 || unit < 1 {
        return None;
    }
    let exact = base_salary.checked_mul(i64::from(coefficient_thousandths))?;
    let dong = exact.checked_add(999)? / 1000;
    dong.checked_add(unit - 1).map(|v| v / unit * unit)
}
