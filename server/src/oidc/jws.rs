//! The signature of an ID token: a JSON Web Signature in compact form
//! (RFC 7515), checked against a key of the provider's JWK Set (RFC 7517)
//! with ring.
//!
//! Only asymmetric algorithms are taken. `none` is refused, and so are the
//! HMAC ones: their key would be the client secret, which this server holds
//! too, so such a token proves nothing about who made it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::Deserialize;

/// Why a token's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    #[error("it is not a signed JSON Web Token")]
    Malformed,
    #[error("it is signed with {0:?}, which this server does not accept")]
    Algorithm(String),
    #[error("the provider publishes no key {0:?} for it")]
    NoKey(String),
    #[error("its signature does not match the provider's key")]
    Signature,
}

/// The algorithms an ID token may be signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alg {
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
}

impl Alg {
    fn parse(s: &str) -> Option<Alg> {
        Some(match s {
            "RS256" => Alg::Rs256,
            "RS384" => Alg::Rs384,
            "RS512" => Alg::Rs512,
            "PS256" => Alg::Ps256,
            "PS384" => Alg::Ps384,
            "PS512" => Alg::Ps512,
            "ES256" => Alg::Es256,
            "ES384" => Alg::Es384,
            _ => return None,
        })
    }

    /// The JWK key type (and for EC keys the curve) this algorithm needs.
    fn fits(self, key: &Jwk) -> bool {
        match self {
            Alg::Rs256 | Alg::Rs384 | Alg::Rs512 | Alg::Ps256 | Alg::Ps384 | Alg::Ps512 => {
                key.kty == "RSA"
            }
            Alg::Es256 => key.kty == "EC" && key.crv.as_deref() == Some("P-256"),
            Alg::Es384 => key.kty == "EC" && key.crv.as_deref() == Some("P-384"),
        }
    }
}

/// One public key of a JWK Set; fields this server does not use are left
/// out, and so are keys it cannot use (see [`parse_jwk_set`]).
#[derive(Debug, Clone, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    #[serde(default)]
    pub alg: Option<String>,
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub e: Option<String>,
    #[serde(default)]
    pub crv: Option<String>,
    #[serde(default)]
    pub x: Option<String>,
    #[serde(default)]
    pub y: Option<String>,
}

/// The signing keys of a JWK Set document: keys of another use
/// (encryption) or that do not parse are skipped, so one odd key of a
/// provider does not stop sign-in with the others.
pub fn parse_jwk_set(body: &[u8]) -> Result<Vec<Jwk>, String> {
    #[derive(Deserialize)]
    struct Set {
        keys: Vec<serde_json::Value>,
    }
    let set: Set = serde_json::from_slice(body).map_err(|e| format!("not a JWK Set: {e}"))?;
    Ok(set
        .keys
        .into_iter()
        .filter_map(|k| serde_json::from_value::<Jwk>(k).ok())
        .filter(|k| k.use_.as_deref().is_none_or(|u| u == "sig"))
        .collect())
}

/// A compact JWS taken apart: what was signed, the header's algorithm and
/// key id, the payload and the signature.
pub struct Jws<'a> {
    signing_input: &'a str,
    alg: String,
    pub kid: Option<String>,
    pub payload: Vec<u8>,
    signature: Vec<u8>,
}

/// Takes `token` apart (nothing is checked yet but its form).
pub fn split(token: &str) -> Result<Jws<'_>, JwsError> {
    #[derive(Deserialize)]
    struct Header {
        alg: String,
        #[serde(default)]
        kid: Option<String>,
        #[serde(default)]
        crit: Option<serde_json::Value>,
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed);
    };
    let decode = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| JwsError::Malformed)
    };
    let header: Header = serde_json::from_slice(&decode(h)?).map_err(|_| JwsError::Malformed)?;
    // Extensions a verifier must understand (RFC 7515 §4.1.11): none are.
    if header.crit.is_some() {
        return Err(JwsError::Malformed);
    }
    Ok(Jws {
        signing_input: &token[..h.len() + 1 + p.len()],
        alg: header.alg,
        kid: header.kid,
        payload: decode(p)?,
        signature: decode(s)?,
    })
}

impl Jws<'_> {
    /// Checks the signature with whichever of `keys` it names (by key id;
    /// without one, each key that fits the algorithm). `NoKey` when none
    /// could be tried: the caller may fetch the keys again, since
    /// providers rotate them.
    pub fn verify(&self, keys: &[Jwk]) -> Result<(), JwsError> {
        let alg = Alg::parse(&self.alg).ok_or_else(|| JwsError::Algorithm(self.alg.clone()))?;
        let candidates: Vec<&Jwk> = keys
            .iter()
            .filter(|k| self.kid.is_none() || k.kid == self.kid)
            .filter(|k| alg.fits(k) && k.alg.as_deref().is_none_or(|a| a == self.alg))
            .collect();
        if candidates.is_empty() {
            return Err(JwsError::NoKey(self.kid.clone().unwrap_or_default()));
        }
        let msg = self.signing_input.as_bytes();
        if candidates
            .iter()
            .any(|k| verify_with(alg, k, msg, &self.signature))
        {
            Ok(())
        } else {
            Err(JwsError::Signature)
        }
    }
}

