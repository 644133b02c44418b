//! The OIDC test fixture itself (common/oidc.rs and
//! tests/oidc-provider/provider.mjs), checked the way a relying party would
//! use it, with no scripto-server involved: discovery, an authorization
//! request with PKCE, state and nonce to a loopback redirect URI on an
//! arbitrary port, the login form, the code at the token endpoint, and what
//! the ID token says.
//!
//! `#[ignore]`d because they need node and `npm ci` in tests/oidc-provider;
//! scripts/test provides both and runs them (`oidc_` tests).

mod common;

use std::time::{Duration, Instant};

use common::oidc::{self, Options, Provider};
use reqwest::Url;
use serde_json::Value;

/// A client for the provider: every request bounded, no redirect followed
/// (a test looks at each answer itself).
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// An authorization request as the server under test would make it.
struct Request {
    url: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    verifier: String,
}

/// An authorization code request for `openid email profile` to
/// `http://127.0.0.1:{port}/auth/oidc/callback`, with a PKCE S256 challenge
/// unless `pkce` is false.
async fn authorization_request(provider: &Provider, port: u16, pkce: bool) -> Request {
    let discovery = provider.discovery().await;
    let endpoint = discovery["authorization_endpoint"]
        .as_str()
        .expect("discovery names an authorization_endpoint");
    let redirect_uri = format!("http://127.0.0.1:{port}/auth/oidc/callback");
    let (state, nonce) = (oidc::random_hex(16), oidc::random_hex(16));
    let (verifier, challenge) = oidc::pkce();
    let mut url = Url::parse(endpoint).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &provider.client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("scope", "openid email profile")
        .append_pair("state", &state)
        .append_pair("nonce", &nonce);
    if pkce {
        url.query_pairs_mut()
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
    }
    Request {
        url: url.into(),
        redirect_uri,
        state,
        nonce,
        verifier,
    }
}

