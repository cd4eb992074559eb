//! What an administrator may change about the engine, with defaults from RULES.md §6 and the
//! texts: the share cap (R3, off), the council thresholds (R11), the tie-break share of women
//! (R10), an absence bar for Lao động tiên tiến (off), and the cash awards (base salary,
//! coefficients, rounding).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Award;

/// A vote threshold: `votes_for` must reach `percent` % of the base (`strictly_more`: exceed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    pub percent: u32,
    pub strictly_more: bool,
    pub base: VoteBase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteBase {
    /// Every member of the council, present or not (absent members vote in writing).
    AllMembers,
    /// The votes cast (for, against, abstain), present or in writing.
    VotesCast,
}

/// How a cash amount is rounded after coefficient × base salary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rounding {
    /// In đồng; 1 keeps the exact amount (itself rounded up to the đồng).
    pub unit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmulationSettings {
    /// R3: Chiến sĩ thi đua cơ sở at most this % of Lao động tiên tiến; none in the law, so off.
    pub grassroots_cap_percent: Option<u32>,
    /// R11: Chiến sĩ thi đua cấp tỉnh and higher (`council_high_awards`): ≥ 90 % of all members,
    /// absent members in writing — the wording of Decree 91/2017 Art. 45(8) ("tỷ lệ phiếu đồng ý
    /// từ 90% trở lên tính trên tổng số thành viên của Hội đồng (nếu thành viên Hội đồng vắng mặt
    /// thì lấy ý kiến bằng văn bản)"); the provision of Decree 98/2023 / 152/2025 was not found.
    pub council_high: Threshold,
    pub council_high_awards: Vec<Award>,
    /// R11: every other title and form: a simple majority, more than 50 % of all members
    /// (RULES.md; no national text found — councils' own rules).
    pub council_other: Threshold,
    /// R10: on a tie, collectives with at least this % of women come first.
    pub women_priority_percent: u32,
    /// Lao động tiên tiến: at most this many days away from work in the year (maternity leave
    /// is working time); `None` (the default) sets no bar. The "40 ngày làm việc" bar of Decree
    /// 65/2014 Art. 5(6) was dropped by Decree 91/2017 and is in neither Decree 98/2023 nor
    /// Circular 01/2024/TT-BNV as found, so it is left to a locality's own rules. Counted as
    /// calendar days of recorded leave, because the engine has no person's working calendar.
    pub max_absence_days: Option<i64>,
    /// Mức lương cơ sở in đồng (2,340,000 since 1 July 2024, Decree 73/2024/NĐ-CP; still the
    /// figure quoted with Decree 152/2025 in August 2025 — a later change is to be set here).
    pub base_salary: i64,
    /// Coefficients × 1000 (thousandths), so that 4.5 is 4500 and money stays in integers. The
    /// amounts for an individual (titles: Decree 98/2023 Art. 54, unchanged by Decree 152/2025;
    /// Bằng khen and Giấy khen: Decree 152/2025 Art. 54(1)); a collective receiving a Bằng khen or Giấy khen gets more (twice under Decree
    /// 91/2017 Art. 73), which these defaults do not model.
    pub coefficients: BTreeMap<Award, u32>,
    pub rounding: Rounding,
}

impl Default for EmulationSettings {
    fn default() -> Self {
        use Award::*;
        let coefficients = [
            (NationalEmulationFighter, 4500),
            (ProvincialEmulationFighter, 3000),
            (GrassrootsEmulationFighter, 1000),
            (AdvancedWorker, 300),
            (GovernmentEmulationFlag, 12000),
            (ProvincialEmulationFlag, 8000),
            (ExcellentCollective, 1500),
            (AdvancedCollective, 800),
            (PrimeMinisterCommendation, 3500),
            // Decree 152/2025 Art. 54(1)(b): "bằng khen của bộ, ban, ngành, tỉnh … được thưởng 1,5
            // lần mức lương cơ sở" (1.0 under Decree 91/2017).
            (ProvincialCommendation, 1500),
            (CertificateOfMerit, 300),
        ]
        .into_iter()
        .collect();
        EmulationSettings {
            grassroots_cap_percent: None,
            council_high: Threshold { percent: 90, strictly_more: false, base: VoteBase::AllMembers },
            council_high_awards: vec![ProvincialEmulationFighter, NationalEmulationFighter],
            council_other: Threshold { percent: 50, strictly_more: true, base: VoteBase::AllMembers },
            women_priority_percent: 70,
            max_absence_days: None,
            base_salary: 2_340_000,
            coefficients,
            rounding: Rounding { unit: 10_000 },
        }
    }
}

impl EmulationSettings {
    pub fn threshold_for(&self, award: Award) -> Threshold {
        if self.council_high_awards.contains(&award) {
            self.council_high
        } else {
            self.council_other
        }
    }
}

/// The settings over time: each version applies from its date until the next one (the base
/// salary and the coefficients change by decree mid-year). A nomination is judged, and its cash
/// computed, by the version in force on 31 December of its year, like the rule sets
/// (`RuleBook::for_year`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsBook {
    /// By effective date, each date at most once.
    pub versions: Vec<SettingsVersion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsVersion {
    pub effective_from: chrono::NaiveDate,
    pub settings: EmulationSettings,
}

/// The day Law 06/2022/QH15 took effect: the first version's date, and the earliest a version may
/// have (the engine knows no rules before it).
pub fn law_in_force() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date")
}

impl Default for SettingsBook {
    fn default() -> Self {
        SettingsBook {
            versions: vec![SettingsVersion { effective_from: law_in_force(), settings: EmulationSettings::default() }],
        }
    }
}

impl SettingsBook {
    /// The version in force on `day`; the first version before any.
    pub fn in_force_on(&self, day: chrono::NaiveDate) -> &EmulationSettings {
        self.versions
            .iter()
            .filter(|v| v.effective_from <= day)
            .max_by_key(|v| v.effective_from)
            .or_else(|| self.versions.iter().min_by_key(|v| v.effective_from))
            .map(|v| &v.settings)
            .unwrap_or_else(|| default_settings())
    }
    /// The version that judges a year's nominations: in force on 31 December.
    pub fn for_year(&self, year: i32) -> &EmulationSettings {
        match chrono::NaiveDate::from_ymd_opt(year, 12, 31) {
            Some(d) => self.in_force_on(d),
            None => default_settings(),
        }
    }
    /// Adds a version, replacing one with the same date; kept in date order.
    pub fn put(&mut self, version: SettingsVersion) {
        self.versions.retain(|v| v.effective_from != version.effective_from);
        self.versions.push(version);
        self.versions.sort_by_key(|v| v.effective_from);
    }
    /// Removes the version of that date, unless it is the last one left.
    pub fn remove(&mut self, effective_from: chrono::NaiveDate) -> bool {
        if self.versions.len() <= 1 || !self.versions.iter().any(|v| v.effective_from == effective_from) {
            return false;
        }
        self.versions.retain(|v| v.effective_from != effective_from);
        true
    }
}

fn default_settings() -> &'static EmulationSettings {
    static DEFAULT: std::sync::OnceLock<EmulationSettings> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(EmulationSettings::default)
}
