//! Emulation and commendation (RULES.md §6; Law on Emulation and Commendation 06/2022/QH15, in
//! force 1 January 2024; detailed by Decree 98/2023/NĐ-CP, replaced by Decree 152/2025/NĐ-CP from
//! 1 July 2025): the eligibility engine, as pure functions over a person's, a collective's or a
//! household's record.
//!
//! One file per concept:
//! - `vocab`: ratings, awards (titles and forms), recipient kinds, reach of an initiative,
//!   discipline levels, the legal instruments cited;
//! - `record`: the record the engine reads (years → rating, titles held, initiatives, disciplines,
//!   investigations, leave, members) and the continuation of a merged unit's record;
//! - `rules`: the conditions as data (`Condition`), rules R1–R12 with their legal basis, the rule
//!   sets with their effective dates (`RuleBook`);
//! - `check`: the engine, `check(rules, record, nomination, settings) -> Verdict`;
//! - `verdict`: the verdict and its unmet conditions as message keys with parameters, with a
//!   plain renderer (Vietnamese and English) used by the tests;
//! - `council`: counting a council's secret ballot (R11);
//! - `money`: cash awards, coefficients × base salary in integer đồng;
//! - `order`: the share cap (R3) and the tie-break ordering (R10);
//! - `settings`: thresholds, caps, coefficients and the base salary, with their defaults.
//!
//! Nothing here does I/O; the store keeps records and decisions, the app calls the engine.

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s.trim() { $($s => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        /// How the store decodes a stored value: an unknown name is an error, never a default.
        impl TryFrom<String> for $name {
            type Error = crate::UnknownValue;
            fn try_from(s: String) -> Result<$name, Self::Error> {
                $name::parse(&s).ok_or(crate::UnknownValue { what: stringify!($name), value: s })
            }
        }
    };
}

mod check;
mod council;
mod money;
mod order;
mod record;
mod rules;
mod settings;
mod verdict;
mod vocab;

pub use check::*;
pub use council::*;
pub use money::*;
pub use order::*;
pub use record::*;
pub use rules::*;
pub use settings::*;
pub use verdict::*;
pub use vocab::*;

#[cfg(test)]
mod tests;
