//! The words of emulation and commendation: ratings, awards, recipients, reach, discipline levels
//! and the legal instruments the rules cite. Names follow the glossary (GLOSSARY.md).

use serde::{Deserialize, Serialize};

str_enum!(
    /// Yearly rating (xếp loại) of a person or a collective, from the lowest to the highest, so
    /// that `Ord` reads "at least": `rating >= Rating::Good`.
    Rating {
        /// Không hoàn thành nhiệm vụ.
        Incomplete = "incomplete",
        /// Hoàn thành nhiệm vụ.
        Complete = "complete",
        /// Hoàn thành tốt nhiệm vụ.
        Good = "good",
        /// Hoàn thành xuất sắc nhiệm vụ.
        Excellent = "excellent",
    }
);

str_enum!(
    /// Who is commended (Law 06/2022/QH15 Art. 2: individuals, collectives and, since that Law,
    /// households).
    RecipientKind { Individual = "individual", Collective = "collective", Household = "household" }
);

str_enum!(
    /// Emulation titles (danh hiệu thi đua) and commendation forms (hình thức khen thưởng) the
    /// engine knows. The badge (Huy hiệu) form of the old law is not one of them: the forms listed in
    /// Law 06/2022 Art. 9 no longer include it (RULES.md §6 R12), so `Award::parse("badge")` is
    /// `None`.
    Award {
        /// Lao động tiên tiến (Law 06/2022 Art. 24).
        AdvancedWorker = "advanced_worker",
        /// Chiến sĩ thi đua cơ sở (Art. 23).
        GrassrootsEmulationFighter = "emulation_fighter_grassroots",
        /// Chiến sĩ thi đua cấp tỉnh (Art. 22: "Bộ, ban, ngành, tỉnh").
        ProvincialEmulationFighter = "emulation_fighter_provincial",
        /// Chiến sĩ thi đua toàn quốc (Art. 21).
        NationalEmulationFighter = "emulation_fighter_national",
        /// Tập thể lao động tiên tiến (Art. 28).
        AdvancedCollective = "advanced_collective",
        /// Tập thể lao động xuất sắc (Art. 27).
        ExcellentCollective = "excellent_collective",
        /// Cờ thi đua cấp tỉnh (Art. 26).
        ProvincialEmulationFlag = "emulation_flag_provincial",
        /// Cờ thi đua của Chính phủ (Art. 25).
        GovernmentEmulationFlag = "emulation_flag_government",
        /// Bằng khen cấp tỉnh (Art. 74: "Bộ, ban, ngành, tỉnh").
        ProvincialCommendation = "certificate_of_commendation_provincial",
        /// Bằng khen của Thủ tướng Chính phủ (Art. 73).
        PrimeMinisterCommendation = "certificate_of_commendation_prime_minister",
        /// Giấy khen (Art. 75).
        CertificateOfMerit = "certificate_of_merit",
    }
);

impl Award {
    /// Who may receive it: titles go to individuals or to collectives; the forms also to
    /// households (R12).
    pub fn recipients(self) -> &'static [RecipientKind] {
        use RecipientKind::*;
        match self {
            Award::AdvancedWorker
            | Award::GrassrootsEmulationFighter
            | Award::ProvincialEmulationFighter
            | Award::NationalEmulationFighter => &[Individual],
            Award::AdvancedCollective
            | Award::ExcellentCollective
            | Award::ProvincialEmulationFlag
            | Award::GovernmentEmulationFlag => &[Collective],
            Award::ProvincialCommendation | Award::PrimeMinisterCommendation | Award::CertificateOfMerit => {
                &[Individual, Collective, Household]
            }
        }
    }

    /// The Vietnamese name, as on the certificate.
    pub fn name_vi(self) -> &'static str {
        match self {
            Award::AdvancedWorker => "Lao động tiên tiến",
            Award::GrassrootsEmulationFighter => "Chiến sĩ thi đua cơ sở",
            Award::ProvincialEmulationFighter => "Chiến sĩ thi đua cấp tỉnh",
            Award::NationalEmulationFighter => "Chiến sĩ thi đua toàn quốc",
            Award::AdvancedCollective => "Tập thể lao động tiên tiến",
            Award::ExcellentCollective => "Tập thể lao động xuất sắc",
            Award::ProvincialEmulationFlag => "Cờ thi đua cấp tỉnh",
            Award::GovernmentEmulationFlag => "Cờ thi đua của Chính phủ",
            Award::ProvincialCommendation => "Bằng khen cấp tỉnh",
            Award::PrimeMinisterCommendation => "Bằng khen của Thủ tướng Chính phủ",
            Award::CertificateOfMerit => "Giấy khen",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Award::AdvancedWorker => "Advanced Worker",
            Award::GrassrootsEmulationFighter => "Grassroots Emulation Fighter",
            Award::ProvincialEmulationFighter => "Provincial Emulation Fighter",
            Award::NationalEmulationFighter => "National Emulation Fighter",
            Award::AdvancedCollective => "Advanced Labour Collective",
            Award::ExcellentCollective => "Excellent Labour Collective",
            Award::ProvincialEmulationFlag => "Provincial Emulation Flag",
            Award::GovernmentEmulationFlag => "Government Emulation Flag",
            Award::ProvincialCommendation => "Provincial Certificate of Commendation",
            Award::PrimeMinisterCommendation => "Prime Minister's Certificate of Commendation",
            Award::CertificateOfMerit => "Certificate of Merit",
        }
    }
}

