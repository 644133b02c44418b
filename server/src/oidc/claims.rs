//! The claims of an ID token, checked as OpenID Connect Core 1.0 §3.1.3.7
//! has a client check them: issuer, audience, expiry, issue time, nonce;
//! then the verified e-mail address this server signs people in by.

use serde::Deserialize;

/// Where Microsoft Entra ID's issuers live: only their `xms_edov` is
/// taken (see [`check`]).
const ENTRA_ISSUERS: &str = "https://login.microsoftonline.com/";

/// How far the provider's clock and this server's may disagree.
pub const CLOCK_LEEWAY_SECS: i64 = 60;

/// Who the provider says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's stable id of the person (`sub`).
    pub subject: String,
    /// The verified address, as the provider wrote it.
    pub email: String,
}

/// What the token must say.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub now: i64,
}

/// Why a token's claims were not accepted. The first kind is a token that
/// is not for this sign-in; the last two are a real sign-in this server
/// will not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the ID token {0}")]
    Invalid(String),
    #[error("the identity provider did not give an e-mail address")]
    NoEmail,
    #[error("the identity provider has not verified the e-mail address {0}")]
    EmailUnverified(String),
}

#[derive(Deserialize)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    azp: Option<String>,
    exp: Option<f64>,
    iat: Option<f64>,
    nonce: Option<String>,
    email: Option<String>,
    email_verified: Option<serde_json::Value>,
    /// Microsoft Entra ID's "email domain owner verified": Entra never
    /// sends `email_verified` for work accounts; with this optional claim
    /// it says the address's domain belongs to the tenant.
    xms_edov: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

/// Checks the payload of a token whose signature was already verified.
pub fn check(payload: &[u8], want: &Expected<'_>) -> Result<Identity, ClaimsError> {
    let bad = |why: &str| ClaimsError::Invalid(why.to_owned());
    let c: Claims =
        serde_json::from_slice(payload).map_err(|_| bad("is not a JSON object of claims"))?;
    if c.iss.as_deref() != Some(want.issuer) {
        return Err(bad("was issued by another provider"));
    }
    let auds = match &c.aud {
        Some(Audience::One(a)) => vec![a.as_str()],
        Some(Audience::Many(v)) => v.iter().map(String::as_str).collect(),
        None => Vec::new(),
    };
    if !auds.contains(&want.client_id) {
        return Err(bad("was issued to another client"));
    }
    // Several audiences: the party it was issued to must be this one.
    if auds.len() > 1 && c.azp.as_deref() != Some(want.client_id) {
        return Err(bad("was issued to another client"));
    }
    let exp = c.exp.ok_or_else(|| bad("has no expiry"))?;
    if (exp as i64).saturating_add(CLOCK_LEEWAY_SECS) <= want.now {
        return Err(bad("has expired"));
    }
    let iat = c.iat.ok_or_else(|| bad("has no issue time"))?;
    if (iat as i64).saturating_sub(CLOCK_LEEWAY_SECS) > want.now {
        return Err(bad("was issued in the future"));
    }
    // The nonce ties the token to the sign-in this browser started: a token
    // from another sign-in (or a replayed one) does not carry it.
    if c.nonce.as_deref() != Some(want.nonce) {
        return Err(bad("belongs to another sign-in (its nonce differs)"));
    }
    let subject = c
        .sub
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("names no subject"))?;
    let email = c
        .email
        .filter(|e| !e.trim().is_empty())
        .ok_or(ClaimsError::NoEmail)?;
    // Some providers write the flag as a string. Only without
    // `email_verified` at all does Entra's `xms_edov` stand in for it.
    let verified = match &c.email_verified {
        Some(flag) => is_true(flag),
        None if want.issuer.starts_with(ENTRA_ISSUERS) => c.xms_edov.as_ref().is_some_and(is_true),
        None => false,
    };
    if !verified {
        return Err(ClaimsError::EmailUnverified(email));
    }
    Ok(Identity { subject, email })
}

