//! Single sign-on against a provider made to misbehave
//! (`common/fake_idp.rs`): every token a real provider would not send is
//! refused with a page that says why and signs nobody in; a rotated key is
//! fetched again; a provider that goes away is a 502 page; a misconfigured
//! one stops the start with one line. The sign-ins through a real
//! provider are `oidc.rs` and `browser.rs`.

mod common;
#[path = "common/fake_idp.rs"]
mod fake_idp;
#[path = "common/process.rs"]
mod process;

use reqwest::StatusCode;
use scripto_server::admin::remove_user;
use scripto_server::{BackgroundServer, spawn_background, totp_now};
use scripto_wire::types::Role;
use serde_json::{Value, json};

use common::visitor::{Page, Visitor};
use common::{Scratch, add_user, test_config};
use fake_idp::{CLIENT_ID, FakeIdp, Grant};

/// A console whose single sign-on is the fake provider.
struct Sso {
    idp: FakeIdp,
    server: BackgroundServer,
    scratch: Scratch,
}

/// The authorization request the console sent the browser to.
struct Authorize {
    state: String,
    nonce: String,
    challenge: String,
    redirect_uri: String,
}

impl Sso {
    fn start() -> Sso {
        Sso::start_with(|_| {})
    }

    fn start_with(tweak: impl FnOnce(&mut scripto_server::Config)) -> Sso {
        let idp = FakeIdp::start();
        let scratch = Scratch::new();
        let mut config = test_config(&scratch);
        config.oidc = Some(idp.settings());
        tweak(&mut config);
        let server = spawn_background(config).expect("the server starts");
        Sso {
            idp,
            server,
            scratch,
        }
    }

    fn visitor(&self) -> Visitor {
        Visitor::new(&self.server.url())
    }

    /// `/auth/oidc/start`: checks the request it sends the browser with.
    async fn begin(&self, v: &mut Visitor, next: Option<&str>) -> Authorize {
        let path = match next {
            Some(n) => format!("/auth/oidc/start?next={}", urlencode(n)),
            None => "/auth/oidc/start".to_owned(),
        };
        let page = v.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
        assert!(page.sets("scripto_sso"), "{:?}", page.set_cookies);
        let (endpoint, query) = page.location.split_once('?').unwrap();
        assert_eq!(endpoint, format!("{}/authorize", self.idp.issuer));
        let q: std::collections::HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], CLIENT_ID);
        assert_eq!(q["scope"], "openid email profile");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(
            q["redirect_uri"],
            format!("{}/auth/oidc/callback", self.server.url())
        );
        Authorize {
            state: q["state"].clone(),
            nonce: q["nonce"].clone(),
            challenge: q["code_challenge"].clone(),
            redirect_uri: q["redirect_uri"].clone(),
        }
    }

    /// A whole sign-in whose ID token carries `claims` over the usual ones.
    async fn sign_in(&self, v: &mut Visitor, claims: Value, forged: bool) -> Page {
        let auth = self.begin(v, None).await;
        let code = format!("code-{}", auth.state);
        self.grant(&code, &auth, claims, forged);
        v.get(&format!(
            "/auth/oidc/callback?code={code}&state={}",
            auth.state
        ))
        .await
    }

    fn grant(&self, code: &str, auth: &Authorize, claims: Value, forged: bool) {
        self.idp.grant(
            code,
            Grant {
                nonce: auth.nonce.clone(),
                code_challenge: auth.challenge.clone(),
                redirect_uri: auth.redirect_uri.clone(),
                claims,
                forged,
            },
        );
    }

    fn users(&self, email: &str) -> usize {
        self.scratch
            .db
            .value(&format!(
                "SELECT COUNT(*) FROM users WHERE email = '{email}'"
            ))
            .unwrap()
            .parse()
            .unwrap()
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A refusal: its status, its words, no session, and the sign-in's cookie
/// cleared.
fn assert_refused(page: &Page, status: StatusCode, says: &str) {
    assert_eq!(page.status, status, "{}", page.html);
    assert!(
        page.html.contains(says),
        "the page should say {says:?}:\n{}",
        page.html
    );
    assert!(page.html.contains("Start again"), "{}", page.html);
    assert!(!page.sets("scripto_session"), "{:?}", page.set_cookies);
    assert!(
        page.set_cookies
            .iter()
            .any(|c| c.starts_with("scripto_sso=;") && c.contains("Max-Age=0")),
        "{:?}",
        page.set_cookies
    );
}

#[tokio::test]
async fn a_verified_address_new_here_joins_the_configured_org_and_signs_in_again_as_itself() {
    let sso = Sso::start();
    let mut v = sso.visitor();
    let page = sso.sign_in(&mut v, json!({}), false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location, "/keys");
    assert!(page.sets("scripto_session"));
    assert!(
        v.cookie("scripto_sso").is_none(),
        "the sign-in's cookie is cleared"
    );

    let keys = v.get("/keys").await;
    // A member of the configured organization: its keys page says members
    // hold no keys.
    assert_eq!(keys.status, StatusCode::FORBIDDEN);
    assert!(
        keys.html.contains("sso@example.test · member · Fake Org"),
        "{}",
        keys.html
    );
    assert_eq!(sso.users("sso@example.test"), 1);
    let db = &sso.scratch.db;
    let added = db.value("SELECT details FROM audit_events WHERE type = 'user.added'");
    let added: Value = serde_json::from_str(&added.expect("a user.added event")).unwrap();
    assert_eq!(added["via"], "oidc");
    assert_eq!(added["role"], "member");
    assert_eq!(added["issuer"], sso.idp.issuer);
    assert_eq!(added["subject"], "fake-subject");

    // Another browser, the same person: the same user, on to where it was
    // going.
    let mut again = sso.visitor();
    let auth = sso.begin(&mut again, Some("/device?code=ABCD-EFGH")).await;
    sso.grant(
        "second",
        &auth,
        json!({ "email": "SSO@Example.test" }),
        false,
    );
    let page = again
        .get(&format!(
            "/auth/oidc/callback?code=second&state={}",
            auth.state
        ))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location, "/device?code=ABCD-EFGH");
    assert_eq!(sso.users("sso@example.test"), 1);
    let logins = db.value(
        "SELECT COUNT(*) FROM audit_events WHERE type = 'login.succeeded' AND details LIKE '%oidc%'",
    );
    assert_eq!(logins.as_deref(), Some("2"));
}

