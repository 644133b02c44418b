//! The web console over HTTP: sign-in and its errors on the form, the
//! session cookie's flags and lifetimes, CSRF refusals, the security
//! headers, the keys page for each role, the shown-once key, revoking.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use scripto_server::{app, totp_now};
use scripto_wire::types::Role;
use serde_json::json;
use tower::ServiceExt;

use common::{TestApp, add_user, last_code};

/// What a page answered.
struct Page {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    html: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }

    fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    /// The CSRF token of the page's first form.
    fn csrf(&self) -> String {
        hidden(&self.html, "csrf")
    }
}

/// The value of the hidden field `name` in `html`.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the field is on the page") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// A browser without JavaScript: keeps cookies, sends forms.
struct Browser<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
    /// Extra headers on every request (`Origin`, `Sec-Fetch-Site`).
    extra: Vec<(&'static str, String)>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookies: Vec::new(),
            extra: Vec::new(),
        }
    }

    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    async fn send(&mut self, method: Method, path: &str, form: &[(&str, &str)]) -> Page {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "console.test");
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            b = b.header(header::COOKIE, c.join("; "));
        }
        for (k, v) in &self.extra {
            b = b.header(*k, v);
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let req = b
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let resp = app(self.app.state.clone()).oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let page = Page {
            status,
            headers,
            html: String::from_utf8_lossy(&bytes).into_owned(),
        };
        for c in page.set_cookies() {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() && !c.contains("Max-Age=0") {
                self.cookies.push((k.to_owned(), v.to_owned()));
            }
        }
        page
    }

    async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, &[]).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(Method::POST, path, form).await
    }

    /// Signs `email` in with an e-mail code; the page after the code.
    async fn sign_in_by_code(&mut self, email: &str) -> Page {
        let p = self.get("/sign-in").await;
        let csrf = p.csrf();
        let p = self
            .post("/sign-in/code/send", &[("csrf", &csrf), ("email", email)])
            .await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.html);
        assert!(p.html.contains("We sent a code to"), "{}", p.html);
        let code = last_code(&self.app.outbox(), email);
        self.post(
            "/sign-in/code",
            &[("csrf", &csrf), ("email", email), ("code", &code)],
        )
        .await
    }

    /// Signs in and checks it worked.
    async fn signed_in(app: &'a TestApp, email: &str) -> Browser<'a> {
        let mut b = Browser::new(app);
        let p = b.sign_in_by_code(email).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
        assert_eq!(p.location(), "/keys");
        b
    }

    /// Creates a key through the dialog; the shown-once page.
    async fn create_key(&mut self, name: &str, extra: &[(&str, &str)]) -> Page {
        let form = self.get("/keys/new").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        let csrf = form.csrf();
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("name", name),
            ("type", "batch"),
            ("expires_in_days", "365"),
            ("scope", "read"),
            ("scope", "write"),
        ];
        fields.extend_from_slice(extra);
        self.post("/keys/new", &fields).await
    }
}

/// A server whose code cool-down is off: tests sign one address in again
/// at once.
fn test_app() -> TestApp {
    TestApp::with(|c| c.limits.code_resend_secs = 0)
}

/// The id of the key named `name` on the grid, from its Revoke link.
fn key_id(html: &str, name: &str) -> String {
    html.split(&format!("aria-label=\"Revoke key {name}\""))
        .next()
        .unwrap()
        .rsplit("/keys/")
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned()
}

