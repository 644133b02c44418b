//! A browser's part in a sign-in, over HTTP: one visitor of a server
//! under test, with the cookies that server set, following no redirect
//! (each test looks at where it is sent).

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};

/// What a page answered.
pub struct Page {
    pub status: StatusCode,
    pub location: String,
    pub set_cookies: Vec<String>,
    pub html: String,
}

impl Page {
    /// Whether the answer set cookie `name` to a value (not cleared it).
    pub fn sets(&self, name: &str) -> bool {
        self.set_cookies.iter().any(|c| {
            c.strip_prefix(&format!("{name}="))
                .is_some_and(|rest| !rest.starts_with(';') && !rest.contains("Max-Age=0"))
        })
    }

    /// The value of the hidden field `name` of the page's form.
    pub fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.html.find(&marker).expect("the field is on the page") + marker.len();
        self.html[start..].split('"').next().unwrap().to_owned()
    }
}

/// One visitor of the server at `base`.
pub struct Visitor {
    pub base: String,
    http: reqwest::Client,
    jar: Jar,
}

impl Visitor {
    pub fn new(base: &str) -> Visitor {
        Visitor {
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
            jar: Jar::default(),
        }
    }

    /// The value of this visitor's cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.jar.0.get(name).map(String::as_str)
    }

    /// Sets cookie `name`, as a browser that kept it (or an attacker who
    /// copied it) would send it.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.jar.0.insert(name.to_owned(), value.to_owned());
    }

    /// GETs `path_or_url` (a path of the server, or a full URL of it).
    pub async fn get(&mut self, path_or_url: &str) -> Page {
        let url = self.url(path_or_url);
        let req = self.http.get(url);
        self.send(req).await
    }

    /// POSTs a form to a path of the server.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = self
            .http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req).await
    }

    fn url(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http") {
            assert!(
                path_or_url.starts_with(&self.base),
                "{path_or_url} is not on {}",
                self.base
            );
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let resp = self
            .jar
            .add_to(req)
            .send()
            .await
            .expect("the server answers");
        self.jar.store(resp.headers());
        let status = resp.status();
        let location = resp
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let set_cookies: Vec<String> = resp
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let html = resp.text().await.unwrap();
        Page {
            status,
            location,
            set_cookies,
            html,
        }
    }
}

/// A browser's cookies for one site, by name: no domains, paths or expiry
/// times beyond deletion (`Max-Age=0`, an empty value, or an expiry date in
/// the past, as oidc-provider deletes them).
#[derive(Default)]
pub struct Jar(BTreeMap<String, String>);

impl Jar {
    /// Keeps what the `Set-Cookie` headers of an answer say.
    pub fn store(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(SET_COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            let mut parts = value.split(';');
            let Some((name, val)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let deleted = val.trim().is_empty()
                || parts.any(|a| {
                    let a = a.trim().to_ascii_lowercase();
                    a.starts_with("expires=") && a.contains("1970") || a == "max-age=0"
                });
            if deleted {
                self.0.remove(name.trim());
            } else {
                self.0.insert(name.trim().to_owned(), val.trim().to_owned());
            }
        }
    }

    /// `request` with a `Cookie` header, when there is a cookie to send.
    pub fn add_to(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if self.0.is_empty() {
            return request;
        }
        let header = self
            .0
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        request.header(COOKIE, header)
    }
}
