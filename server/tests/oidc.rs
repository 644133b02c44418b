//! Single sign-on through a real OpenID Connect provider: oidc-provider
//! from npm (`server/tests/oidc-provider`), started per test on node and
//! driven over HTTP as a browser would (`common::oidc::sign_in` fills its
//! development login form). The faults a real provider does not produce
//! (a token for another client, an expired one, a forged signature) are
//! `sso.rs`; the same sign-in in chromium is `browser.rs`.
//!
//! `#[ignore]`d: they need node and `npm ci` there. `scripts/test` runs
//! them (`cargo nextest run --workspace --run-ignored only -E
//! 'package(scripto-server) & test(/(^|::)oidc_/)'`).

mod common;
#[path = "common/process.rs"]
mod process;

use reqwest::StatusCode;
use scripto_server::admin::{org_name, org_of};
use scripto_server::{BackgroundServer, spawn_background};
use scripto_wire::types::Role;

use common::oidc::{Options, Provider, sign_in};
use common::visitor::{Page, Visitor};
use common::{Scratch, test_config};

/// A console that signs people in at `provider`; newcomers join "Acme SSO"
/// as developers.
fn console(provider: &Provider) -> (BackgroundServer, Scratch) {
    let scratch = Scratch::new();
    let mut config = test_config(&scratch);
    config.oidc = Some(provider.settings("Acme SSO", Role::Developer));
    let server = spawn_background(config).expect("the server starts");
    (server, scratch)
}

/// From the console's "Sign in with" link through the provider's login
/// form: the provider's answer, as the browser is sent back with it.
async fn through_provider(v: &mut Visitor, login: &str) -> String {
    let start = v.get("/auth/oidc/start").await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.html);
    sign_in(&start.location, login).await
}

/// A whole sign-in, down to the page the callback answers.
async fn sign_in_as(v: &mut Visitor, login: &str) -> Page {
    let callback = through_provider(v, login).await;
    v.get(&callback).await
}

fn users(scratch: &Scratch, email: &str) -> String {
    scratch
        .db
        .value(&format!(
            "SELECT COUNT(*) FROM users WHERE email = '{email}'"
        ))
        .unwrap()
}

#[tokio::test]
#[ignore = "needs node and the OIDC provider's packages: scripts/test runs them"]
async fn oidc_sign_in_lands_on_the_keys_page_and_a_second_sign_in_is_the_same_user() {
    let provider = Provider::start(Options::default());
    let (server, scratch) = console(&provider);
    let mut v = Visitor::new(&server.url());
    let page = sign_in_as(&mut v, "ada@example.test").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location, "/keys");
    let keys = v.get("/keys").await;
    assert_eq!(keys.status, StatusCode::OK, "{}", keys.html);
    assert!(keys.html.contains("<h1>API keys</h1>"), "{}", keys.html);
    // Provisioned just in time: the configured organization and role.
    assert!(
        keys.html
            .contains("ada@example.test · developer · Acme SSO"),
        "{}",
        keys.html
    );
    let org = org_of(server.db().clone(), "ada@example.test").unwrap();
    assert_eq!(org_name(server.db().clone(), &org).unwrap(), "Acme SSO");

    // Another browser, another sign-in at the provider: the same user.
    let mut again = Visitor::new(&server.url());
    let page = sign_in_as(&mut again, "ada@example.test").await;
    assert_eq!(page.location, "/keys", "{}", page.html);
    assert_eq!(users(&scratch, "ada@example.test"), "1");
    assert_eq!(
        org_of(server.db().clone(), "ada@example.test").unwrap(),
        org
    );
}