#[tokio::test]
async fn an_existing_user_keeps_their_org_and_role_and_is_still_asked_for_their_second_factor() {
    let sso = Sso::start();
    let added = add_user(
        sso.server.db().clone(),
        "admin@example.test",
        Role::Admin,
        Some("Acme"),
        None,
        true,
    );
    let mut v = sso.visitor();
    let page = sso
        .sign_in(&mut v, json!({ "email": "admin@example.test" }), false)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html.contains("Two-factor authentication"),
        "{}",
        page.html
    );
    assert!(!page.sets("scripto_session"));

    let code = totp_now(added.totp_secret_base32.as_deref().unwrap());
    let csrf = page.hidden("csrf");
    let token = page.hidden("mfa_token");
    let done = v
        .post(
            "/sign-in/mfa",
            &[
                ("csrf", &csrf),
                ("mfa_token", &token),
                ("method", "totp"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.location, "/keys");
    let keys = v.get("/keys").await;
    assert!(
        keys.html.contains("admin@example.test · admin · Acme"),
        "{}",
        keys.html
    );
    let method = sso
        .scratch
        .db
        .value("SELECT details FROM audit_events WHERE type = 'login.succeeded'");
    assert!(method.unwrap().contains("oidc+totp"));
}

#[tokio::test]
async fn each_token_a_real_provider_would_not_send_is_refused_and_signs_nobody_in() {
    let sso = Sso::start();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let cases = [
        (
            json!({ "aud": "another-client" }),
            false,
            "issued to another client",
        ),
        (
            json!({ "aud": [CLIENT_ID, "another-client"] }),
            false,
            "issued to another client",
        ),
        (
            json!({ "exp": now - 3600, "iat": now - 4000 }),
            false,
            "has expired",
        ),
        (
            json!({ "iss": "http://127.0.0.1:1" }),
            false,
            "issued by another provider",
        ),
        (json!({ "nonce": "someone-elses" }), false, "nonce differs"),
        (json!({}), true, "signature does not match"),
    ];
    for (claims, forged, says) in cases {
        let mut v = sso.visitor();
        let page = sso.sign_in(&mut v, claims.clone(), forged).await;
        assert_refused(&page, StatusCode::BAD_REQUEST, says);
        assert_eq!(sso.users("sso@example.test"), 0, "{claims}");
    }
    for (claims, says) in [
        (
            json!({ "email_verified": false }),
            "has not verified the e-mail address sso@example.test",
        ),
        (json!({ "email_verified": null }), "has not verified"),
        (json!({ "email": null }), "did not give an e-mail address"),
    ] {
        let mut v = sso.visitor();
        let page = sso.sign_in(&mut v, claims.clone(), false).await;
        assert_refused(&page, StatusCode::FORBIDDEN, says);
        assert!(page.html.contains("Your e-mail address cannot be used"));
    }
    assert_eq!(sso.users("sso@example.test"), 0);
}

#[tokio::test]
async fn a_forged_crossed_or_replayed_answer_is_a_page_that_offers_to_start_again() {
    let sso = Sso::start();

    // No sign-in started in this browser.
    let mut stranger = sso.visitor();
    let page = stranger.get("/auth/oidc/callback?code=x&state=y").await;
    assert_refused(
        &page,
        StatusCode::BAD_REQUEST,
        "was not started in this browser",
    );

    // A state of another sign-in (a link from another site): refused, and
    // the sign-in in progress goes on.
    let mut v = sso.visitor();
    let auth = sso.begin(&mut v, None).await;
    sso.grant("c1", &auth, json!({}), false);
    let page = v.get("/auth/oidc/callback?code=c1&state=forged").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html.contains("does not belong to the sign-in"),
        "{}",
        page.html
    );
    assert!(!page.sets("scripto_session"));
    assert!(
        page.set_cookies
            .iter()
            .all(|c| !c.starts_with("scripto_sso="))
    );
    let page = v
        .get(&format!("/auth/oidc/callback?code=c1&state={}", auth.state))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);

    // An answer naming another issuer (RFC 9207).
    let mut v = sso.visitor();
    let auth = sso.begin(&mut v, None).await;
    sso.grant("c2", &auth, json!({}), false);
    let page = v
        .get(&format!(
            "/auth/oidc/callback?code=c2&state={}&iss=http%3A%2F%2F127.0.0.1%3A1",
            auth.state
        ))
        .await;
    assert_refused(
        &page,
        StatusCode::BAD_REQUEST,
        "came from another identity provider",
    );

    // The provider's own refusal, shown escaped.
    let auth = sso.begin(&mut v, None).await;
    let page = v
        .get(&format!(
            "/auth/oidc/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state={}",
            auth.state
        ))
        .await;
    assert_refused(
        &page,
        StatusCode::BAD_REQUEST,
        "did not sign you in: access_denied",
    );
    assert!(page.html.contains("&lt;script&gt;"), "{}", page.html);
    assert!(!page.html.contains("<script>alert"));

    // No code.
    let auth = sso.begin(&mut v, None).await;
    let page = v
        .get(&format!("/auth/oidc/callback?state={}", auth.state))
        .await;
    assert_refused(&page, StatusCode::BAD_REQUEST, "has no code");

    // The same answer twice, even with the sign-in's cookie put back: the
    // provider takes a code once.
    let auth = sso.begin(&mut v, None).await;
    let sealed = v.cookie("scripto_sso").unwrap().to_owned();
    sso.grant("once", &auth, json!({}), false);
    let callback = format!("/auth/oidc/callback?code=once&state={}", auth.state);
    let first = v.get(&callback).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.html);
    let mut replay = sso.visitor();
    replay.set_cookie("scripto_sso", &sealed);
    let replayed = replay.get(&callback).await;
    assert_refused(
        &replayed,
        StatusCode::BAD_REQUEST,
        "refused the sign-in: invalid_grant",
    );
}

