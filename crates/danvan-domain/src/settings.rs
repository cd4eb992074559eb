//! Administrators' settings (RULES.md §2 marks the time limits as settings): the time limits of
//! each kind, the reopen window, the default province, the map's tile source. Values are checked
//! here and reported field by field; the store keeps them as JSON.

use crate::cases::geo::Area;
use crate::cases::{CaseKind, ClockStart, DayCount, DeadlinePolicy, PartialDeadlinePolicy};
use crate::errors::FieldErrors;
use serde::{Deserialize, Serialize};

/// The time limits of every kind. Missing kinds (older stored values) take the legal defaults,
/// and so does a missing field within a kind (see [`PartialDeadlines`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PartialDeadlines")]
pub struct Deadlines {
    pub feedback: DeadlinePolicy,
    pub petition: DeadlinePolicy,
    pub complaint: DeadlinePolicy,
    pub denunciation: DeadlinePolicy,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            feedback: DeadlinePolicy::default_for(CaseKind::Feedback),
            petition: DeadlinePolicy::default_for(CaseKind::Petition),
            complaint: DeadlinePolicy::default_for(CaseKind::Complaint),
            denunciation: DeadlinePolicy::default_for(CaseKind::Denunciation),
        }
    }
}

/// Stored deadlines as read back: a value saved before a kind or a field existed must still parse,
/// each gap filled from that kind's legal default.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PartialDeadlines {
    feedback: Option<PartialDeadlinePolicy>,
    petition: Option<PartialDeadlinePolicy>,
    complaint: Option<PartialDeadlinePolicy>,
    denunciation: Option<PartialDeadlinePolicy>,
}

impl From<PartialDeadlines> for Deadlines {
    fn from(p: PartialDeadlines) -> Self {
        let one = |kind, v: Option<PartialDeadlinePolicy>| DeadlinePolicy::from_partial(kind, v.unwrap_or_default());
        Deadlines {
            feedback: one(CaseKind::Feedback, p.feedback),
            petition: one(CaseKind::Petition, p.petition),
            complaint: one(CaseKind::Complaint, p.complaint),
            denunciation: one(CaseKind::Denunciation, p.denunciation),
        }
    }
}

impl Deadlines {
    pub fn get(&self, kind: CaseKind) -> &DeadlinePolicy {
        match kind {
            CaseKind::Feedback => &self.feedback,
            CaseKind::Petition => &self.petition,
            CaseKind::Complaint => &self.complaint,
            CaseKind::Denunciation => &self.denunciation,
        }
    }
    pub fn get_mut(&mut self, kind: CaseKind) -> &mut DeadlinePolicy {
        match kind {
            CaseKind::Feedback => &mut self.feedback,
            CaseKind::Petition => &mut self.petition,
            CaseKind::Complaint => &mut self.complaint,
            CaseKind::Denunciation => &mut self.denunciation,
        }
    }
}

/// The map: a tile URL template (`https://tiles.example/{z}/{x}/{y}.png`) and its attribution.
/// Empty means no map: pages show addresses and coordinates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapSettings {
    pub tile_url: String,
    pub attribution: String,
}

impl MapSettings {
    pub fn enabled(&self) -> bool {
        !self.tile_url.is_empty()
    }
    /// `scheme://host[:port]` of the tiles, for the Content-Security-Policy's img-src.
    pub fn tile_origin(&self) -> Option<String> {
        tile_origin(&self.tile_url)
    }
}

/// Everything an administrator sets, as read by the application.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub deadlines: Deadlines,
    /// Unit code of the province the public form opens on ("P01" when unset).
    pub default_province: String,
    pub map: MapSettings,
    /// Parsed boundaries for point-in-area routing (empty: none supplied).
    pub boundaries: Vec<Area>,
}

