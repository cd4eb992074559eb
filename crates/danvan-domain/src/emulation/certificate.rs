//! Certificates (issue 11 item 8): which awards are handed with a sheet to print, and a unit's
//! calibration for printing on its pre-printed blanks (phôi), as its officer types it.
//!
//! Giấy khen for the head of a grassroots body's commendation, Bằng khen for a province's or the
//! Prime Minister's (Law 06/2022 Art. 9); the Bằng chứng nhận of the titles that carry one
//! (Decree 152/2025/NĐ-CP, as Decree 98/2023 Art. 54: Chiến sĩ thi đua, Tập thể lao động xuất
//! sắc). Lao động tiên tiến and Tập thể lao động tiên tiến are a cash reward only; a Cờ thi đua
//! is a flag, not a sheet to print. Each sheet carries its number in the issuer's register for
//! the year ("Số sổ"), taken when the decision is issued.

use serde::{Deserialize, Serialize};

use super::Award;
use crate::errors::FieldErrors;

/// The sheet an award is handed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    GiayKhen,
    BangKhen,
    /// Bằng chứng nhận of a title, headed with the title's name.
    Title(&'static str),
}

impl Award {
    /// The sheet printed for this award, if any.
    pub fn certificate(self) -> Option<Sheet> {
        match self {
            Award::CertificateOfMerit => Some(Sheet::GiayKhen),
            Award::ProvincialCommendation | Award::PrimeMinisterCommendation => Some(Sheet::BangKhen),
            Award::GrassrootsEmulationFighter => Some(Sheet::Title("CHIẾN SĨ THI ĐUA CƠ SỞ")),
            Award::ProvincialEmulationFighter => Some(Sheet::Title("CHIẾN SĨ THI ĐUA CẤP TỈNH")),
            Award::NationalEmulationFighter => Some(Sheet::Title("CHIẾN SĨ THI ĐUA TOÀN QUỐC")),
            Award::ExcellentCollective => Some(Sheet::Title("TẬP THỂ LAO ĐỘNG XUẤT SẮC")),
            Award::AdvancedWorker
            | Award::AdvancedCollective
            | Award::ProvincialEmulationFlag
            | Award::GovernmentEmulationFlag => None,
        }
    }
}

impl super::RecipientKind {
    /// The place of the recipient's part in a decision's annex (I. individuals, II. collectives,
    /// III. households), which is also the order its certificates are numbered and printed in.
    pub fn annex_rank(self) -> u8 {
        match self {
            super::RecipientKind::Individual => 0,
            super::RecipientKind::Collective => 1,
            super::RecipientKind::Household => 2,
        }
    }
}

/// A shift in millimetres: right and down are positive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub dx: f32,
    pub dy: f32,
}

/// The parts of a certificate a calibration moves, in the form's order: the whole page first
/// (the printer's own offset), then each printed field.
pub const CALIBRATED: [&str; 8] =
    ["page", "recipient_name", "recipient_detail", "achievement", "place_date", "signer", "decision", "register_number"];

/// A unit's calibration: a shift per part of `CALIBRATED`, added to where the fully rendered
/// certificate puts it. Stored as JSON, one per unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub shifts: std::collections::BTreeMap<String, Shift>,
}

/// How far a part may move: a blank's printed frame leaves a few centimetres at most.
pub const MAX_SHIFT_MM: f32 = 50.0;

impl Calibration {
    pub fn shift(&self, part: &str) -> Shift {
        self.shifts.get(part).copied().unwrap_or_default()
    }

    /// Whether nothing moves.
    pub fn is_zero(&self) -> bool {
        self.shifts.values().all(|s| s.dx == 0.0 && s.dy == 0.0)
    }
}

/// Reads the form's `{part}_dx` and `{part}_dy` fields: millimetres with a comma or a point
/// ("-1,5"), empty for 0, within ±`MAX_SHIFT_MM`, kept to a tenth. Every bad field is named.
pub fn parse_calibration(get: impl Fn(&str) -> String) -> Result<Calibration, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut shifts = std::collections::BTreeMap::new();
    for part in CALIBRATED {
        let mut read = |axis: &str| -> f32 {
            let name = format!("{part}_{axis}");
            let raw = get(&name);
            let raw = raw.trim();
            if raw.is_empty() {
                return 0.0;
            }
            match raw.replace(',', ".").parse::<f32>() {
                Ok(v) if v.is_finite() && v.abs() <= MAX_SHIFT_MM => (v * 10.0).round() / 10.0,
                Ok(v) if v.is_finite() => {
                    errors.add(
                        &name,
                        if axis == "dx" {
                            "emulation.calibration.error.dx_range"
                        } else {
                            "emulation.calibration.error.dy_range"
                        },
                    );
                    0.0
                }
                _ => {
                    errors.add(
                        &name,
                        if axis == "dx" {
                            "emulation.calibration.error.dx_number"
                        } else {
                            "emulation.calibration.error.dy_number"
                        },
                    );
                    0.0
                }
            }
        };
        let shift = Shift { dx: read("dx"), dy: read("dy") };
        if shift != Shift::default() {
            shifts.insert(part.to_string(), shift);
        }
    }
    if errors.is_empty() {
        Ok(Calibration { shifts })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |name| fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()).unwrap_or_default()
    }

    #[test]
    fn forms_and_the_titles_that_carry_one_have_a_sheet() {
        assert_eq!(Award::CertificateOfMerit.certificate(), Some(Sheet::GiayKhen));
        assert_eq!(Award::ProvincialCommendation.certificate(), Some(Sheet::BangKhen));
        assert_eq!(Award::GrassrootsEmulationFighter.certificate(), Some(Sheet::Title("CHIẾN SĨ THI ĐUA CƠ SỞ")));
        assert_eq!(Award::AdvancedWorker.certificate(), None, "a cash reward only");
        assert_eq!(Award::GovernmentEmulationFlag.certificate(), None, "a flag");
    }

    #[test]
    fn a_calibration_reads_millimetres_with_a_comma_or_a_point() {
        let c = parse_calibration(form(&[("page_dx", "-1,5"), ("page_dy", " 2.04 "), ("signer_dy", "0")])).unwrap();
        assert_eq!(c.shift("page"), Shift { dx: -1.5, dy: 2.0 });
        assert_eq!(c.shift("signer"), Shift::default());
        assert!(!c.shifts.contains_key("signer"), "a zero shift is not stored");
        assert!(parse_calibration(form(&[])).unwrap().is_zero());
    }

    #[test]
    fn every_bad_shift_is_named() {
        let e = parse_calibration(form(&[
            ("page_dx", "abc"),
            ("achievement_dy", "-50.1"),
            ("decision_dx", "NaN"),
            ("signer_dx", "1e9"),
        ]))
        .unwrap_err();
        assert_eq!(e.get("page_dx"), Some("emulation.calibration.error.dx_number"));
        assert_eq!(e.get("achievement_dy"), Some("emulation.calibration.error.dy_range"));
        assert_eq!(e.get("decision_dx"), Some("emulation.calibration.error.dx_number"));
        assert_eq!(e.get("signer_dx"), Some("emulation.calibration.error.dx_range"));
        assert!(parse_calibration(form(&[("page_dx", "50"), ("page_dy", "-50")])).is_ok(), "the bounds are allowed");
    }
}