#[tokio::test]
async fn a_key_the_provider_rotated_in_is_fetched_once_and_accepted() {
    let sso = Sso::start();
    assert_eq!(sso.idp.key_fetches(), 1, "the key set is read at start");
    // The refetch is held to one a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    sso.idp.rotate("key-2");
    let mut v = sso.visitor();
    let page = sso.sign_in(&mut v, json!({}), false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(sso.idp.key_fetches(), 2);
    let mut v = sso.visitor();
    let page = sso.sign_in(&mut v, json!({}), false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(sso.idp.key_fetches(), 2, "a known key id fetches nothing");
}

#[tokio::test]
async fn a_provider_that_went_away_is_a_502_page_and_a_removed_account_a_403() {
    let mut sso = Sso::start();
    add_user(
        sso.server.db().clone(),
        "gone@example.test",
        Role::Developer,
        Some("Acme"),
        None,
        false,
    );
    remove_user(sso.server.db().clone(), "gone@example.test").unwrap();
    let mut v = sso.visitor();
    let page = sso
        .sign_in(&mut v, json!({ "email": "gone@example.test" }), false)
        .await;
    assert_refused(&page, StatusCode::FORBIDDEN, "This account was removed");

    let auth = sso.begin(&mut v, None).await;
    sso.grant("late", &auth, json!({}), false);
    sso.idp.stop();
    let page = v
        .get(&format!(
            "/auth/oidc/callback?code=late&state={}",
            auth.state
        ))
        .await;
    assert_refused(&page, StatusCode::BAD_GATEWAY, "could not be reached");
    // Where the provider lives is for the log, not the page.
    assert!(!page.html.contains(&sso.idp.issuer), "{}", page.html);
}

#[tokio::test]
async fn the_sign_in_page_offers_the_provider_by_its_name_and_keeps_where_it_was_going() {
    let sso = Sso::start();
    let mut v = sso.visitor();
    let page = v.get("/sign-in?next=%2Fdevice%3Fcode%3DABCD-EFGH").await;
    assert!(page.html.contains("Sign in with Fake IdP"), "{}", page.html);
    assert!(
        page.html
            .contains("href=\"/auth/oidc/start?next=%2Fdevice%3Fcode%3DABCD-EFGH\""),
        "{}",
        page.html
    );
    // Without single sign-on there is no button, and its routes say so.
    let scratch = Scratch::new();
    let plain = spawn_background(test_config(&scratch)).unwrap();
    let mut v = Visitor::new(&plain.url());
    assert!(!v.get("/sign-in").await.html.contains("Sign in with"));
    let page = v.get("/auth/oidc/start").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("Single sign-on is not set up"));
}

#[tokio::test]
async fn a_provider_that_cannot_be_discovered_stops_the_start() {
    let scratch = Scratch::new();
    let mut idp = FakeIdp::start();
    let mut config = test_config(&scratch);
    config.oidc = Some(idp.settings());
    config.oidc.as_mut().unwrap().issuer = format!("{}/elsewhere", idp.issuer);
    let e = spawn_background(config.clone())
        .err()
        .expect("refused")
        .to_string();
    assert!(e.contains("discovery document"), "{e}");

    idp.stop();
    config.oidc.as_mut().unwrap().issuer = idp.issuer.clone();
    let e = spawn_background(config).err().expect("refused").to_string();
    assert!(
        e.contains("single sign-on: cannot reach the identity provider's discovery document"),
        "{e}"
    );
}

#[test]
fn serve_says_in_one_line_what_is_wrong_with_its_single_sign_on() {
    let scratch = Scratch::new();
    let db = scratch.path().join("scripto.db");
    let base = ["--oidc-client-id", "scripto", "--oidc-org", "Acme"];
    let cases: [(&[&str], Option<&str>, &str); 4] = [
        (
            &["--oidc-issuer", "http://idp.example.com"],
            Some("s3cret"),
            "plain http to a host that is not this machine",
        ),
        (
            &["--oidc-issuer", "http://127.0.0.1:1"],
            None,
            "needs the client secret: --oidc-client-secret-file PATH or SCRIPTO_SERVER_OIDC_CLIENT_SECRET",
        ),
        (
            &["--oidc-issuer", "http://127.0.0.1:1"],
            Some("s3cret"),
            "cannot reach the identity provider's discovery document at http://127.0.0.1:1/.well-known/openid-configuration",
        ),
        (
            &[
                "--oidc-issuer",
                "http://127.0.0.1:1",
                "--oidc-role",
                "admin",
            ],
            Some("s3cret"),
            "invalid value 'admin'",
        ),
    ];
    for (args, secret, says) in cases {
        let mut cmd = process::command();
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(&db)
            .args(base)
            .args(args)
            .env_remove("SCRIPTO_SERVER_OIDC_CLIENT_SECRET")
            .stdin(std::process::Stdio::null());
        if let Some(s) = secret {
            cmd.env("SCRIPTO_SERVER_OIDC_CLIENT_SECRET", s);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("s3cret"), "{stderr}");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("scripto-server:") || l.starts_with("error:"))
            .collect();
        assert_eq!(lines.len(), 1, "one line says what is wrong: {stderr}");
    }
}

