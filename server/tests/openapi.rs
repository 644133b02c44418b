//! The published contract: `GET /v1/openapi.json` is the committed
//! `docs/openapi.json`, covers every endpoint and error code of docs/api.md,
//! and says what the server really answers.

mod common;

use std::path::PathBuf;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

fn repo_file(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    out
}

/// The `error.code` values a documented response allows.
fn documented_codes(response: &Value) -> Vec<String> {
    let schema = &response["content"]["application/json"]["schema"];
    schema["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"]
        .as_array()
        .map(|codes| {
            codes
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_document_is_served_without_a_credential_and_is_the_committed_one() {
    let t = TestApp::new();
    let r = t.call(Method::GET, "/v1/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(r.headers["cache-control"], "no-store");
    assert!(r.headers.contains_key("x-ratelimit-remaining"));
    assert_eq!(r.body["openapi"], "3.1.0");
    let committed: Value = serde_json::from_str(&repo_file("docs/openapi.json")).unwrap();
    assert!(
        r.body == committed,
        "docs/openapi.json is stale: run `cargo xtask gen`"
    );
    // A credential, even a bad one, does not change a public answer.
    let r = t
        .call(Method::GET, "/v1/openapi.json", Some("nonsense"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn every_endpoint_of_docs_api_md_is_in_the_document() {
    let doc = scripto_server::openapi::document();
    let documented: Vec<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let api_md = repo_file("docs/api.md");
    let mut seen = 0;
    for line in api_md.lines() {
        // The endpoint table: | `GET /v1/keys/{id}` | auth | answer |
        let Some(rest) = line.strip_prefix("| `") else {
            continue;
        };
        let Some((endpoint, _)) = rest.split_once('`') else {
            continue;
        };
        let Some((method, path)) = endpoint.split_once(' ') else {
            continue;
        };
        if !path.starts_with("/v1/") {
            continue;
        }
        seen += 1;
        assert!(
            documented.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path} is in docs/api.md but not in the OpenAPI document"
        );
    }
    assert!(
        seen >= 12,
        "the endpoint table of docs/api.md was not found"
    );
}

#[tokio::test]
async fn every_error_code_of_docs_api_md_is_in_the_document_with_its_status() {
    let doc = scripto_server::openapi::document();
    let mut in_doc: Vec<(String, String)> = Vec::new();
    for (_, _, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            for code in documented_codes(response) {
                in_doc.push((code, status.clone()));
            }
        }
    }
    let api_md = repo_file("docs/api.md");
    let mut seen = 0;
    for line in api_md.lines() {
        // The error table: | `invalid_request` | 400 | when |
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, code, status, _, _] = cells[..] else {
            continue;
        };
        let (Some(code), Ok(_)) = (
            code.strip_prefix('`').and_then(|c| c.strip_suffix('`')),
            status.parse::<u16>(),
        ) else {
            continue;
        };
        seen += 1;
        if code == "method_not_allowed" {
            // Not an answer of any documented operation: of the methods a
            // path does not have (the document's description says so).
            continue;
        }
        assert!(
            in_doc.contains(&(code.to_owned(), status.to_owned())),
            "`{code}` ({status}) is in docs/api.md but no operation of the document answers it"
        );
    }
    assert!(seen >= 19, "the error table of docs/api.md was not found");
}

/// Each operation, called without a credential and without a body, answers
/// a status the document lists for it, with a code that status allows: the
/// public ones do not ask for a credential, the others ask for it.
#[tokio::test]
async fn every_operation_answers_as_its_document_says_without_a_credential() {
    let t = TestApp::new();
    let doc = scripto_server::openapi::document();
    for (method, path, op) in operations(&doc) {
        let uri = path
            .replace("/keys/{id}", "/keys/key_AAAAAAAAAAAAAAAAAAAA")
            .replace("/projects/{id}", "/projects/proj_AAAAAAAAAAAAAAAAAAAA");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let r = t.call(method.clone(), &uri, None, None).await;
        let status = r.status.as_u16().to_string();
        let response = &op["responses"][&status];
        assert!(
            response.is_object(),
            "{method} {path} answered {status}, which the document does not list"
        );
        for header in ["X-Request-Id", "X-RateLimit-Limit", "Cache-Control"] {
            let reference = format!("#/components/headers/{header}");
            assert_eq!(response["headers"][header]["$ref"], json!(reference));
            assert_eq!(
                doc["components"]["headers"][header]["required"],
                json!(true)
            );
            assert!(r.headers.contains_key(header), "{method} {path}: {header}");
        }
        let public = op["security"] == json!([{}]);
        if public {
            assert_ne!(r.code(), "authentication_required", "{method} {path}");
        } else {
            assert_eq!(op["security"], json!([{ "bearer": [] }]), "{method} {path}");
            assert_eq!(r.code(), "authentication_required", "{method} {path}");
        }
        if !r.status.is_success() {
            assert!(
                documented_codes(response).contains(&r.code().to_owned()),
                "{method} {path}: `{}` is not among the codes documented for {status}",
                r.code()
            );
        }
    }
}

/// JSON does not tell `30.0` from `30` (nor does the document's `integer`).
#[tokio::test]
async fn a_whole_number_of_days_written_with_a_fraction_is_that_number() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": "k", "expires_in_days": 30.0 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": "k", "expires_in_days": 30.5 }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_error")
    );
    assert!(r.body["error"]["details"]["fields"]["expires_in_days"].is_string());
}

/// `maxLength: 254` counts characters, and so does the server.
#[tokio::test]
async fn an_address_of_254_characters_is_accepted_whatever_its_bytes() {
    let t = TestApp::new();
    let long = format!("{}@b.c", "é".repeat(250));
    assert_eq!(long.chars().count(), 254);
    let r = t
        .post("/v1/auth/login-request", None, json!({ "email": long }))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
    let too_long = format!("{}@b.c", "é".repeat(251));
    let r = t
        .post("/v1/auth/login-request", None, json!({ "email": too_long }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_error")
    );
}

/// A 429 is documented with its `Retry-After`, and carries it.
#[tokio::test]
async fn a_refused_budget_answers_as_documented_with_retry_after() {
    let t = TestApp::with(|c| c.limits.anonymous_per_minute_per_ip = 1);
    let doc = scripto_server::openapi::document();
    t.call(Method::GET, "/v1/health", None, None).await;
    let r = t.call(Method::GET, "/v1/health", None, None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let response = &doc["paths"]["/v1/health"]["get"]["responses"]["429"];
    assert!(documented_codes(response).contains(&r.code().to_owned()));
    assert_eq!(
        response["headers"]["Retry-After"]["$ref"],
        "#/components/headers/Retry-After"
    );
    assert!(r.headers.contains_key("retry-after"));
}