/// The query of the callback URL `sign_in` returned, after checking that it
/// goes to `redirect_uri`.
fn callback_query(callback: &str, redirect_uri: &str) -> Value {
    let url = Url::parse(callback).unwrap();
    let mut without_query = url.clone();
    without_query.set_query(None);
    assert_eq!(without_query.as_str(), redirect_uri, "{callback}");
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Signs `login` in through a provider started with `opts`, redeems the
/// code, checks everything but the account's claims, and returns the ID
/// token's claims.
async fn sign_in_and_redeem(opts: Options, port: u16, login: &str) -> Value {
    let provider = Provider::start(opts);
    let discovery = provider.discovery().await;
    assert_eq!(discovery["issuer"], provider.issuer.as_str());
    assert_eq!(
        discovery["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );

    let request = authorization_request(&provider, port, true).await;
    let started = Instant::now();
    let callback = oidc::sign_in(&request.url, login).await;
    eprintln!("sign_in took {:?}", started.elapsed());
    let query = callback_query(&callback, &request.redirect_uri);
    assert_eq!(query["state"], request.state.as_str(), "{callback}");
    assert_eq!(query["iss"], provider.issuer.as_str(), "{callback}");
    let code = query["code"].as_str().expect("a code in the callback");

    let tokens = provider
        .token(code, &request.verifier, &request.redirect_uri)
        .await;
    assert_eq!(tokens["token_type"], "Bearer", "{tokens}");
    let id_token = tokens["id_token"].as_str().expect("an id_token");
    assert_eq!(id_token.split('.').count(), 3);
    let header: Value = serde_json::from_slice(
        &oidc::base64url_decode(id_token.split('.').next().unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    // Signed by the key the provider publishes, whose private half it keeps.
    let jwks: Value = http()
        .get(discovery["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .unwrap_or_else(|| panic!("the ID token's kid is not in {jwks}"));
    assert_eq!(key["kty"], "RSA");
    assert!(key.get("d").is_none(), "{key}");
    let claims = oidc::jwt_claims(id_token);
    assert_eq!(claims["iss"], provider.issuer.as_str());
    assert_eq!(claims["aud"], provider.client_id.as_str());
    assert_eq!(claims["nonce"], request.nonce.as_str());
    assert_eq!(claims["sub"], login);

    // A code is good once: the replay is refused.
    let replay = provider
        .token(code, &request.verifier, &request.redirect_uri)
        .await;
    assert_eq!(replay["error"], "invalid_grant", "{replay}");
    assert!(replay.get("id_token").is_none());
    claims
}

#[tokio::test]
#[ignore = "needs node and npm ci in server/tests/oidc-provider (scripts/test)"]
async fn oidc_fixture_sign_in_gives_an_id_token_with_a_verified_email() {
    let claims = sign_in_and_redeem(Options::default(), 40123, "alice").await;
    assert_eq!(claims["email"], "alice@example.test");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["name"], "alice");
}

#[tokio::test]
#[ignore = "needs node and npm ci in server/tests/oidc-provider (scripts/test)"]
async fn oidc_fixture_unverified_email_is_said_in_the_id_token() {
    let opts = Options {
        email_verified: false,
        ..Options::default()
    };
    // Another port than above: any loopback port is accepted.
    let claims = sign_in_and_redeem(opts, 51999, "bob@corp.test").await;
    assert_eq!(claims["email"], "bob@corp.test");
    assert_eq!(claims["email_verified"], false);
    assert_eq!(claims["name"], "bob");
}

#[tokio::test]
#[ignore = "needs node and npm ci in server/tests/oidc-provider (scripts/test)"]
async fn oidc_fixture_refuses_a_wrong_secret_a_wrong_verifier_and_no_pkce() {
    let provider = Provider::start(Options::default());

    // No code_challenge: refused before the login form, back at the
    // redirect URI with an error.
    let request = authorization_request(&provider, 40124, false).await;
    let callback = oidc::sign_in(&request.url, "carol").await;
    let query = callback_query(&callback, &request.redirect_uri);
    assert_eq!(query["error"], "invalid_request", "{callback}");
    assert!(query.get("code").is_none());

    let request = authorization_request(&provider, 40124, true).await;
    let callback = oidc::sign_in(&request.url, "carol").await;
    let code = callback_query(&callback, &request.redirect_uri)["code"]
        .as_str()
        .unwrap()
        .to_owned();

    // Another secret: the client is refused.
    let token_endpoint = provider.discovery().await["token_endpoint"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", &code)
        .append_pair("code_verifier", &request.verifier)
        .append_pair("redirect_uri", &request.redirect_uri)
        .finish();
    let r = http()
        .post(&token_endpoint)
        .basic_auth(&provider.client_id, Some("not the secret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::UNAUTHORIZED);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["error"], "invalid_client", "{answer}");

    // The right secret but another verifier: the code is refused.
    let (other_verifier, _) = oidc::pkce();
    let answer = provider
        .token(&code, &other_verifier, &request.redirect_uri)
        .await;
    assert_eq!(answer["error"], "invalid_grant", "{answer}");
}

#[tokio::test]
#[ignore = "needs node and npm ci in server/tests/oidc-provider (scripts/test)"]
async fn oidc_fixture_accepts_only_the_callback_path_on_loopback() {
    let provider = Provider::start(Options::default());
    let request = authorization_request(&provider, 40125, true).await;
    // The same request to another path, and to a host that is not a
    // loopback address: the provider shows its error page and sends the
    // browser nowhere.
    for wrong in [
        "http://127.0.0.1:40125/elsewhere",
        "http://example.test:40125/auth/oidc/callback",
    ] {
        let url = request.url.replace(
            &form_urlencoded::byte_serialize(request.redirect_uri.as_bytes()).collect::<String>(),
            &form_urlencoded::byte_serialize(wrong.as_bytes()).collect::<String>(),
        );
        assert_ne!(url, request.url);
        let r = http().get(&url).send().await.unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::BAD_REQUEST, "{wrong}");
        assert!(r.headers().get("location").is_none());
        let page = r.text().await.unwrap();
        assert!(
            page.contains("redirect_uri did not match"),
            "{wrong}: {page}"
        );
    }
}

/// The fixture's own base64url, which the tests above rely on for PKCE and
/// to read tokens: RFC 4648's test vectors, unpadded, and the two characters
/// base64url has of its own.
#[test]
fn oidc_fixture_base64url_matches_rfc_4648() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(oidc::base64url_encode(plain.as_bytes()), encoded);
        assert_eq!(oidc::base64url_decode(encoded).unwrap(), plain.as_bytes());
    }
    assert_eq!(oidc::base64url_encode(&[0xfb, 0xff]), "-_8");
    assert_eq!(oidc::base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
    assert_eq!(oidc::base64url_decode("Zm9vY"), None);
    assert_eq!(oidc::base64url_decode("Zm9v!"), None);
}