fn is_true(v: &serde_json::Value) -> bool {
    matches!(v, serde_json::Value::Bool(true)) || v.as_str() == Some("true")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const NOW: i64 = 1_800_000_000;

    fn want() -> Expected<'static> {
        Expected {
            issuer: "https://idp.example.com",
            client_id: "scripto",
            nonce: "n-1",
            now: NOW,
        }
    }

    fn good() -> Value {
        json!({
            "iss": "https://idp.example.com", "sub": "u1", "aud": "scripto",
            "exp": NOW + 300, "iat": NOW, "nonce": "n-1",
            "email": "Ada@Example.com", "email_verified": true,
        })
    }

    fn with(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
        let mut v = good();
        change(v.as_object_mut().unwrap());
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn a_good_token_names_its_subject_and_address() {
        let id = check(&with(|_| {}), &want()).unwrap();
        assert_eq!(id.subject, "u1");
        assert_eq!(id.email, "Ada@Example.com");
        let many = with(|m| {
            m.insert("aud".into(), json!(["scripto", "other"]));
            m.insert("azp".into(), json!("scripto"));
        });
        assert!(check(&many, &want()).is_ok());
        let text_flag = with(|m| {
            m.insert("email_verified".into(), json!("true"));
        });
        assert!(check(&text_flag, &want()).is_ok());
    }

    #[test]
    fn each_failed_check_says_which() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                with(|m| {
                    m.insert("iss".into(), json!("https://evil.example.com"));
                }),
                "another provider",
            ),
            (
                with(|m| {
                    m.insert("aud".into(), json!("other"));
                }),
                "another client",
            ),
            (
                with(|m| {
                    m.insert("aud".into(), json!(["scripto", "other"]));
                }),
                "another client",
            ),
            (
                with(|m| {
                    m.remove("aud");
                }),
                "another client",
            ),
            (
                with(|m| {
                    m.insert("exp".into(), json!(NOW - CLOCK_LEEWAY_SECS));
                }),
                "expired",
            ),
            (
                with(|m| {
                    m.remove("exp");
                }),
                "no expiry",
            ),
            (
                with(|m| {
                    m.insert("iat".into(), json!(NOW + 3600));
                }),
                "future",
            ),
            (
                with(|m| {
                    m.insert("nonce".into(), json!("n-2"));
                }),
                "nonce",
            ),
            (
                with(|m| {
                    m.remove("nonce");
                }),
                "nonce",
            ),
            (
                with(|m| {
                    m.insert("sub".into(), json!(""));
                }),
                "subject",
            ),
            (b"[]".to_vec(), "claims"),
        ];
        for (payload, says) in cases {
            let e = check(&payload, &want()).unwrap_err();
            assert!(matches!(e, ClaimsError::Invalid(_)), "{e}");
            assert!(e.to_string().contains(says), "{e} should say {says}");
        }
    }

    #[test]
    fn an_address_must_be_there_and_verified() {
        let none = with(|m| {
            m.remove("email");
        });
        assert_eq!(check(&none, &want()), Err(ClaimsError::NoEmail));
        for flag in [json!(false), json!("false"), Value::Null] {
            let unverified = with(|m| {
                m.insert("email_verified".into(), flag.clone());
            });
            assert_eq!(
                check(&unverified, &want()),
                Err(ClaimsError::EmailUnverified("Ada@Example.com".into())),
                "{flag}"
            );
        }
        let missing_flag = with(|m| {
            m.remove("email_verified");
        });
        assert!(matches!(
            check(&missing_flag, &want()),
            Err(ClaimsError::EmailUnverified(_))
        ));
        // Microsoft Entra ID's domain-owner flag, when there is no other,
        // from Entra only.
        let entra_claims = with(|m| {
            m.remove("email_verified");
            m.insert(
                "iss".into(),
                json!("https://login.microsoftonline.com/t1/v2.0"),
            );
            m.insert("xms_edov".into(), json!(true));
        });
        let entra = Expected {
            issuer: "https://login.microsoftonline.com/t1/v2.0",
            ..want()
        };
        assert!(check(&entra_claims, &entra).is_ok());
        let elsewhere = with(|m| {
            m.remove("email_verified");
            m.insert("xms_edov".into(), json!(true));
        });
        assert!(matches!(
            check(&elsewhere, &want()),
            Err(ClaimsError::EmailUnverified(_))
        ));
        let overruled = with(|m| {
            m.insert("email_verified".into(), json!(false));
            m.insert("xms_edov".into(), json!(true));
        });
        assert!(check(&overruled, &want()).is_err());
    }
}
