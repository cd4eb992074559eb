//! Model practices and exemplars of the "Dân vận khéo" movement (RULES.md §7): the four fields,
//! the appraisal criteria and the appraisal's result (the mean of the appraisers' scores), and a
//! model's status from its decision and its appraisals.
//!
//! A model (mô hình) has a name and a place, belongs to one field, is registered with the body
//! that launched the movement; a field team appraises it against the criteria; the steering
//! committee recognises it (or not). An exemplar (điển hình) is a person or a collective that
//! stands out, registered, appraised and recognised the same way.

use serde::{Deserialize, Serialize};

str_enum!(
    /// The four fields of "Dân vận khéo" (lĩnh vực).
    ModelField {
        /// Kinh tế.
        Economy = "economy",
        /// Văn hóa – xã hội.
        CultureSociety = "culture_society",
        /// Quốc phòng – an ninh.
        DefenceSecurity = "defence_security",
        /// Xây dựng hệ thống chính trị.
        PoliticalSystem = "political_system",
    }
);

str_enum!(
    /// A model practice (mô hình) or an exemplar (điển hình: a person or collective).
    ModelKind { Model = "model", Exemplar = "exemplar" }
);

str_enum!(
    /// What the appraisers score (RULES.md §7: a model mobilises several forces, has spread with
    /// practical effect, is supported by the people, solves a local task, and is sustainable).
    Criterion {
        /// Huy động được nhiều lực lượng cùng tham gia.
        Forces = "forces",
        /// Hiệu quả thiết thực, lan tỏa.
        Effect = "effect",
        /// Được nhân dân đồng tình, ủng hộ.
        Support = "support",
        /// Giải quyết được nhiệm vụ của địa phương.
        LocalTask = "local_task",
        /// Bền vững, có khả năng nhân rộng.
        Sustainable = "sustainable",
    }
);

str_enum!(
    /// The steering committee's decision on a model.
    Recognition { Recognised = "recognised", NotRecognised = "not_recognised" }
);

str_enum!(
    /// Where a model stands: registered, being appraised (at least one appraiser scored it),
    /// then decided.
    ModelStatus {
        Registered = "registered",
        Appraising = "appraising",
        Recognised = "recognised",
        NotRecognised = "not_recognised",
    }
);

/// Each criterion is scored from 0 to this; five criteria make a total out of 100.
pub const MAX_POINTS: i32 = 20;

/// The largest total an appraiser can give.
pub fn max_total() -> i32 {
    MAX_POINTS * i32::try_from(Criterion::ALL.len()).unwrap_or(i32::MAX / MAX_POINTS)
}

/// A model's status: its decision if taken, else whether anyone has appraised it.
pub fn status(decision: Option<Recognition>, appraisers: usize) -> ModelStatus {
    match decision {
        Some(Recognition::Recognised) => ModelStatus::Recognised,
        Some(Recognition::NotRecognised) => ModelStatus::NotRecognised,
        None if appraisers > 0 => ModelStatus::Appraising,
        None => ModelStatus::Registered,
    }
}

/// Whether `points` is a score a criterion may receive.
pub fn points_allowed(points: i32) -> bool {
    (0..=MAX_POINTS).contains(&points)
}

/// One appraiser's score on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub appraiser: i64,
    pub criterion: Criterion,
    pub points: i32,
}

/// The appraisal's result: the mean over the appraisers, in tenths of a point (rounded half up),
/// of the total and of each criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appraisal {
    pub appraisers: usize,
    pub mean_total_tenths: i64,
    pub per_criterion_tenths: Vec<(Criterion, i64)>,
}

fn mean_tenths(sum: i64, n: i64) -> i64 {
    // Round half up on non-negative sums: (10·sum + n/2) / n, computed as (20·sum + n) / 2n.
    (20 * sum + n) / (2 * n)
}

/// The mean of the appraisers' scores; `None` before anyone has scored. An appraiser who left a
/// criterion unscored counts 0 on it.
pub fn appraise(scores: &[Score]) -> Option<Appraisal> {
    let mut appraisers: Vec<i64> = scores.iter().map(|s| s.appraiser).collect();
    appraisers.sort_unstable();
    appraisers.dedup();
    let count = appraisers.len();
    let n = i64::try_from(count).unwrap_or(i64::MAX);
    if n == 0 {
        return None;
    }
    let sum = |pick: &dyn Fn(&Score) -> bool| scores.iter().filter(|s| pick(s)).map(|s| i64::from(s.points)).sum::<i64>();
    Some(Appraisal {
        appraisers: count,
        mean_total_tenths: mean_tenths(sum(&|_| true), n),
        per_criterion_tenths: Criterion::ALL.iter().map(|c| (*c, mean_tenths(sum(&|s| s.criterion == *c), n))).collect(),
    })
}

/// Tenths of a point as written: "84,5" in Vietnamese, "84.5" in English.
pub fn tenths(v: i64, comma: bool) -> String {
    let s = format!("{}{}{}", v / 10, if comma { ',' } else { '.' }, (v % 10).abs());
    s.strip_suffix(",0").or_else(|| s.strip_suffix(".0")).map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(appraiser: i64, points: [i32; 5]) -> Vec<Score> {
        Criterion::ALL.iter().zip(points).map(|(c, p)| Score { appraiser, criterion: *c, points: p }).collect()
    }

    #[test]
    fn the_result_is_the_mean_of_the_appraisers_totals() {
        assert_eq!(appraise(&[]), None);
        let mut s = sheet(1, [20, 18, 16, 15, 15]); // 84
        s.extend(sheet(2, [18, 17, 17, 16, 17])); // 85
        let a = appraise(&s).unwrap();
        assert_eq!(a.appraisers, 2);
        assert_eq!(a.mean_total_tenths, 845);
        assert_eq!(a.per_criterion_tenths[0], (Criterion::Forces, 190));
        assert_eq!(a.per_criterion_tenths[1], (Criterion::Effect, 175));
        assert_eq!(tenths(a.mean_total_tenths, true), "84,5");
        assert_eq!(tenths(a.mean_total_tenths, false), "84.5");
        assert_eq!(tenths(840, true), "84");
    }

    #[test]
    fn thirds_round_half_up() {
        let mut s = sheet(1, [20, 20, 20, 20, 20]);
        s.extend(sheet(2, [20, 20, 20, 20, 20]));
        s.extend(sheet(3, [20, 20, 20, 20, 19]));
        // 299 / 3 = 99.666… → 99.7
        assert_eq!(appraise(&s).unwrap().mean_total_tenths, 997);
        assert_eq!(max_total(), 100);
        assert!(points_allowed(0) && points_allowed(20) && !points_allowed(21) && !points_allowed(-1));
    }

    #[test]
    fn status_follows_the_decision_then_the_appraisals() {
        assert_eq!(status(None, 0), ModelStatus::Registered);
        assert_eq!(status(None, 2), ModelStatus::Appraising);
        assert_eq!(status(Some(Recognition::Recognised), 0), ModelStatus::Recognised);
        assert_eq!(status(Some(Recognition::NotRecognised), 3), ModelStatus::NotRecognised);
        assert_eq!(ModelField::parse("culture_society"), Some(ModelField::CultureSociety));
        assert_eq!(ModelField::parse("sport"), None);
        assert_eq!(ModelField::ALL.len(), 4);
    }
}
