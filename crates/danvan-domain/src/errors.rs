//! Field-level validation errors. Messages are translation keys (see the web crate's catalogues),
//! never prose, so every layer can report them in the user's language.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form/API field the message belongs to, e.g. `code`.
    pub field: String,
    /// Translation key, e.g. `error.required`.
    pub key: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn one(field: &str, key: &str) -> Self {
        let mut e = Self::new();
        e.add(field, key);
        e
    }
    pub fn add(&mut self, field: &str, key: &str) {
        self.0.push(FieldError { field: field.into(), key: key.into() });
    }
    pub fn merge(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.key.as_str())
    }
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.key)).collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// A stored value that is not one of the names a domain enum knows (a role, a kind, a status…).
/// The store decodes rows into domain types once and reports this instead of guessing a default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}: {value:?}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}