impl Rating {
    pub fn name_vi(self) -> &'static str {
        match self {
            Rating::Excellent => "hoàn thành xuất sắc nhiệm vụ",
            Rating::Good => "hoàn thành tốt nhiệm vụ",
            Rating::Complete => "hoàn thành nhiệm vụ",
            Rating::Incomplete => "không hoàn thành nhiệm vụ",
        }
    }
    pub fn name_en(self) -> &'static str {
        self.as_str()
    }
}

impl RecipientKind {
    pub fn name_vi(self) -> &'static str {
        match self {
            RecipientKind::Individual => "cá nhân",
            RecipientKind::Collective => "tập thể",
            RecipientKind::Household => "hộ gia đình",
        }
    }
    pub fn name_en(self) -> &'static str {
        self.as_str()
    }
}

str_enum!(
    /// Where an initiative (sáng kiến) was recognised as effective, from the narrowest.
    Reach { Unit = "unit", Province = "province", National = "national" }
);

impl Reach {
    pub fn name_vi(self) -> &'static str {
        match self {
            Reach::Unit => "cơ sở",
            Reach::Province => "cấp tỉnh",
            Reach::National => "toàn quốc",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            Reach::Unit => "unit",
            Reach::Province => "province-wide",
            Reach::National => "national",
        }
    }
}

str_enum!(
    /// Disciplinary actions (kỷ luật) against officials, from the mildest, so that `Ord` reads
    /// "at or above": `level >= DisciplineLevel::Warning`.
    DisciplineLevel {
        Reprimand = "reprimand",
        Warning = "warning",
        SalaryDowngrade = "salary_downgrade",
        Demotion = "demotion",
        Dismissal = "dismissal",
        ForcedResignation = "forced_resignation",
    }
);

impl DisciplineLevel {
    pub fn name_vi(self) -> &'static str {
        match self {
            DisciplineLevel::Reprimand => "khiển trách",
            DisciplineLevel::Warning => "cảnh cáo",
            DisciplineLevel::SalaryDowngrade => "hạ bậc lương",
            DisciplineLevel::Demotion => "giáng chức",
            DisciplineLevel::Dismissal => "cách chức",
            DisciplineLevel::ForcedResignation => "buộc thôi việc",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            DisciplineLevel::Reprimand => "reprimand",
            DisciplineLevel::Warning => "warning",
            DisciplineLevel::SalaryDowngrade => "salary downgrade",
            DisciplineLevel::Demotion => "demotion",
            DisciplineLevel::Dismissal => "dismissal from post",
            DisciplineLevel::ForcedResignation => "forced resignation",
        }
    }
}

str_enum!(
    /// The legal instruments the rules cite.
    Instrument {
        /// Luật Thi đua, khen thưởng số 06/2022/QH15 (in force 1 January 2024).
        Law2022 = "law_06_2022",
        /// Nghị định 98/2023/NĐ-CP (1 January 2024 – 30 June 2025).
        Decree98of2023 = "decree_98_2023",
        /// Nghị định 152/2025/NĐ-CP (from 1 July 2025).
        Decree152of2025 = "decree_152_2025",
    }
);

impl Instrument {
    pub fn name_vi(self) -> &'static str {
        match self {
            Instrument::Law2022 => "Luật Thi đua, khen thưởng số 06/2022/QH15",
            Instrument::Decree98of2023 => "Nghị định số 98/2023/NĐ-CP",
            Instrument::Decree152of2025 => "Nghị định số 152/2025/NĐ-CP",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            Instrument::Law2022 => "Law on Emulation and Commendation No. 06/2022/QH15",
            Instrument::Decree98of2023 => "Decree No. 98/2023/ND-CP",
            Instrument::Decree152of2025 => "Decree No. 152/2025/ND-CP",
        }
    }
}

/// Where a rule comes from: an instrument and, when the rule rests on one, its article and clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    pub instrument: Instrument,
    pub article: Option<u16>,
    pub clause: Option<u8>,
}

impl LegalBasis {
    pub const fn law(article: u16) -> LegalBasis {
        LegalBasis { instrument: Instrument::Law2022, article: Some(article), clause: None }
    }
    pub const fn law_clause(article: u16, clause: u8) -> LegalBasis {
        LegalBasis { instrument: Instrument::Law2022, article: Some(article), clause: Some(clause) }
    }
    /// The implementing decree as a whole (its article numbering is not relied on here).
    pub const fn decree(instrument: Instrument) -> LegalBasis {
        LegalBasis { instrument, article: None, clause: None }
    }

    /// "khoản 2 Điều 23 Luật Thi đua, khen thưởng số 06/2022/QH15".
    pub fn render_vi(&self) -> String {
        let mut s = String::new();
        if let Some(c) = self.clause {
            s.push_str(&format!("khoản {c} "));
        }
        if let Some(a) = self.article {
            s.push_str(&format!("Điều {a} "));
        }
        s.push_str(self.instrument.name_vi());
        s
    }

    /// "Art. 23(2), Law on Emulation and Commendation No. 06/2022/QH15".
    pub fn render_en(&self) -> String {
        match (self.article, self.clause) {
            (Some(a), Some(c)) => format!("Art. {a}({c}), {}", self.instrument.name_en()),
            (Some(a), None) => format!("Art. {a}, {}", self.instrument.name_en()),
            _ => self.instrument.name_en().to_string(),
        }
    }
}
