//! The API key format: `scripto_` + 32 random base62 characters + 6 base62
//! characters of the CRC32 of the random part (the scheme GitHub uses for its
//! tokens). The checksum lets the CLI refuse a truncated or mistyped key
//! before it is stored or sent, and lets secret scanners match the pattern.

use std::fmt;

pub const KEY_PREFIX: &str = "scripto_";
pub const RANDOM_LEN: usize = 32;
pub const CHECKSUM_LEN: usize = 6;
pub const KEY_LEN: usize = KEY_PREFIX.len() + RANDOM_LEN + CHECKSUM_LEN;
/// How many leading characters of a key are public (`scripto_Ab3d`).
pub const START_LEN: usize = 12;

/// The base62 alphabet, in the order GitHub's token checksums use.
pub const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Why a string is not a well-formed key. Each reason reads as the end of
/// "the API key …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFormatError {
    MissingPrefix,
    WrongLength { len: usize },
    InvalidCharacter,
    ChecksumMismatch,
}

impl fmt::Display for KeyFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingPrefix => write!(f, "does not start with `{KEY_PREFIX}`"),
            Self::WrongLength { len } => write!(
                f,
                "has {len} characters instead of {KEY_LEN}; it looks truncated or mistyped"
            ),
            Self::InvalidCharacter => write!(
                f,
                "contains characters other than letters and digits; it looks mistyped"
            ),
            Self::ChecksumMismatch => {
                write!(f, "fails its checksum; it looks truncated or mistyped")
            }
        }
    }
}

impl std::error::Error for KeyFormatError {}

/// The six base62 characters of the CRC32 of `random`, most significant first.
pub fn checksum(random: &str) -> String {
    let mut n = crc32fast::hash(random.as_bytes()) as u64;
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    // Only base62 bytes were written.
    String::from_utf8(out.to_vec()).expect("base62 is ASCII")
}

/// Builds a key from its random part. `random` must be [`RANDOM_LEN`] base62
/// characters; the server draws them from a CSPRNG.
pub fn format_key(random: &str) -> String {
    debug_assert_eq!(random.len(), RANDOM_LEN);
    format!("{KEY_PREFIX}{random}{}", checksum(random))
}

/// Checks prefix, length, alphabet and checksum, in that order, so the error
/// names the first thing that is wrong.
pub fn check_key(key: &str) -> Result<(), KeyFormatError> {
    let Some(rest) = key.strip_prefix(KEY_PREFIX) else {
        return Err(KeyFormatError::MissingPrefix);
    };
    if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(KeyFormatError::InvalidCharacter);
    }
    if key.len() != KEY_LEN {
        return Err(KeyFormatError::WrongLength { len: key.len() });
    }
    let (random, sum) = rest.split_at(RANDOM_LEN);
    if checksum(random) != sum {
        return Err(KeyFormatError::ChecksumMismatch);
    }
    Ok(())
}

/// The public leading part of a key (`scripto_Ab3d`), safe to print and store.
/// For a string that is not a key it returns at most the prefix, so nothing
/// secret is shown.
pub fn key_start(key: &str) -> &str {
    if key.starts_with(KEY_PREFIX) && key.len() >= START_LEN && key.is_char_boundary(START_LEN) {
        &key[..START_LEN]
    } else if key.starts_with(KEY_PREFIX) {
        KEY_PREFIX
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANDOM: &str = "Ab3dEfGhIjKlMnOpQrStUvWxYz012345";

    #[test]
    fn a_formatted_key_passes_its_check() {
        let key = format_key(RANDOM);
        assert_eq!(key.len(), KEY_LEN);
        assert_eq!(check_key(&key), Ok(()));
        assert_eq!(key_start(&key), "scripto_Ab3d");
    }

    #[test]
    fn a_truncated_key_is_refused_as_truncated() {
        let key = format_key(RANDOM);
        assert_eq!(
            check_key(&key[..KEY_LEN - 1]),
            Err(KeyFormatError::WrongLength { len: KEY_LEN - 1 })
        );
    }

    #[test]
    fn one_changed_character_fails_the_checksum() {
        let key = format_key(RANDOM).replacen("Ab3d", "Ab4d", 1);
        assert_eq!(check_key(&key), Err(KeyFormatError::ChecksumMismatch));
    }

    #[test]
    fn other_strings_are_refused_with_a_reason() {
        assert_eq!(check_key("sk_live_abc"), Err(KeyFormatError::MissingPrefix));
        assert_eq!(
            check_key("scripto_ab cd"),
            Err(KeyFormatError::InvalidCharacter)
        );
        assert_eq!(key_start("hunter2"), "");
        assert_eq!(key_start("scripto_a"), "scripto_");
    }

    /// The vectors of docs/api.md ("The key format, exactly"), computed there
    /// with Python's `zlib.crc32`: a scanner written from that page agrees.
    #[test]
    fn the_documented_test_vectors_hold() {
        assert_eq!(
            format_key("Ab3dEfGhIjKlMnOpQrStUvWxYz012345"),
            "scripto_Ab3dEfGhIjKlMnOpQrStUvWxYz0123453jfZ3l"
        );
        assert_eq!(
            format_key("00000000000000000000000000000000"),
            "scripto_000000000000000000000000000000002wjyrI"
        );
    }

    #[test]
    fn checksum_is_six_base62_characters() {
        for random in [
            RANDOM,
            "00000000000000000000000000000000",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ] {
            let sum = checksum(random);
            assert_eq!(sum.len(), CHECKSUM_LEN);
            assert!(sum.bytes().all(|b| BASE62.contains(&b)));
        }
    }
}
