//! The application's error: one enum whose variants carry translation keys. The web layer maps
//! it to HTTP statuses and problem documents; the CLI prints it.

use danvan_domain::{Denied, FieldErrors};
use danvan_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    SignIn,
    Forbidden,
    TooMany(&'static str),
    BadRequest(&'static str),
    /// Field-level validation errors.
    Invalid(FieldErrors),
    /// The request conflicts with the state of the data, e.g. deleting a used unit.
    Conflict(FieldErrors),
    /// Saturated for this kind of work; the key says to try again.
    Busy(&'static str),
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotSignedIn => AppError::SignIn,
            Denied::Forbidden => AppError::Forbidden,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(f) if f.0.iter().any(|e| e.field == "unit") => AppError::Conflict(f),
            StoreError::Invalid(f) => AppError::Invalid(f),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(f: FieldErrors) -> Self {
        if f.0.iter().any(|e| e.field == "unit") {
            AppError::Conflict(f)
        } else {
            AppError::Invalid(f)
        }
    }
}

impl AppError {
    /// The field errors, for a refusal that has them.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(f) | AppError::Conflict(f) => Some(f),
            _ => None,
        }
    }

    /// The translation key that sums the error up.
    pub fn key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error.not_found",
            AppError::SignIn => "error.signin",
            AppError::Forbidden => "error.forbidden",
            AppError::TooMany(k) | AppError::BadRequest(k) | AppError::Busy(k) => k,
            AppError::Invalid(_) | AppError::Conflict(_) => "error.summary",
            AppError::Internal(_) => "error.internal",
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Invalid(e) | AppError::Conflict(e) => {
                let parts: Vec<String> = e.0.iter().map(|e| format!("{}: {}", e.field, e.key)).collect();
                write!(f, "{} ({})", self.key(), parts.join(", "))
            }
            AppError::Internal(m) => write!(f, "internal error: {m}"),
            other => f.write_str(other.key()),
        }
    }
}

impl std::error::Error for AppError {}