#[tokio::test]
async fn with_allowed_domains_only_those_join_and_known_users_still_sign_in() {
    let sso = Sso::start_with(|c| {
        c.oidc.as_mut().unwrap().allowed_domains = vec!["example.test".to_owned()];
    });
    add_user(
        sso.server.db().clone(),
        "guest@partner.test",
        Role::Developer,
        Some("Acme"),
        None,
        false,
    );

    let mut v = sso.visitor();
    let page = sso
        .sign_in(&mut v, json!({ "email": "stranger@gmail.test" }), false)
        .await;
    assert_refused(
        &page,
        StatusCode::FORBIDDEN,
        "New people join this server only from example.test",
    );
    assert_eq!(sso.users("stranger@gmail.test"), 0);

    // A known user of another domain: the admin added them.
    let mut v = sso.visitor();
    let page = sso
        .sign_in(&mut v, json!({ "email": "guest@partner.test" }), false)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let mut v = sso.visitor();
    let page = sso
        .sign_in(&mut v, json!({ "email": "new@example.test" }), false)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(sso.users("new@example.test"), 1);
}

#[tokio::test]
async fn an_address_that_only_unicode_lowercasing_makes_a_users_is_not_that_user() {
    let sso = Sso::start();
    add_user(
        sso.server.db().clone(),
        "kim@example.test",
        Role::Admin,
        Some("Acme"),
        None,
        false,
    );
    let mut v = sso.visitor();
    // U+212A KELVIN SIGN lower-cases to an ASCII k.
    let page = sso
        .sign_in(&mut v, json!({ "email": "\u{212A}im@example.test" }), false)
        .await;
    assert_refused(
        &page,
        StatusCode::FORBIDDEN,
        "characters this server does not match",
    );
    assert_eq!(sso.users("kim@example.test"), 1);
}

