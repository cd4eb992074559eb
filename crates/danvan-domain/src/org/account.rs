//! Accounts of officials and citizens: what a valid account looks like.

use crate::errors::FieldErrors;
use crate::text;
use serde::{Deserialize, Serialize};

pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AccountInput {
    pub username: String,
    pub full_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccountDraft {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Usernames are lowercase ASCII so that officials can type them on any keyboard.
pub fn validate_username(u: &str) -> Result<String, &'static str> {
    let u = u.trim().to_lowercase();
    if u.is_empty() {
        return Err("error.required");
    }
    if u.len() < 3 || u.len() > 40 {
        return Err("error.username_length");
    }
    if !u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
        return Err("error.username_chars");
    }
    Ok(u)
}

/// The longest title of a membership ("Chủ tịch", "Cán bộ địa chính"), in characters.
pub const MAX_TITLE_CHARS: usize = 120;

/// A membership's title as given (pages, API, CLI): cleaned, at most [`MAX_TITLE_CHARS`].
pub fn check_title(title: &str) -> Result<String, &'static str> {
    let title = crate::text::clean(title);
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err("error.too_long");
    }
    Ok(title)
}

pub fn validate_password(p: &str) -> Result<(), &'static str> {
    if p.is_empty() {
        return Err("error.required");
    }
    if p.chars().count() < MIN_PASSWORD_CHARS {
        return Err("error.password_short");
    }
    if p.chars().count() > 200 {
        return Err("error.too_long");
    }
    Ok(())
}

fn valid_email(e: &str) -> bool {
    let mut parts = e.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(d), None) => {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !e.contains(char::is_whitespace)
        }
        _ => false,
    }
}

/// Vietnamese phone numbers: 0xxxxxxxxx or +84xxxxxxxxx; spaces and dots are allowed when typed.
fn normalise_phone(p: &str) -> Option<String> {
    let digits: String = p.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let rest = digits.strip_prefix("+84").map(|r| format!("0{r}")).unwrap_or(digits);
    (rest.starts_with('0') && (10..=11).contains(&rest.len()) && rest.chars().all(|c| c.is_ascii_digit())).then_some(rest)
}

pub fn validate_account(input: &AccountInput) -> Result<AccountDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let username = validate_username(&input.username).map_err(|k| e.add("username", k)).ok();
    let full_name = text::clean(&input.full_name);
    if full_name.is_empty() {
        e.add("full_name", "error.required");
    } else if full_name.chars().count() > 120 {
        e.add("full_name", "error.too_long");
    }
    let email = input.email.trim().to_lowercase();
    if !email.is_empty() && !valid_email(&email) {
        e.add("email", "error.email");
    }
    let phone = input.phone.trim();
    let phone_norm = if phone.is_empty() { None } else { normalise_phone(phone) };
    if !phone.is_empty() && phone_norm.is_none() {
        e.add("phone", "error.phone");
    }
    e.into_result()?;
    Ok(AccountDraft {
        username: username.unwrap_or_default(),
        full_name,
        email: (!email.is_empty()).then_some(email),
        phone: phone_norm,
    })
}

/// The system keeps an active administrator: only administrators manage administrators, so
/// without one nobody could grant the role again. `others` counts the active administrators
/// left once the change (a role removed, an account locked) is made; the refusal names `field`.
pub fn keeps_an_administrator(others: i64, field: &str) -> Result<(), FieldErrors> {
    if others > 0 {
        Ok(())
    } else {
        Err(FieldErrors::one(field, "error.last_admin"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_active_administrator_is_kept() {
        assert!(keeps_an_administrator(1, "role").is_ok());
        assert!(keeps_an_administrator(3, "active").is_ok());
        let e = keeps_an_administrator(0, "role").unwrap_err();
        assert_eq!((e.0[0].field.as_str(), e.0[0].key.as_str()), ("role", "error.last_admin"));
    }

    #[test]
    fn usernames_are_lowercase_ascii() {
        assert_eq!(validate_username(" Lan.Nguyen "), Ok("lan.nguyen".into()));
        assert_eq!(validate_username("lân"), Err("error.username_chars"));
        assert_eq!(validate_username("ab"), Err("error.username_length"));
    }

    #[test]
    fn titles_are_cleaned_and_bounded() {
        assert_eq!(check_title("  Chủ  tịch "), Ok("Chủ tịch".to_string()));
        assert_eq!(check_title(&"x".repeat(MAX_TITLE_CHARS)).map(|t| t.len()), Ok(MAX_TITLE_CHARS));
        assert_eq!(check_title(&"x".repeat(MAX_TITLE_CHARS + 1)), Err("error.too_long"));
    }

    #[test]
    fn passwords_need_length() {
        assert_eq!(validate_password("short"), Err("error.password_short"));
        assert!(validate_password("mật khẩu dài đủ").is_ok());
    }

    #[test]
    fn accounts_validate_every_field() {
        let e = validate_account(&AccountInput {
            username: "x".into(),
            full_name: "".into(),
            email: "a@b".into(),
            phone: "12345".into(),
        })
        .unwrap_err();
        for f in ["username", "full_name", "email", "phone"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let ok = validate_account(&AccountInput {
            username: "lan".into(),
            full_name: "Nguyễn Thị  Lan".into(),
            email: "Lan@Example.vn".into(),
            phone: "+84 912 345 678".into(),
        })
        .unwrap();
        assert_eq!(ok.phone.as_deref(), Some("0912345678"));
        assert_eq!(ok.email.as_deref(), Some("lan@example.vn"));
        assert_eq!(ok.full_name, "Nguyễn Thị Lan");
    }
}
