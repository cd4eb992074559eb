//! Cash awards: coefficient × base salary (mức lương cơ sở), in integer đồng. The defaults are
//! in `EmulationSettings::coefficients`, in thousandths. Titles (Decree 98/2023 Art. 54, the same
//! under Decree 152/2025): Chiến sĩ thi đua toàn quốc 4.5, cấp bộ/tỉnh 3.0, cơ sở 1.0, Lao động
//! tiên tiến 0.3; Tập thể lao động xuất sắc 1.5, tiên tiến 0.8; Cờ thi đua của Chính phủ 12.0, cấp
//! bộ/tỉnh 8.0. Forms (Decree 152/2025 Art. 54(1), individuals): Bằng khen of the Prime Minister
//! 3.5, of a ministry/province 1.5 (RULES.md had 1.0, the figure of Decree 91/2017), Giấy khen
//! 0.3. For a collective a form carries a higher amount (twice the individual's under Decree
//! 91/2017 Art. 73; Art. 54(2) of Decree 152/2025 not read), which the per-award coefficients do
//! not distinguish.
//!
//! Rounding: "Tiền thưởng sau khi nhân với hệ số mức lương cơ sở được làm tròn số lên hàng chục
//! nghìn đồng tiền Việt Nam" (Decree 98/2023, as Decree 91/2017 Art. 68(2) before it): the product
//! is first rounded up to the whole đồng, then up to the next multiple of
//! `EmulationSettings::rounding.unit`, 10,000 đồng by default. A unit of 1 keeps the exact amount.
//! No floating point anywhere.

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