impl Settings {
    pub fn policy(&self, kind: CaseKind) -> DeadlinePolicy {
        self.deadlines.get(kind).clone()
    }
    pub fn province_code(&self) -> &str {
        if self.default_province.is_empty() {
            "P01"
        } else {
            &self.default_province
        }
    }
}

/// The form fields of one kind's policy, named `{kind}.{field}`.
pub const POLICY_DAY_FIELDS: &[&str] = &[
    "accept_days",
    "resolve_days",
    "resolve_days_complex",
    "resolve_days_remote",
    "resolve_days_remote_complex",
    "max_extensions",
    "extension_days",
    "reopen_window_days",
];

/// The longest period any field accepts: a year.
pub const MAX_DAYS: u32 = 366;

/// Reads one kind's policy from form values (`get("feedback.accept_days")`…); errors are reported
/// under those names.
pub fn parse_policy(kind: CaseKind, get: &dyn Fn(&str) -> String) -> Result<DeadlinePolicy, FieldErrors> {
    let mut e = FieldErrors::new();
    let k = kind.as_str();
    let day = |name: &str, min: u32, e: &mut FieldErrors| -> u32 {
        let field = format!("{k}.{name}");
        let raw = get(&field);
        match raw.trim().parse::<u32>() {
            Ok(n) if (min..=MAX_DAYS).contains(&n) => n,
            Ok(_) => {
                e.add(&field, "settings.error.days_range");
                0
            }
            Err(_) => {
                e.add(&field, if raw.trim().is_empty() { "error.required" } else { "error.number" });
                0
            }
        }
    };
    let accept_days = day("accept_days", 1, &mut e);
    let resolve_days = day("resolve_days", 1, &mut e);
    let resolve_days_complex = day("resolve_days_complex", 1, &mut e);
    let resolve_days_remote = day("resolve_days_remote", 1, &mut e);
    let resolve_days_remote_complex = day("resolve_days_remote_complex", 1, &mut e);
    let max_extensions = day("max_extensions", 0, &mut e);
    let extension_days = day("extension_days", 0, &mut e);
    let reopen_window_days = day("reopen_window_days", 0, &mut e);
    let count = |name: &str, e: &mut FieldErrors| match get(&format!("{k}.{name}")).trim() {
        "working" => DayCount::Working,
        "calendar" => DayCount::Calendar,
        _ => {
            e.add(&format!("{k}.{name}"), "error.invalid");
            DayCount::Working
        }
    };
    let accept_count = count("accept_count", &mut e);
    let resolve_count = count("resolve_count", &mut e);
    let resolve_from = match get(&format!("{k}.resolve_from")).trim() {
        "receipt" => ClockStart::Receipt,
        "acceptance" => ClockStart::Acceptance,
        _ => {
            e.add(&format!("{k}.resolve_from"), "error.invalid");
            ClockStart::Acceptance
        }
    };
    let basis = crate::text::clean(&get(&format!("{k}.basis")));
    if basis.is_empty() {
        e.add(&format!("{k}.basis"), "error.required");
    } else if basis.chars().count() > 300 {
        e.add(&format!("{k}.basis"), "error.too_long");
    }
    // The longer periods of the law never shorten the ordinary one.
    if e.is_empty() {
        if resolve_days_complex < resolve_days {
            e.add(&format!("{k}.resolve_days_complex"), "settings.error.shorter_than_base");
        }
        if resolve_days_remote < resolve_days {
            e.add(&format!("{k}.resolve_days_remote"), "settings.error.shorter_than_base");
        }
        if resolve_days_remote_complex < resolve_days_complex.max(resolve_days_remote) {
            e.add(&format!("{k}.resolve_days_remote_complex"), "settings.error.shorter_than_base");
        }
        if max_extensions > 0 && extension_days == 0 {
            e.add(&format!("{k}.extension_days"), "settings.error.extension_days");
        }
    }
    e.into_result()?;
    Ok(DeadlinePolicy {
        accept_days,
        accept_count,
        resolve_days,
        resolve_days_complex,
        resolve_days_remote,
        resolve_days_remote_complex,
        resolve_count,
        resolve_from,
        max_extensions,
        extension_days,
        reopen_window_days,
        basis,
    })
}