#[tokio::test]
#[ignore = "needs node and the OIDC provider's packages: scripts/test runs them"]
async fn oidc_a_forged_state_and_a_replayed_code_are_refused() {
    let provider = Provider::start(Options::default());
    let (server, scratch) = console(&provider);
    let mut v = Visitor::new(&server.url());
    let callback = through_provider(&mut v, "eve@example.test").await;
    assert!(callback.contains("state="), "{callback}");

    // The provider's real answer with another state: refused before the
    // code is used, and the sign-in in progress goes on.
    let forged = replace_param(&callback, "state", "forged-state");
    let page = v.get(&forged).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html
            .contains("does not belong to the sign-in this browser started")
    );
    assert!(!page.sets("scripto_session"));
    assert_eq!(users(&scratch, "eve@example.test"), "0");

    // The real answer, as sent, still signs in.
    let page = v.get(&callback).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(users(&scratch, "eve@example.test"), "1");

    // Without the `iss` this provider puts in every answer (RFC 9207).
    let mut v = Visitor::new(&server.url());
    let callback = through_provider(&mut v, "eve@example.test").await;
    let page = v.get(&remove_param(&callback, "iss")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("came from another identity provider"));

    // A fresh sign-in succeeds once; its answer replayed with its cookie
    // put back is refused by the provider (a code is used once).
    let mut v = Visitor::new(&server.url());
    let callback = through_provider(&mut v, "eve@example.test").await;
    let sealed = v.cookie("scripto_sso").unwrap().to_owned();
    let page = v.get(&callback).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let mut replayer = Visitor::new(&server.url());
    replayer.set_cookie("scripto_sso", &sealed);
    let page = replayer.get(&callback).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html.contains("refused the sign-in: invalid_grant"),
        "{}",
        page.html
    );
    assert!(!page.sets("scripto_session"));
}

#[tokio::test]
#[ignore = "needs node and the OIDC provider's packages: scripts/test runs them"]
async fn oidc_an_address_the_provider_has_not_verified_is_refused() {
    let provider = Provider::start(Options {
        email_verified: false,
        ..Options::default()
    });
    let (server, scratch) = console(&provider);
    let mut v = Visitor::new(&server.url());
    let page = sign_in_as(&mut v, "unverified@example.test").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    assert!(
        page.html
            .contains("has not verified the e-mail address unverified@example.test"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Start again"));
    assert!(!page.sets("scripto_session"));
    assert_eq!(users(&scratch, "unverified@example.test"), "0");
}

/// A provider whose clock is two hours behind signs tokens that expired
/// an hour before they arrive.
#[tokio::test]
#[ignore = "needs node and the OIDC provider's packages: scripts/test runs them"]
async fn oidc_an_expired_token_from_a_provider_whose_clock_is_behind_is_refused() {
    let provider = Provider::start(Options {
        clock_offset_secs: -2 * 3600,
        ..Options::default()
    });
    let (server, scratch) = console(&provider);
    let mut v = Visitor::new(&server.url());
    let page = sign_in_as(&mut v, "late@example.test").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html.contains("The ID token has expired"),
        "{}",
        page.html
    );
    assert!(!page.sets("scripto_session"));
    assert_eq!(users(&scratch, "late@example.test"), "0");
}

/// The README's example, as written there: `scripto-server serve` with the
/// provider's issuer, its client id, the secret in the environment, a name,
/// an organization and a role.
#[tokio::test]
#[ignore = "needs node and the OIDC provider's packages: scripts/test runs them"]
async fn oidc_the_readme_example_signs_in() {
    let provider = Provider::start(Options::default());
    let scratch = Scratch::new();
    let db = scratch.path().join("scripto.db");
    let server = process::ServerProcess::start_with_env(
        &db,
        &[
            "--oidc-issuer",
            &provider.issuer,
            "--oidc-client-id",
            &provider.client_id,
            "--oidc-name",
            "Dev IdP",
            "--oidc-org",
            "Acme",
            "--oidc-role",
            "developer",
        ],
        &[("SCRIPTO_SERVER_OIDC_CLIENT_SECRET", &provider.client_secret)],
    )
    .await;
    let mut v = Visitor::new(&server.url);
    let sign_in_page = v.get("/sign-in").await;
    assert!(sign_in_page.html.contains("Sign in with Dev IdP"));
    let page = sign_in_as(&mut v, "dev@example.test").await;
    assert_eq!(page.location, "/keys", "{}", page.html);
    let keys = v.get("/keys").await;
    assert!(
        keys.html.contains("dev@example.test · developer · Acme"),
        "{}",
        keys.html
    );
    let log = server.log();
    assert!(!log.contains(&provider.client_secret), "{log}");
}

/// `url` without query parameter `name`.
fn remove_param(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').unwrap();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .filter(|(k, _)| k != name)
        .collect();
    let q = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{base}?{q}")
}

/// `url` with query parameter `name` set to `value`.
fn replace_param(url: &str, name: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .map(|(k, v)| {
            if k == name {
                (k, value.to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    let q = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{base}?{q}")
}
