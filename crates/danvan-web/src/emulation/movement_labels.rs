//! Labels the movements' pages and API share: period and criterion kinds, values in the
//! indicator's unit, the sets of cases behind an input.

use crate::ctx::Ctx;
use crate::i18n::Lang;
use danvan_domain::emulation::{CriterionKind, PeriodKind};
use danvan_domain::indicators::{CaseSet, Indicator, Measure};

pub fn period(ctx: &Ctx, k: PeriodKind) -> String {
    ctx.t(crate::labels::period_kind(k))
}

pub fn criterion(ctx: &Ctx, k: CriterionKind) -> String {
    ctx.t(crate::labels::criterion_kind(k))
}

pub fn case_set(ctx: &Ctx, s: CaseSet) -> String {
    ctx.t(crate::labels::case_set(s))
}

/// A number with up to two decimals, with a decimal comma in Vietnamese.
pub fn value(lang: Lang, v: f64) -> String {
    let s = format!("{:.2}", danvan_domain::emulation::round2(v));
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if lang == Lang::Vi {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A measured value in its indicator's unit ("—" when there was nothing to measure).
pub fn measured(ctx: &Ctx, i: Indicator, v: Option<f64>) -> String {
    let Some(v) = v else { return "—".into() };
    let n = value(ctx.lang, v);
    match i.definition().unit {
        Measure::Count => n,
        Measure::Percent => format!("{n}%"),
        Measure::WorkingDays => format!("{n} {}", ctx.t("indicator.unit.working_days")),
        Measure::Rating => format!("{n}/5"),
    }
}