/// The `scripto_…` key on a shown-once page.
fn shown_key(html: &str) -> String {
    let start = html.find("id=\"new-key\">").expect("the key is shown") + "id=\"new-key\">".len();
    html[start..].split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn sign_in_by_code_sets_an_http_only_same_site_cookie_and_opens_the_keys_page() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::new(&app);
    let p = b.sign_in_by_code("dev@example.com").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let cookie = p
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("scripto_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http has no Secure: {cookie}"
    );
    let keys = b.get("/keys").await;
    assert_eq!(keys.status, StatusCode::OK);
    assert!(keys.html.contains("<h1>API keys</h1>"));
    assert!(
        keys.html
            .contains("Create and manage API keys for programmatic access")
    );
    assert!(keys.html.contains("Add key"));
    assert!(keys.html.contains("dev@example.com"));
    // The web session is no API credential.
    let token = b.cookie("scripto_session").unwrap().to_owned();
    assert_eq!(
        app.get("/v1/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_url_is_https() {
    let app = TestApp::with(|c| c.public_url = Some("https://keys.example.com".to_owned()));
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::new(&app);
    b.extra
        .push(("origin", "https://keys.example.com".to_owned()));
    let p = b.sign_in_by_code("dev@example.com").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let cookie = p.set_cookies().join("\n");
    assert!(
        cookie.contains("scripto_session=") && cookie.contains("; Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn pages_and_errors_carry_the_csp_and_deny_framing_and_caching() {
    let app = test_app();
    let mut b = Browser::new(&app);
    for path in ["/sign-in", "/no-such-page"] {
        let p = b.get(path).await;
        let h = |n: &str| {
            p.headers
                .get(n)
                .map_or("", |v| v.to_str().unwrap())
                .to_owned()
        };
        assert_eq!(
            h("content-security-policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        );
        assert_eq!(h("x-frame-options"), "DENY");
        assert_eq!(h("referrer-policy"), "no-referrer");
        assert_eq!(h("cache-control"), "no-store");
        assert!(h("content-type").starts_with("text/html"), "{path}");
        assert!(!p.html.contains("<script>"), "no inline script on {path}");
        assert!(!p.html.contains("style="), "no inline style on {path}");
    }
    let missing = b.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.html.contains("Not found"));
    let wrong_method = b.send(Method::DELETE, "/sign-in", &[]).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.html.contains("<html"));
    // The API keeps its JSON.
    let api = b.get("/v1/nothing-here").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.html.starts_with('{') && api.html.contains("\"not_found\""));
    // Assets: same origin, named by content, cached long.
    let page = b.get("/sign-in").await;
    let css = page
        .html
        .split("href=\"/assets/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let asset = b.get(&format!("/assets/{css}")).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert!(
        asset.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(asset.html.contains("prefers-color-scheme: dark"));
}

#[tokio::test]
async fn forms_without_the_sessions_csrf_token_or_from_another_site_are_refused() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    let good = b.get("/keys/new").await.csrf();
    let fields = |csrf: &'static str| {
        vec![
            ("csrf", csrf),
            ("name", "sneaky"),
            ("type", "batch"),
            ("expires_in_days", "365"),
            ("scope", "read"),
        ]
    };
    // No token, a wrong one, another visitor's.
    let other = Browser::new(&app).get("/sign-in").await.csrf();
    let other: &'static str = Box::leak(other.into_boxed_str());
    for csrf in ["", "0000", other] {
        let p = b.post("/keys/new", &fields(csrf)).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "csrf {csrf:?}");
        assert!(p.html.contains("This form expired"), "{}", p.html);
    }
    // The right token, but the browser says the post came from elsewhere.
    let good: &'static str = Box::leak(good.into_boxed_str());
    b.extra = vec![("sec-fetch-site", "cross-site".to_owned())];
    assert_eq!(
        b.post("/keys/new", &fields(good)).await.status,
        StatusCode::FORBIDDEN
    );
    b.extra = vec![("origin", "https://evil.example".to_owned())];
    assert_eq!(
        b.post("/keys/new", &fields(good)).await.status,
        StatusCode::FORBIDDEN
    );
    // Sign-in forms too: without the visitor cookie's token.
    let mut stranger = Browser::new(&app);
    let p = stranger
        .post(
            "/sign-in/code/send",
            &[("csrf", good), ("email", "dev@example.com")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    // Nothing was created; the same form from the console itself works.
    b.extra = vec![
        ("origin", "http://console.test".to_owned()),
        ("sec-fetch-site", "same-origin".to_owned()),
    ];
    let keys = b.get("/keys").await;
    assert!(!keys.html.contains("sneaky"));
    let p = b.post("/keys/new", &fields(good)).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    // What a browser sends under `Referrer-Policy: no-referrer`.
    b.extra = vec![
        ("origin", "null".to_owned()),
        ("sec-fetch-site", "same-origin".to_owned()),
    ];
    let p = b.post("/keys/new", &fields(good)).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    b.extra = vec![
        ("origin", "null".to_owned()),
        ("sec-fetch-site", "cross-site".to_owned()),
    ];
    assert_eq!(
        b.post("/keys/new", &fields(good)).await.status,
        StatusCode::FORBIDDEN
    );
    b.extra.clear();
    // Signing out needs the token as well.
    let p = b.post("/sign-out", &[("csrf", "nope")]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_created_key_is_shown_once_works_and_is_on_no_later_page() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    let p = b.create_key("ci-deploy", &[]).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert_eq!(p.headers["cache-control"], "no-store");
    assert!(p.location().is_empty(), "no redirect carries the key");
    assert!(
        p.html
            .contains("This is the only time you will be able to see this key")
    );
    assert!(p.html.contains("Done"));
    let key = shown_key(&p.html);
    assert!(key.starts_with("scripto_"), "{key}");
    // It works against the API.
    let me = app.get("/v1/me", &key).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.data()["user"]["email"], "dev@example.com");
    // Never again: not on the grid, nor the revoke dialog, nor the form.
    let grid = b.get("/keys").await;
    assert!(grid.html.contains("ci-deploy"));
    assert!(grid.html.contains(&key[..12]), "the key's start is shown");
    let id = key_id(&grid.html, "ci-deploy");
    for path in [
        "/keys".to_owned(),
        "/keys/new".to_owned(),
        format!("/keys/{id}/revoke"),
    ] {
        let page = b.get(&path).await;
        assert!(!page.html.contains(&key), "{path} shows the key");
    }
}

#[tokio::test]
async fn the_create_dialog_has_the_seeds_fields_and_refuses_a_bad_name_on_the_form() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    let form = b.get("/keys/new").await;
    for words in [
        "Create API key",
        "Store the data then process it",
        "Process data as it comes",
        "Authorization: Bearer",
        "1 year",
        "(recommended)",
        "2 years",
        "5 years",
        "for=\"name\"",
    ] {
        assert!(form.html.contains(words), "{words}");
    }
    let long = "x".repeat(101);
    let p = b.create_key(&long, &[]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.html.contains("The name"), "{}", p.html);
    assert!(!p.html.contains("id=\"new-key\""), "no key was made");
    let p = b.create_key("", &[]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A realtime key with one scope.
    let csrf = b.get("/keys/new").await.csrf();
    let p = b
        .post(
            "/keys/new",
            &[
                ("csrf", &csrf),
                ("name", "stream"),
                ("type", "realtime"),
                ("expires_in_days", "730"),
                ("scope", "read"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    let grid = b.get("/keys").await;
    assert!(grid.html.contains("badge realtime"));
    assert!(grid.html.contains(">read<"));
}

#[tokio::test]
async fn a_member_gets_a_page_that_says_they_need_the_developer_role() {
    let app = test_app();
    add_user(
        app.db(),
        "admin@example.com",
        Role::Admin,
        Some("acme"),
        None,
        false,
    );
    add_user(
        app.db(),
        "member@example.com",
        Role::Member,
        Some("acme"),
        None,
        false,
    );
    let mut b = Browser::signed_in(&app, "member@example.com").await;
    let p = b.get("/keys").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert!(
        p.html
            .contains("You need the developer role to manage API keys.")
    );
    assert!(!p.html.contains("Add key"), "no button that cannot work");
    assert!(p.html.contains("Sign out"));
    let p = b.get("/keys/new").await;
    assert!(p.html.contains("You need the developer role"));
}

#[tokio::test]
async fn an_admin_sees_every_key_of_the_organization_with_its_owner_a_developer_only_their_own() {
    let app = test_app();
    add_user(
        app.db(),
        "admin@example.com",
        Role::Admin,
        Some("acme"),
        None,
        false,
    );
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        Some("acme"),
        None,
        false,
    );
    add_user(
        app.db(),
        "other@example.com",
        Role::Developer,
        Some("acme"),
        None,
        false,
    );
    let mut dev = Browser::signed_in(&app, "dev@example.com").await;
    dev.create_key("dev-key", &[]).await;
    let mut other = Browser::signed_in(&app, "other@example.com").await;
    other.create_key("other-key", &[]).await;
    let grid = dev.get("/keys").await;
    assert!(grid.html.contains("dev-key") && !grid.html.contains("other-key"));
    assert!(!grid.html.contains("Owner"));
    let mut admin = Browser::signed_in(&app, "admin@example.com").await;
    let grid = admin.get("/keys").await;
    assert!(grid.html.contains("dev-key") && grid.html.contains("other-key"));
    assert!(grid.html.contains("Owner"));
    assert!(grid.html.contains("other@example.com"));
    // The admin revokes the developer's key and filters by status.
    let id = key_id(&grid.html, "dev-key");
    let confirm = admin.get(&format!("/keys/{id}/revoke")).await;
    assert!(
        confirm.html.contains("Revoke key 'dev-key'?"),
        "{}",
        confirm.html
    );
    assert!(
        confirm
            .html
            .contains("It stops working on the next request.")
    );
    assert!(confirm.html.contains("class=\"danger\""));
    let p = admin
        .post(&format!("/keys/{id}/revoke"), &[("csrf", &confirm.csrf())])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let revoked = admin.get("/keys?status=revoked").await;
    assert!(revoked.html.contains("dev-key") && !revoked.html.contains("other-key"));
    assert!(revoked.html.contains("badge revoked"));
    let active = admin.get("/keys?status=active").await;
    assert!(!active.html.contains("dev-key") && active.html.contains("other-key"));
    // A developer cannot reach another's key.
    let p = other.get(&format!("/keys/{id}/revoke")).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(p.html.contains("<html"));
}

#[tokio::test]
async fn revoking_in_the_console_makes_the_api_refuse_the_key() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    let key = shown_key(&b.create_key("ci-deploy", &[]).await.html);
    assert_eq!(app.get("/v1/me", &key).await.status, StatusCode::OK);
    let grid = b.get("/keys").await;
    let id = key_id(&grid.html, "ci-deploy");
    let csrf = b.get(&format!("/keys/{id}/revoke")).await.csrf();
    let p = b
        .post(&format!("/keys/{id}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let grid = b.get(p.location()).await;
    assert!(grid.html.contains("Key 'ci-deploy' was revoked"));
    assert!(grid.html.contains("badge revoked"));
    let r = app.get("/v1/me", &key).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "key_revoked");
}

#[tokio::test]
async fn a_wrong_code_says_the_tries_left_and_a_burnt_or_expired_one_offers_a_new_code() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let csrf = b.get("/sign-in").await.csrf();
    let email = "new@example.com";
    b.post("/sign-in/code/send", &[("csrf", &csrf), ("email", email)])
        .await;
    let good = last_code(&app.outbox(), email);
    let wrong = if good == "000000" { "111111" } else { "000000" };
    let p = b
        .post(
            "/sign-in/code",
            &[("csrf", &csrf), ("email", email), ("code", wrong)],
        )
        .await;
    assert!(
        p.html
            .contains("That code is not the one we sent. 4 tries left."),
        "{}",
        p.html
    );
    assert!(!p.html.contains("Send a new code"));
    for _ in 0..4 {
        b.post(
            "/sign-in/code",
            &[("csrf", &csrf), ("email", email), ("code", wrong)],
        )
        .await;
    }
    let p = b
        .post(
            "/sign-in/code",
            &[("csrf", &csrf), ("email", email), ("code", &good)],
        )
        .await;
    assert!(p.html.contains("Send a new code"), "{}", p.html);
    // Asking again at once: the cool-down, with the wait.
    let p = b
        .post(
            "/sign-in/code/send",
            &[("csrf", &csrf), ("email", email), ("again", "1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        p.html.contains("Wait") && p.html.contains("seconds"),
        "{}",
        p.html
    );
    // An expired code.
    let app = TestApp::with(|c| c.limits.code_resend_secs = 0);
    let mut b = Browser::new(&app);
    let csrf = b.get("/sign-in").await.csrf();
    b.post("/sign-in/code/send", &[("csrf", &csrf), ("email", email)])
        .await;
    app.sql("UPDATE login_codes SET expires_at = 0");
    let code = last_code(&app.outbox(), email);
    let p = b
        .post(
            "/sign-in/code",
            &[("csrf", &csrf), ("email", email), ("code", &code)],
        )
        .await;
    assert!(p.html.contains("This code expired"), "{}", p.html);
    let p = b
        .post(
            "/sign-in/code/send",
            &[("csrf", &csrf), ("email", email), ("again", "1")],
        )
        .await;
    assert!(
        p.html.contains("We sent a code to new@example.com"),
        "{}",
        p.html
    );
    let code = last_code(&app.outbox(), email);
    let p = b
        .post(
            "/sign-in/code",
            &[("csrf", &csrf), ("email", email), ("code", &code)],
        )
        .await;
    assert_eq!(
        p.status,
        StatusCode::SEE_OTHER,
        "a new address signs up: {}",
        p.html
    );
}

#[tokio::test]
async fn password_sign_in_asks_for_the_authenticator_code_or_a_backup_code() {
    let app = test_app();
    let added = add_user(
        app.db(),
        "mfa@example.com",
        Role::Developer,
        None,
        Some("correct horse"),
        true,
    );
    let secret = added.totp_secret_base32.clone().unwrap();
    let mut b = Browser::new(&app);
    let csrf = b.get("/sign-in?method=password").await.csrf();
    let p = b
        .post(
            "/sign-in/password",
            &[
                ("csrf", &csrf),
                ("email", "mfa@example.com"),
                ("password", "wrong"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(p.html.contains("Wrong e-mail or password."));
    let p = b
        .post(
            "/sign-in/password",
            &[
                ("csrf", &csrf),
                ("email", "mfa@example.com"),
                ("password", "correct horse"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains("Two-factor authentication"));
    let token = hidden(&p.html, "mfa_token");
    let p = b
        .post(
            "/sign-in/mfa",
            &[
                ("csrf", &csrf),
                ("mfa_token", &token),
                ("method", "totp"),
                ("code", "000000"),
            ],
        )
        .await;
    let totp = totp_now(&secret);
    if totp != "000000" {
        assert!(p.html.contains("tries left"), "{}", p.html);
    }
    let p = b
        .post(
            "/sign-in/mfa",
            &[
                ("csrf", &csrf),
                ("mfa_token", &token),
                ("method", "totp"),
                ("code", &totp),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    assert_eq!(b.get("/keys").await.status, StatusCode::OK);
    // A backup code, after an e-mail code: the mailbox is one factor.
    let mut b = Browser::new(&app);
    let p = b.sign_in_by_code("mfa@example.com").await;
    assert!(p.html.contains("Two-factor authentication"), "{}", p.html);
    let token = hidden(&p.html, "mfa_token");
    let csrf = p.csrf();
    let backup = added.backup_codes.clone().unwrap()[0].clone();
    let p = b
        .post(
            "/sign-in/mfa",
            &[
                ("csrf", &csrf),
                ("mfa_token", &token),
                ("method", "backup"),
                ("code", &backup),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
}

#[tokio::test]
async fn a_session_ends_when_idle_too_long_past_its_absolute_lifetime_or_at_sign_out() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    app.sql("UPDATE web_sessions SET last_seen_at = last_seen_at - 1801");
    let p = b.get("/keys").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location(), "/sign-in?ended=1");
    assert!(
        b.get(p.location())
            .await
            .html
            .contains("Your session ended. Sign in again.")
    );

    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    app.sql("UPDATE web_sessions SET expires_at = 1");
    assert_eq!(b.get("/keys").await.location(), "/sign-in?ended=1");

    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    let token = b.cookie("scripto_session").unwrap().to_owned();
    let csrf = b.get("/keys").await.csrf();
    let p = b.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(p.location(), "/sign-in?signed_out=1");
    assert!(
        p.set_cookies()
            .iter()
            .any(|c| c.starts_with("scripto_session=;") && c.contains("Max-Age=0"))
    );
    // The old cookie no longer opens anything.
    b.cookies.push(("scripto_session".to_owned(), token));
    assert_eq!(b.get("/keys").await.location(), "/sign-in?ended=1");
}

#[tokio::test]
async fn what_the_database_or_a_browser_gives_is_escaped() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    let p = b.create_key("<script>alert(1)</script>", &[]).await;
    assert_eq!(p.status, StatusCode::OK);
    let grid = b.get("/keys").await;
    assert!(!grid.html.contains("<script>alert(1)"));
    assert!(grid.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let _ = json!({});
}

#[tokio::test]
async fn a_page_asked_for_before_sign_in_is_where_the_sign_in_ends_and_only_this_sites() {
    let app = test_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let mut b = Browser::new(&app);
    let p = b.get("/keys/new").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location(), "/sign-in?next=%2Fkeys%2Fnew");
    let page = b.get(p.location()).await;
    assert_eq!(hidden(&page.html, "next"), "/keys/new");
    let csrf = page.csrf();
    b.post(
        "/sign-in/code/send",
        &[
            ("csrf", &csrf),
            ("email", "dev@example.com"),
            ("next", "/keys/new"),
        ],
    )
    .await;
    let code = last_code(&app.outbox(), "dev@example.com");
    let p = b
        .post(
            "/sign-in/code",
            &[
                ("csrf", &csrf),
                ("email", "dev@example.com"),
                ("code", &code),
                ("next", "/keys/new"),
            ],
        )
        .await;
    assert_eq!(p.location(), "/keys/new");
    // Another site is never a destination.
    let mut b = Browser::new(&app);
    let page = b.get("/sign-in?next=//evil.example/x").await;
    assert!(!page.html.contains("evil.example"));
    let csrf = page.csrf();
    b.post(
        "/sign-in/code/send",
        &[("csrf", &csrf), ("email", "dev@example.com")],
    )
    .await;
    let code = last_code(&app.outbox(), "dev@example.com");
    let p = b
        .post(
            "/sign-in/code",
            &[
                ("csrf", &csrf),
                ("email", "dev@example.com"),
                ("code", &code),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(p.location(), "/keys");
}

/// A device login started as the CLI starts one; its user and device codes.
async fn start_device(app: &TestApp) -> (String, String) {
    let r = app
        .post(
            "/v1/auth/device",
            None,
            json!({ "client_name": "build-box", "key_name": "scripto-cli@build-box" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    (
        r.data()["user_code"].as_str().unwrap().to_owned(),
        r.data()["device_code"].as_str().unwrap().to_owned(),
    )
}

fn device_app() -> TestApp {
    TestApp::with(|c| {
        c.limits.code_resend_secs = 0;
        c.limits.device_poll_interval_secs = 1;
    })
}

#[tokio::test]
async fn the_device_page_signs_in_first_shows_the_login_and_approving_lets_the_poller_mint_its_key()
{
    let app = device_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let (user_code, device_code) = start_device(&app).await;
    let path = format!("/device?code={user_code}");
    // Not signed in: the sign-in first, then back here.
    let mut b = Browser::new(&app);
    let p = b.get(&path).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let sign_in = p.location().to_owned();
    assert!(
        sign_in.starts_with("/sign-in?next=%2Fdevice%3Fcode%3D"),
        "{sign_in}"
    );
    let csrf = b.get(&sign_in).await.csrf();
    b.post(
        "/sign-in/code/send",
        &[
            ("csrf", &csrf),
            ("email", "dev@example.com"),
            ("next", &path),
        ],
    )
    .await;
    let code = last_code(&app.outbox(), "dev@example.com");
    let p = b
        .post(
            "/sign-in/code",
            &[
                ("csrf", &csrf),
                ("email", "dev@example.com"),
                ("code", &code),
                ("next", &path),
            ],
        )
        .await;
    assert_eq!(p.location(), path);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for words in [
        user_code.as_str(),
        "build-box",
        "scripto-cli@build-box",
        "Approve",
        "Deny",
    ] {
        assert!(page.html.contains(words), "{words}: {}", page.html);
    }
    let poll = || {
        app.post(
            "/v1/auth/device/token",
            None,
            json!({ "device_code": device_code }),
        )
    };
    assert_eq!(poll().await.code(), "authorization_pending");
    // Approving needs the session's token.
    let p = b
        .post("/device/approve", &[("csrf", "nope"), ("code", &user_code)])
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = b
        .post(
            "/device/approve",
            &[("csrf", &page.csrf()), ("code", &user_code)],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains("Device approved"));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = poll().await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let key = r.data()["api_key"].as_str().unwrap();
    let me = app.get("/v1/me", key).await;
    assert_eq!(me.data()["user"]["email"], "dev@example.com");
}

#[tokio::test]
async fn a_denied_device_login_is_refused_to_the_poller_and_a_wrong_code_is_said_on_the_form() {
    let app = device_app();
    add_user(
        app.db(),
        "dev@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let (user_code, device_code) = start_device(&app).await;
    let mut b = Browser::signed_in(&app, "dev@example.com").await;
    let form = b.get("/device").await;
    assert!(form.html.contains("Approve a device") && form.html.contains("for=\"code\""));
    let wrong = b.get("/device?code=BBBB-BBBB").await;
    assert!(
        wrong.html.contains("That code is not valid"),
        "{}",
        wrong.html
    );
    let page = b.get(&format!("/device?code={user_code}")).await;
    let p = b
        .post(
            "/device/deny",
            &[("csrf", &page.csrf()), ("code", &user_code)],
        )
        .await;
    assert!(p.html.contains("Login denied"), "{}", p.html);
    let r = app
        .post(
            "/v1/auth/device/token",
            None,
            json!({ "device_code": device_code }),
        )
        .await;
    assert_eq!(r.code(), "access_denied");
}
