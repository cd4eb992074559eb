//! Categories (Open311 services) and their attribute definitions: what an administrator enters,
//! and what a request must carry for them.

use crate::errors::FieldErrors;
use crate::text::clean;
use serde::{Deserialize, Serialize};

pub const DATATYPES: &[&str] = &["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"];

/// One Open311 attribute of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub code: String,
    pub datatype: String,
    pub required: bool,
    pub description: String,
    /// (key, name) for the list types.
    #[serde(default)]
    pub values: Vec<(String, String)>,
    pub order: u32,
}

impl AttributeDef {
    pub fn is_list(&self) -> bool {
        self.datatype.ends_with("valuelist")
    }
}

/// Codes the built-in definition already uses (kind, ward).
const RESERVED: &[&str] = &["kind", "ward"];

/// The longest label (a category's name or group, an attribute's description, a listed value's
/// key or name), in characters: every one of them is shown on the public form.
pub const MAX_LABEL_CHARS: usize = 200;
/// The most values one list attribute may offer.
pub const MAX_LIST_VALUES: usize = 100;

/// The lengths of a category's texts, as (field, value): its description up to 4,000
/// characters, its keywords up to 1,000, any other (names, group) up to [`MAX_LABEL_CHARS`].
pub fn check_texts(texts: &[(&str, &str)]) -> FieldErrors {
    let mut e = FieldErrors::new();
    for (field, value) in texts {
        let max = match *field {
            "description" => 4000,
            "keywords" => 1000,
            _ => MAX_LABEL_CHARS,
        };
        if clean(value).chars().count() > max {
            e.add(field, "error.too_long");
        }
    }
    e
}

/// Attribute definitions are typed one per line, so the form works without JavaScript:
/// `code | datatype | required (yes/no) | description | key=name; key=name`.
pub fn parse_attributes(text: &str) -> Result<Vec<AttributeDef>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut out: Vec<AttributeDef> = vec![];
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let field = format!("attributes.{}", i + 1);
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let code = parts.first().copied().unwrap_or("").to_string();
        let code_ok = !code.is_empty()
            && code.len() <= 50
            && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !code_ok {
            e.add(&field, "category.error.attr_code");
            continue;
        }
        if RESERVED.contains(&code.as_str()) || out.iter().any(|a| a.code == code) {
            e.add(&field, "category.error.attr_duplicate");
            continue;
        }
        let datatype = parts.get(1).copied().unwrap_or("string").to_string();
        let datatype = if datatype.is_empty() { "string".to_string() } else { datatype };
        if !DATATYPES.contains(&datatype.as_str()) {
            e.add(&field, "category.error.attr_datatype");
            continue;
        }
        let required = match parts.get(2).copied().unwrap_or("").to_lowercase().as_str() {
            "yes" | "có" | "true" | "1" | "required" | "bắt buộc" => true,
            "" | "no" | "không" | "false" | "0" => false,
            _ => {
                e.add(&field, "category.error.attr_required");
                continue;
            }
        };
        let description = clean(parts.get(3).copied().unwrap_or(""));
        let mut values = vec![];
        for v in parts.get(4).copied().unwrap_or("").split(';').map(str::trim).filter(|v| !v.is_empty()) {
            let (k, n) = v.split_once('=').map(|(k, n)| (k.trim(), n.trim())).unwrap_or((v, v));
            values.push((clean(k), clean(n)));
        }
        let too_long = |t: &str| t.chars().count() > MAX_LABEL_CHARS;
        if too_long(&description) || values.len() > MAX_LIST_VALUES || values.iter().any(|(k, n)| too_long(k) || too_long(n)) {
            e.add(&field, "error.too_long");
            continue;
        }
        let is_list = datatype.ends_with("valuelist");
        if is_list && values.is_empty() {
            e.add(&field, "category.error.attr_values");
            continue;
        }
        if !is_list && !values.is_empty() {
            e.add(&field, "category.error.attr_values_not_list");
            continue;
        }
        out.push(AttributeDef { code, datatype, required, description, values, order: i as u32 + 1 });
    }
    if out.len() > 30 {
        e.add("attributes", "error.too_long");
    }
    e.into_result()?;
    Ok(out)
}