#[tokio::test]
async fn the_api_cannot_finish_a_single_sign_on_second_factor() {
    let sso = Sso::start();
    let added = add_user(
        sso.server.db().clone(),
        "mfa@example.test",
        Role::Developer,
        Some("Acme"),
        None,
        true,
    );
    let mut v = sso.visitor();
    let page = sso
        .sign_in(&mut v, json!({ "email": "mfa@example.test" }), false)
        .await;
    let token = page.hidden("mfa_token");
    let code = totp_now(added.totp_secret_base32.as_deref().unwrap());
    let api = reqwest::Client::new()
        .post(format!("{}/v1/auth/login/mfa", sso.server.url()))
        .json(&json!({ "mfa_token": token, "totp_code": code }))
        .send()
        .await
        .unwrap();
    let status = api.status();
    let body: Value = api.json().await.unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "mfa_challenge_expired");
    // Nothing was used up: the console finishes it.
    let done = v
        .post(
            "/sign-in/mfa",
            &[
                ("csrf", &page.hidden("csrf")),
                ("mfa_token", &token),
                ("method", "totp"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
}

#[tokio::test]
async fn a_sign_in_started_on_one_instance_finishes_on_another() {
    // Two instances of one database and server key behind one address.
    let idp = FakeIdp::start();
    let scratch = Scratch::new();
    let mut config = test_config(&scratch);
    config.oidc = Some(idp.settings());
    config.public_url = Some("http://127.0.0.1:9".to_owned());
    let first = spawn_background(config.clone()).unwrap();
    let second = spawn_background(config).unwrap();

    let mut v = Visitor::new(&first.url());
    let started = v.get("/auth/oidc/start").await;
    let query = started.location.split_once('?').unwrap().1;
    let q: std::collections::HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    idp.grant(
        "across",
        Grant {
            nonce: q["nonce"].clone(),
            code_challenge: q["code_challenge"].clone(),
            redirect_uri: q["redirect_uri"].clone(),
            claims: json!({}),
            forged: false,
        },
    );
    let sealed = v.cookie("scripto_sso").unwrap().to_owned();
    let mut there = Visitor::new(&second.url());
    there.set_cookie("scripto_sso", &sealed);
    let page = there
        .get(&format!(
            "/auth/oidc/callback?code=across&state={}",
            q["state"]
        ))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert!(page.sets("scripto_session"));
}

#[tokio::test]
async fn single_sign_on_has_a_budget_of_its_own_per_address() {
    let sso = Sso::start_with(|c| c.limits.sso_per_minute_per_ip = 1);
    let mut v = sso.visitor();
    let page = sso.sign_in(&mut v, json!({}), false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let mut v = sso.visitor();
    let page = sso.sign_in(&mut v, json!({}), false).await;
    assert_refused(&page, StatusCode::TOO_MANY_REQUESTS, "Wait ");
    // Password tries from the same address are another budget.
    let mut v = sso.visitor();
    let form = v.get("/sign-in?method=password").await;
    let page = v
        .post(
            "/sign-in/password",
            &[
                ("csrf", &form.hidden("csrf")),
                ("email", "nobody@example.test"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.html);
}
