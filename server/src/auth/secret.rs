//! Random secrets and their stored form.
//!
//! Tokens are 256 random bits from the OS generator, sent as unpadded base64url; the store keeps only
//! their SHA-256. Codes people type (sign-in codes, letter codes) come from alphabets without
//! look-alike characters.

use data_encoding::BASE64URL_NOPAD;
use rand::{Rng as _, RngCore as _};
use sha2::{Digest, Sha256};

/// A new random token (256 bits, base64url).
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    fill(&mut bytes);
    BASE64URL_NOPAD.encode(&bytes)
}

/// Fills `buf` with cryptographically secure random bytes.
pub fn fill(buf: &mut [u8]) {
    // ThreadRng: ChaCha12 seeded from the OS and reseeded periodically (a CSPRNG).
    rand::rng().fill_bytes(buf);
}

/// SHA-256 of a secret, as stored.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// A six-digit numeric code (sign-in by e-mail).
pub fn digits6() -> String {
    let mut rng = rand::rng();
    format!("{:06}", rng.random_range(0..1_000_000u32))
}

/// A letter code: 12 characters from an alphabet without 0/O, 1/I/L, in groups of four
/// (`K7QF-9XMA-2PT4`), about 58 bits.
pub fn letter_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let mut out = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
    }
    out
}

/// Letter codes as typed: case, spaces and dashes do not matter.
pub fn normalise_letter_code(typed: &str) -> String {
    let clean: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    clean
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, token());
        assert_eq!(hash(&a).len(), 32);
    }

    #[test]
    fn codes_have_their_shapes() {
        let d = digits6();
        assert_eq!(d.len(), 6);
        assert!(d.bytes().all(|b| b.is_ascii_digit()));
        let l = letter_code();
        assert_eq!(l.len(), 14);
        assert_eq!(
            normalise_letter_code(&l.to_lowercase().replace('-', " ")),
            l
        );
    }
}