/// The definitions back in the one-per-line form.
pub fn format_attributes(defs: &[AttributeDef]) -> String {
    defs.iter()
        .map(|a| {
            let values: Vec<String> = a.values.iter().map(|(k, n)| format!("{k}={n}")).collect();
            format!(
                "{} | {} | {} | {} | {}",
                a.code,
                a.datatype,
                if a.required { "yes" } else { "no" },
                a.description,
                values.join("; ")
            )
            .trim_end_matches([' ', '|'])
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why an attribute value was refused (Open311 answers in English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeError {
    pub code: String,
    pub problem: &'static str,
}

impl AttributeError {
    pub fn message(&self) -> String {
        format!("attribute[{}] {}", self.code, self.problem)
    }
    /// Translation key for forms.
    pub fn key(&self) -> &'static str {
        match self.problem {
            "is required" => "error.required",
            "must be a number" => "error.number",
            "must be an ISO 8601 date-time" => "error.date",
            "is too long" => "error.too_long",
            _ => "error.invalid",
        }
    }
}

/// Checks submitted values (`given(code)` returns every value sent for it) against the
/// definitions; returns the accepted (code, values) in definition order.
pub fn check_values(
    defs: &[AttributeDef],
    given: &dyn Fn(&str) -> Vec<String>,
) -> Result<Vec<(String, Vec<String>)>, Vec<AttributeError>> {
    let mut errors = vec![];
    let mut out = vec![];
    let mut sorted: Vec<&AttributeDef> = defs.iter().collect();
    sorted.sort_by_key(|a| a.order);
    for a in sorted {
        let vals: Vec<String> = given(&a.code).into_iter().map(|v| clean(&v)).filter(|v| !v.is_empty()).collect();
        let err = |problem| AttributeError { code: a.code.clone(), problem };
        if vals.is_empty() {
            if a.required {
                errors.push(err("is required"));
            }
            continue;
        }
        let problem = match a.datatype.as_str() {
            "number" if vals.iter().any(|v| v.replace(',', ".").parse::<f64>().map(|f| !f.is_finite()).unwrap_or(true)) => {
                Some("must be a number")
            }
            "datetime"
                if vals.iter().any(|v| {
                    chrono::DateTime::parse_from_rfc3339(v).is_err() && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err()
                }) =>
            {
                Some("must be an ISO 8601 date-time")
            }
            "singlevaluelist" if vals.len() > 1 => Some("takes one value"),
            "singlevaluelist" | "multivaluelist" if vals.iter().any(|v| !a.values.iter().any(|(k, _)| k == v)) => {
                Some("is not one of the listed values")
            }
            "string" | "number" | "datetime" | "text" if vals.len() > 1 => Some("takes one value"),
            _ if vals.iter().any(|v| v.chars().count() > 2000) => Some("is too long"),
            _ => None,
        };
        match problem {
            Some(p) => errors.push(err(p)),
            None => out.push((a.code.clone(), vals)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const DEFS: &str = "size | singlevaluelist | yes | Mức độ | small=Nhỏ; large=Lớn\n\nlanes | number | no | Số làn\nkinds | multivaluelist | no | Loại | a=A; b=B";

    #[test]
    fn labels_and_lists_are_bounded() {
        let long = "x".repeat(MAX_LABEL_CHARS + 1);
        let e = parse_attributes(&format!("size | string | no | {long}")).unwrap_err();
        assert_eq!(e.get("attributes.1"), Some("error.too_long"));
        let many: Vec<String> = (0..=MAX_LIST_VALUES).map(|i| format!("v{i}=V{i}")).collect();
        let e = parse_attributes(&format!("size | singlevaluelist | no | Mức | {}", many.join("; "))).unwrap_err();
        assert_eq!(e.get("attributes.1"), Some("error.too_long"));
        assert!(parse_attributes(&format!("size | singlevaluelist | no | Mức | {}", many[..MAX_LIST_VALUES].join("; "))).is_ok());
        let e = check_texts(&[("name", &long), ("keywords", &long), ("description", &"y".repeat(4001))]);
        assert_eq!(
            (e.get("name"), e.get("keywords"), e.get("description")),
            (Some("error.too_long"), None, Some("error.too_long"))
        );
    }

    #[test]
    fn definitions_parse_and_format_back() {
        let defs = parse_attributes(DEFS).unwrap();
        assert_eq!(defs.len(), 3);
        assert_eq!(defs[0].values, vec![("small".into(), "Nhỏ".into()), ("large".into(), "Lớn".into())]);
        assert!(defs[0].required && !defs[1].required);
        assert_eq!(defs[2].order, 3);
        assert_eq!(parse_attributes(&format_attributes(&defs)).unwrap(), defs);
    }

    #[test]
    fn bad_definitions_name_their_line() {
        let e = parse_attributes("Bad Code | string\nok | colour\nlist | singlevaluelist\nok2 | string | maybe\nkind | string")
            .unwrap_err();
        assert_eq!(e.get("attributes.1"), Some("category.error.attr_code"));
        assert_eq!(e.get("attributes.2"), Some("category.error.attr_datatype"));
        assert_eq!(e.get("attributes.3"), Some("category.error.attr_values"));
        assert_eq!(e.get("attributes.4"), Some("category.error.attr_required"));
        assert_eq!(e.get("attributes.5"), Some("category.error.attr_duplicate"));
    }

    #[test]
    fn values_are_checked_against_the_definitions() {
        let defs = parse_attributes(DEFS).unwrap();
        let run = |pairs: &[(&str, &str)]| {
            let m: HashMap<String, Vec<String>> = pairs.iter().fold(HashMap::new(), |mut m, (k, v)| {
                m.entry(k.to_string()).or_default().push(v.to_string());
                m
            });
            check_values(&defs, &|c| m.get(c).cloned().unwrap_or_default())
        };
        let ok = run(&[("size", "large"), ("lanes", "2"), ("kinds", "a"), ("kinds", "b")]).unwrap();
        assert_eq!(ok[2], ("kinds".to_string(), vec!["a".to_string(), "b".to_string()]));
        let e = run(&[("lanes", "hai"), ("kinds", "z")]).unwrap_err();
        assert_eq!(e[0].message(), "attribute[size] is required");
        assert_eq!(e[1].message(), "attribute[lanes] must be a number");
        assert_eq!(e[2].message(), "attribute[kinds] is not one of the listed values");
        assert_eq!(run(&[("size", "small"), ("size", "large")]).unwrap_err()[0].problem, "takes one value");
    }
}
