//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), as authenticator
//! apps expect them. A code is accepted for the current step and one step either side, and each
//! step only once per account (replay protection in the store).

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP: i64 = 30;

/// A new secret (160 bits, base32 as apps take it).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    super::secret::fill(&mut bytes);
    BASE32_NOPAD.encode(&bytes)
}

/// The `otpauth://` URI for enrolling in an app.
pub fn uri(secret: &str, account: &str) -> String {
    let label: String = account
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!(
        "otpauth://totp/wijkwerk:{label}?secret={secret}&issuer=wijkwerk&algorithm=SHA1&digits=6&period=30"
    )
}

/// The code of `step` for a raw key.
pub fn code_at(key: &[u8], step: i64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    bin % 1_000_000
}

/// The step at which `code` is valid for `secret` around time `now`, if any.
pub fn check(secret: &str, code: &str, now: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let key = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let step = now.div_euclid(STEP);
    [step - 1, step, step + 1]
        .into_iter()
        .find(|s| code_at(&key, *s) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, truncated to 6 digits.
    #[test]
    fn rfc6238_vectors() {
        let key = b"12345678901234567890";
        for (t, expected) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_111_111_111, 50_471),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(code_at(key, t / STEP), expected, "t = {t}");
        }
    }

    #[test]
    fn codes_check_within_one_step() {
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        assert_eq!(check(&secret, "287082", 59), Some(1));
        assert_eq!(check(&secret, "287082", 59 + 30), Some(1));
        assert_eq!(check(&secret, "287082", 59 + 90), None);
        assert_eq!(check(&secret, "28708", 59), None);
        assert!(uri(&secret, "a b@x.nl").contains("a%20b@x.nl"));
    }
}
