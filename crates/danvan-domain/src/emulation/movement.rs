//! Emulation movements (phong trào thi đua, cuộc vận động, Law 06/2022 Art. 5, 8–12): their
//! period kinds, their criteria (measured by an indicator of the catalogue or scored by
//! reviewers) and the score arithmetic: points per criterion from 0 to 100, and the total, the
//! weighted mean of the criteria's points.

use crate::indicators::{Definition, Direction};
use serde::{Deserialize, Serialize};

str_enum! {
    /// How long a movement runs (Law 06/2022 Art. 12: thường xuyên / theo đợt, chuyên đề).
    PeriodKind {
        Annual = "annual",
        MultiYear = "multi_year",
        Thematic = "thematic",
    }
}

str_enum! {
    /// A criterion is measured (bound to an indicator, with a target) or reviewed (scored by the
    /// launching unit's emulation officers and leaders).
    CriterionKind {
        Measured = "measured",
        Reviewed = "reviewed",
    }
}

/// The most points a criterion gives.
pub const MAX_POINTS: f64 = 100.0;
/// Weights are whole numbers from 1 to this.
pub const MAX_WEIGHT: i64 = 100;

/// The points a measured value earns against its target, from 0 to 100:
/// - higher is better: `100 × value / target`, capped at 100 (a target of 0 or less: 100);
/// - lower is better: 100 when `value ≤ target`, else `100 × target / value` (0 when the target
///   is 0 or less);
/// - no value (nothing to measure in the period): 0.
pub fn measured_points(value: Option<f64>, target: f64, direction: Direction) -> f64 {
    let Some(v) = value else { return 0.0 };
    let p = match direction {
        Direction::HigherIsBetter if target <= 0.0 => MAX_POINTS,
        Direction::HigherIsBetter => MAX_POINTS * v / target,
        Direction::LowerIsBetter if v <= target => MAX_POINTS,
        Direction::LowerIsBetter if target <= 0.0 => 0.0,
        Direction::LowerIsBetter => MAX_POINTS * target / v,
    };
    p.clamp(0.0, MAX_POINTS)
}

/// The points of a measured criterion bound to `def`.
pub fn indicator_points(def: &Definition, value: Option<f64>, target: f64) -> f64 {
    measured_points(value, target, def.direction)
}

/// The total: `Σ weight × points / Σ weight` (0 when there are no criteria). A reviewed
/// criterion not yet scored counts 0 points (the page says it awaits the reviewers).
pub fn total(parts: &[(i64, f64)]) -> f64 {
    let weights: i64 = parts.iter().map(|(w, _)| *w).sum();
    if weights <= 0 {
        return 0.0;
    }
    parts.iter().map(|(w, p)| *w as f64 * p).sum::<f64>() / weights as f64
}

/// Rounded to two decimals, as shown and as the API gives it.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One explained line of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreLine {
    pub criterion_id: i64,
    pub weight: i64,
    /// The measured value (measured criteria), none when there was nothing to measure.
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// The points (0–100); none for a reviewed criterion not yet scored.
    pub points: Option<f64>,
    /// The unit's own assessment (0–100), shown beside, never used in the total.
    pub self_points: Option<i64>,
}

/// The total of explained lines (unscored lines count 0).
pub fn score_total(lines: &[ScoreLine]) -> f64 {
    total(&lines.iter().map(|l| (l.weight, l.points.unwrap_or(0.0))).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn points_by_hand() {
        use Direction::*;
        assert_eq!(measured_points(Some(45.0), 90.0, HigherIsBetter), 50.0);
        assert_eq!(measured_points(Some(95.0), 90.0, HigherIsBetter), 100.0);
        assert_eq!(measured_points(None, 90.0, HigherIsBetter), 0.0);
        assert_eq!(measured_points(Some(0.0), 0.0, HigherIsBetter), 100.0);
        assert_eq!(measured_points(Some(5.0), 10.0, LowerIsBetter), 100.0);
        assert_eq!(measured_points(Some(20.0), 10.0, LowerIsBetter), 50.0);
        assert_eq!(measured_points(Some(3.0), 0.0, LowerIsBetter), 0.0);
        assert_eq!(measured_points(Some(0.0), 0.0, LowerIsBetter), 100.0);
        assert_eq!(total(&[(3, 100.0), (1, 0.0)]), 75.0);
        assert_eq!(total(&[]), 0.0);
        assert_eq!(round2(200.0 / 3.0), 66.67);
        let lines = [
            ScoreLine {
                criterion_id: 1,
                weight: 2,
                value: Some(1.0),
                target: Some(2.0),
                points: Some(50.0),
                self_points: Some(90),
            },
            ScoreLine { criterion_id: 2, weight: 2, value: None, target: None, points: None, self_points: Some(100) },
        ];
        // The self-assessment never counts: 2×50 + 2×0 over 4.
        assert_eq!(score_total(&lines), 25.0);
    }

    proptest! {
        #[test]
        fn points_stay_within_0_and_100(v in -1e6f64..1e6, t in -1e6f64..1e6, higher in any::<bool>()) {
            let d = if higher { Direction::HigherIsBetter } else { Direction::LowerIsBetter };
            let p = measured_points(Some(v), t, d);
            prop_assert!((0.0..=MAX_POINTS).contains(&p));
        }

        #[test]
        fn better_values_never_earn_fewer_points(a in 0f64..1e4, b in 0f64..1e4, t in 0.01f64..1e4) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(measured_points(Some(hi), t, Direction::HigherIsBetter) >= measured_points(Some(lo), t, Direction::HigherIsBetter));
            prop_assert!(measured_points(Some(lo), t, Direction::LowerIsBetter) >= measured_points(Some(hi), t, Direction::LowerIsBetter));
        }

        #[test]
        fn the_total_is_a_weighted_mean(parts in proptest::collection::vec((1i64..=MAX_WEIGHT, 0f64..=MAX_POINTS), 1..12)) {
            let t = total(&parts);
            let lo = parts.iter().map(|p| p.1).fold(f64::MAX, f64::min);
            let hi = parts.iter().map(|p| p.1).fold(f64::MIN, f64::max);
            prop_assert!(t >= lo - 1e-9 && t <= hi + 1e-9);
            let all_max: Vec<(i64, f64)> = parts.iter().map(|p| (p.0, MAX_POINTS)).collect();
            prop_assert!((total(&all_max) - MAX_POINTS).abs() < 1e-9);
        }
    }
}