/// Reads every kind's policy from a form.
pub fn parse_deadlines(get: &dyn Fn(&str) -> String) -> Result<Deadlines, FieldErrors> {
    let mut d = Deadlines::default();
    let mut e = FieldErrors::new();
    for kind in CaseKind::ALL {
        match parse_policy(*kind, get) {
            Ok(p) => *d.get_mut(*kind) = p,
            Err(fe) => e.0.extend(fe.0),
        }
    }
    e.into_result()?;
    Ok(d)
}

/// `scheme://host[:port]` of a URL, when it is plain http(s) with a host made of safe characters
/// (it goes into a header: no spaces, quotes or semicolons).
pub fn tile_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split('/').next()?;
    let ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| format!("{scheme}://{host}"))
}

/// Checks the map settings: an empty URL switches the map off; otherwise an http(s) URL with
/// `{z}`, `{x}` and `{y}` (and optionally `{s}` is not supported: one host, so the CSP names it).
pub fn validate_map(tile_url: &str, attribution: &str) -> Result<MapSettings, FieldErrors> {
    let mut e = FieldErrors::new();
    let tile_url = tile_url.trim().to_string();
    if !tile_url.is_empty() {
        let safe = tile_url.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | ';' | ',' | '<' | '>' | '\\'));
        if tile_origin(&tile_url).is_none() || !safe {
            e.add("tile_url", "settings.error.tile_url");
        } else if !(tile_url.contains("{z}") && tile_url.contains("{x}") && tile_url.contains("{y}")) {
            e.add("tile_url", "settings.error.tile_placeholders");
        } else if tile_url.len() > 500 {
            e.add("tile_url", "error.too_long");
        }
    }
    let attribution = crate::text::clean(attribution);
    if attribution.chars().count() > 300 {
        e.add("attribution", "error.too_long");
    }
    if !tile_url.is_empty() && attribution.is_empty() {
        // Tile providers' licences ask for their credit line.
        e.add("attribution", "error.required");
    }
    e.into_result()?;
    Ok(MapSettings { tile_url, attribution })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn partial_stored_deadlines_take_each_kinds_defaults() {
        // An older stored value: no denunciation kind, and complaint lacks most fields.
        let json = r#"{"feedback": {"accept_days": 3, "future_field": 1},
                       "petition": {},
                       "complaint": {"resolve_days": 40, "basis": "x"}}"#;
        let d: Deadlines = serde_json::from_str(json).expect("partial JSON must parse");
        let def = Deadlines::default();
        assert_eq!(d.feedback.accept_days, 3);
        assert_eq!(d.feedback.resolve_days, def.feedback.resolve_days);
        assert_eq!(d.petition, def.petition);
        assert_eq!(d.complaint.resolve_days, 40);
        assert_eq!(d.complaint.basis, "x");
        // The missing field takes the complaint's default, not the feedback's.
        assert_eq!(d.complaint.resolve_days_complex, def.complaint.resolve_days_complex);
        assert_eq!(d.complaint.accept_count, def.complaint.accept_count);
        assert_eq!(d.complaint.reopen_window_days, def.complaint.reopen_window_days);
        assert_eq!(d.denunciation, def.denunciation);
        // And a full value round-trips.
        let full: Deadlines = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(full, d);
        let empty: Deadlines = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, def);
    }

    fn form_of(d: &Deadlines) -> HashMap<String, String> {
        let mut m = HashMap::new();
        for kind in CaseKind::ALL {
            let p = d.get(*kind);
            let k = kind.as_str();
            let nums = [
                ("accept_days", p.accept_days),
                ("resolve_days", p.resolve_days),
                ("resolve_days_complex", p.resolve_days_complex),
                ("resolve_days_remote", p.resolve_days_remote),
                ("resolve_days_remote_complex", p.resolve_days_remote_complex),
                ("max_extensions", p.max_extensions),
                ("extension_days", p.extension_days),
                ("reopen_window_days", p.reopen_window_days),
            ];
            for (n, v) in nums {
                m.insert(format!("{k}.{n}"), v.to_string());
            }
            let c = |c: DayCount| if c == DayCount::Working { "working" } else { "calendar" };
            m.insert(format!("{k}.accept_count"), c(p.accept_count).into());
            m.insert(format!("{k}.resolve_count"), c(p.resolve_count).into());
            m.insert(
                format!("{k}.resolve_from"),
                if p.resolve_from == ClockStart::Receipt { "receipt" } else { "acceptance" }.into(),
            );
            m.insert(format!("{k}.basis"), p.basis.clone());
        }
        m
    }

    #[test]
    fn the_legal_defaults_read_back_unchanged() {
        let m = form_of(&Deadlines::default());
        let got = parse_deadlines(&|k| m.get(k).cloned().unwrap_or_default()).unwrap();
        assert_eq!(got, Deadlines::default());
    }

    #[test]
    fn bad_figures_are_reported_by_field() {
        let mut m = form_of(&Deadlines::default());
        m.insert("feedback.accept_days".into(), "0".into());
        m.insert("petition.resolve_days".into(), "mười".into());
        m.insert("complaint.resolve_days_complex".into(), "20".into());
        m.insert("denunciation.basis".into(), " ".into());
        m.insert("denunciation.resolve_count".into(), "weekly".into());
        let e = parse_deadlines(&|k| m.get(k).cloned().unwrap_or_default()).unwrap_err();
        assert_eq!(e.get("feedback.accept_days"), Some("settings.error.days_range"));
        assert_eq!(e.get("petition.resolve_days"), Some("error.number"));
        assert_eq!(e.get("complaint.resolve_days_complex"), Some("settings.error.shorter_than_base"));
        assert_eq!(e.get("denunciation.basis"), Some("error.required"));
        assert_eq!(e.get("denunciation.resolve_count"), Some("error.invalid"));
        assert_eq!(e.get("feedback.resolve_days"), None);
    }

    #[test]
    fn a_changed_limit_is_kept() {
        let mut m = form_of(&Deadlines::default());
        m.insert("feedback.resolve_days".into(), "7".into());
        m.insert("feedback.reopen_window_days".into(), "20".into());
        let d = parse_deadlines(&|k| m.get(k).cloned().unwrap_or_default()).unwrap();
        assert_eq!((d.feedback.resolve_days, d.feedback.reopen_window_days), (7, 20));
        assert_eq!(d.petition, DeadlinePolicy::default_for(CaseKind::Petition));
    }

    #[test]
    fn map_settings_need_a_safe_tile_url_with_placeholders() {
        assert_eq!(validate_map("", "").unwrap(), MapSettings::default());
        let ok = validate_map("https://tiles.example.vn:8443/{z}/{x}/{y}.png", "© OSM").unwrap();
        assert_eq!(ok.tile_origin().as_deref(), Some("https://tiles.example.vn:8443"));
        assert_eq!(validate_map("ftp://x/{z}/{x}/{y}", "a").unwrap_err().get("tile_url"), Some("settings.error.tile_url"));
        assert_eq!(
            validate_map("https://a.example/{z}/{x}/{y}.png; script-src *", "a").unwrap_err().get("tile_url"),
            Some("settings.error.tile_url")
        );
        assert_eq!(
            validate_map("https://a.example/tiles.png", "a").unwrap_err().get("tile_url"),
            Some("settings.error.tile_placeholders")
        );
        assert_eq!(validate_map("https://a.example/{z}/{x}/{y}", "").unwrap_err().get("attribution"), Some("error.required"));
    }
}