fn verify_with(alg: Alg, key: &Jwk, msg: &[u8], sig: &[u8]) -> bool {
    let b64 = |v: &Option<String>| {
        v.as_deref()
            .and_then(|s| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok())
    };
    match alg {
        Alg::Rs256 | Alg::Rs384 | Alg::Rs512 | Alg::Ps256 | Alg::Ps384 | Alg::Ps512 => {
            let (Some(n), Some(e)) = (b64(&key.n), b64(&key.e)) else {
                return false;
            };
            // Some providers pad the modulus with a zero byte (RFC 7518
            // §6.3.1.1 says not to); ring takes the minimal form only.
            let minimal = |v: Vec<u8>| {
                let start = v.iter().position(|&b| b != 0).unwrap_or(v.len());
                v[start..].to_vec()
            };
            let (n, e) = (minimal(n), minimal(e));
            let params: &signature::RsaParameters = match alg {
                Alg::Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                Alg::Rs384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                Alg::Rs512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                Alg::Ps256 => &signature::RSA_PSS_2048_8192_SHA256,
                Alg::Ps384 => &signature::RSA_PSS_2048_8192_SHA384,
                _ => &signature::RSA_PSS_2048_8192_SHA512,
            };
            RsaPublicKeyComponents { n, e }
                .verify(params, msg, sig)
                .is_ok()
        }
        Alg::Es256 | Alg::Es384 => {
            let (Some(x), Some(y)) = (b64(&key.x), b64(&key.y)) else {
                return false;
            };
            let (params, len): (&signature::EcdsaVerificationAlgorithm, usize) = match alg {
                Alg::Es256 => (&signature::ECDSA_P256_SHA256_FIXED, 32),
                _ => (&signature::ECDSA_P384_SHA384_FIXED, 48),
            };
            if x.len() != len || y.len() != len {
                return false;
            }
            // The uncompressed point: 0x04, then x, then y (SEC 1 §2.3.3).
            let mut point = Vec::with_capacity(1 + 2 * len);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            UnparsedPublicKey::new(params, point)
                .verify(msg, sig)
                .is_ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};

    fn b64(b: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(b)
    }

    /// A fresh P-256 key: its signer and its JWK.
    fn es256_key(kid: &str) -> (EcdsaKeyPair, Jwk) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let point = pair.public_key().as_ref();
        let jwk = serde_json::from_value(serde_json::json!({
            "kty": "EC", "crv": "P-256", "kid": kid, "use": "sig",
            "x": b64(&point[1..33]), "y": b64(&point[33..]),
        }))
        .unwrap();
        (pair, jwk)
    }

    fn sign(pair: &EcdsaKeyPair, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let sig = pair.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", b64(sig.as_ref()))
    }

    #[test]
    fn a_token_signed_with_the_named_key_verifies_and_a_changed_one_does_not() {
        let (pair, jwk) = es256_key("k1");
        let token = sign(&pair, r#"{"alg":"ES256","kid":"k1"}"#, r#"{"sub":"a"}"#);
        let jws = split(&token).unwrap();
        assert_eq!(jws.payload, br#"{"sub":"a"}"#);
        assert_eq!(jws.verify(std::slice::from_ref(&jwk)), Ok(()));

        // The same signature over another payload.
        let (head, rest) = token.split_once('.').unwrap();
        let sig = rest.rsplit_once('.').unwrap().1;
        let forged = format!("{head}.{}.{sig}", b64(br#"{"sub":"b"}"#));
        assert_eq!(
            split(&forged).unwrap().verify(&[jwk]),
            Err(JwsError::Signature)
        );
    }

    #[test]
    fn another_key_or_an_unknown_key_id_is_refused() {
        let (pair, _) = es256_key("k1");
        let (_, other) = es256_key("k1");
        let token = sign(&pair, r#"{"alg":"ES256","kid":"k1"}"#, "{}");
        assert_eq!(
            split(&token).unwrap().verify(std::slice::from_ref(&other)),
            Err(JwsError::Signature)
        );
        let token = sign(&pair, r#"{"alg":"ES256","kid":"k2"}"#, "{}");
        assert_eq!(
            split(&token).unwrap().verify(&[other]),
            Err(JwsError::NoKey("k2".into()))
        );
    }

    #[test]
    fn none_and_hmac_are_refused_whatever_the_signature() {
        let (_, jwk) = es256_key("k1");
        for alg in ["none", "HS256"] {
            let token = format!(
                "{}.{}.",
                b64(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
                b64(b"{}")
            );
            assert_eq!(
                split(&token).unwrap().verify(std::slice::from_ref(&jwk)),
                Err(JwsError::Algorithm(alg.into()))
            );
        }
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for t in ["", "a.b", "a.b.c.d", "!!.e30.", "e30.e30.e30"] {
            assert!(split(t).is_err(), "{t}");
        }
        let crit = format!(
            "{}.{}.",
            b64(br#"{"alg":"ES256","crit":["exp"]}"#),
            b64(b"{}")
        );
        assert!(split(&crit).is_err());
    }

    #[test]
    fn a_jwk_set_keeps_its_signing_keys_only() {
        let keys = parse_jwk_set(
            br#"{"keys":[{"kty":"RSA","n":"AQ","e":"AQAB","kid":"a"},
                {"kty":"RSA","use":"enc","n":"AQ","e":"AQAB","kid":"b"},
                {"nonsense":1}]}"#,
        )
        .unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid.as_deref(), Some("a"));
        assert!(parse_jwk_set(b"[]").is_err());
    }
}
