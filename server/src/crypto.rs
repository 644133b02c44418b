//! The server key, password hashing, sealed TOTP secrets, keyed digests of
//! short codes, and TOTP itself.

use std::io::{self, Write};
use std::path::Path;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::Payload;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use subtle::ConstantTimeEq;

use crate::config::PasswordHashing;
use crate::util::{hex, random_bytes, sha256, unhex};

/// 32 random bytes kept in a 0600 file next to the database. TOTP secrets
/// must be recoverable to check codes, so they are sealed with it (a stolen
/// database alone reveals none); it also keys the digests of one-time and
/// backup codes, whose few bits of entropy a plain hash would not protect.
#[derive(Clone)]
pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(***)")
    }
}

impl ServerKey {
    /// Reads the key at `path`, or creates it (0600) if there is none.
    pub fn load_or_create(path: &Path) -> io::Result<ServerKey> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} is not a scripto-server key (64 hex digits)",
                        path.display()
                    ),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                let key: [u8; 32] = random_bytes();
                let mut opts = std::fs::OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                match opts.open(path) {
                    Ok(mut file) => {
                        writeln!(file, "{}", hex(&key))?;
                        file.sync_all()?;
                        Ok(ServerKey(key))
                    }
                    // Another process (an admin command, a second server)
                    // created it between our read and our create.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        Self::load_or_create(path)
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    fn parse(text: &str) -> Option<ServerKey> {
        unhex(text)?.try_into().ok().map(ServerKey)
    }

    /// A keyed digest: SHA-256 over the key, a purpose and the value, so a
    /// copy of the database cannot be searched for 6-digit codes offline.
    pub fn keyed_digest(&self, purpose: &str, value: &str) -> [u8; 32] {
        let mut buf = Vec::with_capacity(32 + purpose.len() + value.len() + 2);
        buf.extend_from_slice(&self.0);
        buf.extend_from_slice(purpose.as_bytes());
        buf.push(0);
        buf.extend_from_slice(value.as_bytes());
        sha256(&buf)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        let mut buf = self.0.to_vec();
        buf.extend_from_slice(b"totp-secret-seal");
        XChaCha20Poly1305::new(&sha256(&buf).into())
    }

    /// nonce (24 bytes) ‖ ciphertext ‖ tag.
    pub fn seal(&self, plaintext: &[u8]) -> Vec<u8> {
        self.seal_for(b"", plaintext)
    }

    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        self.open_for(b"", sealed)
    }

    /// As [`ServerKey::seal`], bound to `purpose` (the associated data):
    /// what was sealed for one purpose does not open for another (a
    /// sign-in cookie is no TOTP secret). The empty purpose is `seal`'s.
    pub fn seal_for(&self, purpose: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let nonce: [u8; 24] = random_bytes();
        let payload = Payload {
            msg: plaintext,
            aad: purpose,
        };
        let ct = self
            .cipher()
            .encrypt(XNonce::from_slice(&nonce), payload)
            .expect("XChaCha20-Poly1305 encryption of a short secret cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        out
    }

    pub fn open_for(&self, purpose: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 24 {
            return None;
        }
        let (nonce, ct) = sealed.split_at(24);
        let payload = Payload {
            msg: ct,
            aad: purpose,
        };
        self.cipher()
            .decrypt(XNonce::from_slice(nonce), payload)
            .ok()
    }
}

/// An Argon2id PHC string for `password`.
pub fn hash_password(params: &PasswordHashing, password: &str) -> String {
    let salt_bytes: [u8; 16] = random_bytes();
    let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes is a valid salt");
    let params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        None,
    )
    .unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2id hashing with valid parameters cannot fail")
        .to_string()
}

/// Checks `password` against a PHC string, with the parameters the string
/// records. A malformed string is a mismatch.
pub fn verify_password(phc: &str, password: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// RFC 6238 as the contract fixes it: SHA-1, 6 digits, 30 s.
fn totp(secret: &[u8]) -> Option<totp_rs::Totp> {
    totp_rs::Builder::new()
        .with_secret(secret.to_vec())
        .build()
        .ok()
}

/// The time step (`unix / 30`) whose code `code` is, within ±1 step of
/// `now`, if any.
pub fn totp_match(secret: &[u8], code: &str, now: u64) -> Option<u64> {
    let totp = totp(secret)?;
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let origin = now / 30;
    (origin.saturating_sub(1)..=origin + 1).find(|step| {
        ct_eq(
            totp.generate(step * 30).to_string().as_bytes(),
            code.as_bytes(),
        )
    })
}

/// The current TOTP code for a base32 secret (as `users add --mfa` prints
/// it), for tests and scripts. An invalid secret gives an empty string.
pub fn totp_now(secret_base32: &str) -> String {
    let now = crate::util::now() as u64;
    totp_rs::Secret::try_from_base32(secret_base32.trim().to_uppercase())
        .ok()
        .and_then(|s| totp(s.as_bytes()))
        .map(|t| t.generate(now).to_string())
        .unwrap_or_default()
}

pub fn base32(bytes: &[u8]) -> String {
    totp_rs::Secret::from(bytes.to_vec()).to_base32()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secret_opens_only_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = ServerKey::load_or_create(&dir.path().join("k")).unwrap();
        let again = ServerKey::load_or_create(&dir.path().join("k")).unwrap();
        let other = ServerKey::load_or_create(&dir.path().join("other")).unwrap();
        let sealed = key.seal(b"totp secret");
        assert_eq!(again.open(&sealed).unwrap(), b"totp secret");
        assert!(other.open(&sealed).is_none());
        // Bound to a purpose: it opens for that purpose only.
        let cookie = key.seal_for(b"oidc-sign-in", b"state");
        assert_eq!(key.open_for(b"oidc-sign-in", &cookie).unwrap(), b"state");
        assert!(key.open(&cookie).is_none());
        assert!(key.open_for(b"oidc-sign-in", &sealed).is_none());
    }

    #[test]
    fn a_password_verifies_and_a_wrong_one_does_not() {
        let cheap = PasswordHashing {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        };
        let phc = hash_password(&cheap, "correct horse");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password(&phc, "correct horse"));
        assert!(!verify_password(&phc, "wrong horse"));
        assert!(!verify_password("garbage", "correct horse"));
    }

    #[test]
    fn totp_now_matches_the_current_step() {
        let secret = [7u8; 20];
        let code = totp_now(&base32(&secret));
        let now = crate::util::now() as u64;
        assert!(totp_match(&secret, &code, now).is_some());
        assert!(totp_match(&secret, "abcdef", now).is_none());
    }
}
