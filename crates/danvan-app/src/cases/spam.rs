//! The public form's spam controls: a start time signed by the server (so the minimum fill time
//! cannot be skipped by claiming an old one), a limit per address that counts every attempt
//! whatever becomes of it. The checks made before any photo is decoded are
//! `intake::submit_with_files`'s, for every way in.

use crate::{App, AppError, AppResult, Caller};
use danvan_domain::cases::spam::filled_in_time;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Attempts (recorded, refused or invalid) one address may make in an hour.
pub const MAX_ATTEMPTS_PER_IP_PER_HOUR: i64 = 20;

fn started_mac(key: &[u8], at: i64) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    m.update(format!("started:{at}").as_bytes());
    m
}

/// `<seconds>.<hex of HMAC-SHA256(key, "started:<seconds>")>`: when a form was shown, signed.
pub fn sign_started(key: &[u8], at: i64) -> String {
    format!("{at}.{}", hex::encode(started_mac(key, at).finalize().into_bytes()))
}

/// The time a token names, when the signature is ours (checked in constant time).
pub fn verify_started(key: &[u8], token: &str) -> Option<i64> {
    let (at, sig) = token.trim().split_once('.')?;
    let at: i64 = at.parse().ok()?;
    let sig = hex::decode(sig).ok()?;
    started_mac(key, at).verify_slice(&sig).ok()?;
    Some(at)
}

/// The server's signing key: given at start (tests) or kept in the database, shared by nodes.
async fn form_key(app: &App) -> AppResult<Vec<u8>> {
    let key = app.form_key.get_or_try_init(|| async { Ok::<_, AppError>(app.store.form_key().await?.into_bytes()) }).await?;
    Ok(key.clone())
}

/// The start token of a form shown now.
pub async fn started_token(app: &App) -> AppResult<String> {
    Ok(sign_started(&form_key(app).await?, chrono::Utc::now().timestamp()))
}

/// Refuses a form whose start time is missing or forged (a script: `BadRequest`), and one sent
/// too soon after it was shown, or a day after, with the field error `started` (a person can be
/// fast, or leave a tab open: the form is shown again with what they typed). `case.error.too_fast`
/// either way, so a script learns nothing from the difference but the status.
pub async fn check_started(app: &App, token: &str) -> AppResult<()> {
    let Some(started) = verify_started(&form_key(app).await?, token) else {
        return Err(AppError::BadRequest("case.error.too_fast"));
    };
    if filled_in_time(Some(started), chrono::Utc::now().timestamp()) {
        Ok(())
    } else {
        Err(AppError::Invalid(danvan_domain::errors::FieldErrors::one("started", "case.error.too_fast")))
    }
}

/// Counts one attempt of the caller's address at the public form, before anything else is
/// done with it: a refused or invalid attempt costs the server too.
pub async fn count_public_attempt(app: &App, caller: &Caller) -> AppResult<()> {
    let hour = chrono::Duration::hours(1);
    crate::org::sessions::count_attempt(app, "case", &caller.ip, hour, MAX_ATTEMPTS_PER_IP_PER_HOUR, "error.too_many").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_signature_names_a_start_time() {
        let key = b"k1";
        let t = sign_started(key, 1_800_000_000);
        assert_eq!(verify_started(key, &t), Some(1_800_000_000));
        assert_eq!(verify_started(b"k2", &t), None, "another key");
        assert_eq!(verify_started(key, "0"), None, "unsigned");
        assert_eq!(verify_started(key, ""), None, "missing");
        let forged = t.replacen("1800000000", "1700000000", 1);
        assert_eq!(verify_started(key, &forged), None, "another time under the same signature");
        assert_eq!(verify_started(key, "1800000000.zz"), None, "not hex");
    }
}
