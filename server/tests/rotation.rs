//! `POST /v1/keys/{id}/rotate` and `expires_in_seconds`, through the router
//! with `oneshot` (no socket), like `router.rs`.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::TestApp;
use scripto_wire::types::Role;
use serde_json::{Value, json};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// One integer column of a key's row, read behind the server's back.
fn column(t: &TestApp, id: &str, col: &str) -> Option<i64> {
    t.value(&format!("SELECT {col} FROM api_keys WHERE id = '{id}'"))
        .map(|v| v.parse().unwrap())
}

async fn rotate(t: &TestApp, token: &str, id: &str, body: Value) -> common::Reply {
    t.post(&format!("/v1/keys/{id}/rotate"), Some(token), body)
        .await
}

#[tokio::test]
async fn a_rotation_copies_the_key_and_both_work_during_the_grace_then_the_old_one_is_expired() {
    let t = TestApp::new();
    let admin = t.user_key("a@b.c", Role::Admin, Some("Acme")).await;
    let project = scripto_server::admin::add_project(t.db(), "Acme", "one").unwrap();
    let (old_key, old_id) = t
        .create_key(
            &admin,
            json!({ "name": "deploy", "type": "realtime", "scopes": ["read"],
                    "project_ids": [project], "expires_in_days": 30 }),
        )
        .await;
    let r = rotate(&t, &admin, &old_id, json!({ "grace_seconds": 2 })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let new_key = r.data()["api_key"].as_str().unwrap().to_owned();
    let new = r.data()["key"].clone();
    let old = r.data()["old_key"].clone();
    let new_id = new["id"].as_str().unwrap().to_owned();
    assert_ne!(new_key, old_key);
    assert_eq!(new["name"], "deploy");
    assert_eq!(new["type"], "realtime");
    assert_eq!(new["scopes"], json!(["read"]));
    assert_eq!(new["project_ids"], json!([project]));
    assert_eq!(new["replaces"], old_id.as_str());
    assert_eq!(old["replaced_by"], new_id.as_str());
    assert_eq!(old["status"], "active");
    // The lifetime length is copied: 30 days from now, not from the old start.
    let new_expiry = column(&t, &new_id, "expires_at").unwrap();
    assert!(
        (new_expiry - (now() + 30 * 86_400)).abs() <= 2,
        "{new_expiry}"
    );
    let old_expiry = column(&t, &old_id, "expires_at").unwrap();
    assert!((old_expiry - (now() + 2)).abs() <= 1, "{old_expiry}");

    assert_eq!(t.get("/v1/me", &old_key).await.status, StatusCode::OK);
    let me = t.get("/v1/me", &new_key).await;
    assert_eq!(me.data()["credential"]["key_id"], new_id.as_str());
    // The key objects carry the link both ways.
    let got = t.get(&format!("/v1/keys/{old_id}"), &admin).await;
    assert_eq!(got.data()["replaced_by"], new_id.as_str());

    tokio::time::sleep(Duration::from_millis(3100)).await;
    let r = t.get("/v1/me", &old_key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "key_expired")
    );
    let got = t.get(&format!("/v1/keys/{old_id}"), &admin).await;
    assert_eq!(got.data()["status"], "expired");
    assert_eq!(t.get("/v1/me", &new_key).await.status, StatusCode::OK);
}

#[tokio::test]
async fn grace_zero_the_default_revokes_the_old_key_at_once() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (old_key, old_id) = t.create_key(&admin, json!({ "name": "ci" })).await;
    let r = rotate(&t, &admin, &old_id, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.data()["old_key"]["status"], "revoked");
    assert_eq!(r.data()["key"]["expires_at"], Value::Null);
    let r = t.get("/v1/me", &old_key).await;
    assert_eq!(r.code(), "key_revoked");
}

#[tokio::test]
async fn rotating_a_rotated_key_again_is_409_and_never_touches_the_successor() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (old_key, old_id) = t.create_key(&admin, json!({ "name": "svc" })).await;
    let r = rotate(&t, &admin, &old_id, json!({ "grace_seconds": 3600 })).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let new_key = r.data()["api_key"].as_str().unwrap().to_owned();
    let new_id = r.data()["key"]["id"].as_str().unwrap().to_owned();
    // Again, by the admin and by the old key itself (still in its grace),
    // with and without a grace.
    for (token, body) in [
        (&admin, json!({ "grace_seconds": 60 })),
        (&old_key, json!({})),
    ] {
        let r = rotate(&t, token, &old_id, body).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "already_rotated"),
            "{:?}",
            r.body
        );
        assert_eq!(r.body["error"]["details"]["replaced_by"], new_id.as_str());
        assert!(
            r.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&new_id)
        );
    }
    let successor = t.get(&format!("/v1/keys/{new_id}"), &admin).await;
    assert_eq!(successor.data()["status"], "active");
    assert_eq!(successor.data()["revoked_at"], Value::Null);
    assert_eq!(successor.data()["expires_at"], Value::Null);
    assert_eq!(successor.data()["replaced_by"], Value::Null);
    assert_eq!(t.get("/v1/me", &new_key).await.status, StatusCode::OK);
    // Only one successor was ever made.
    let list = t.get("/v1/keys?status=all", &admin).await;
    assert_eq!(list.data().as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_grace_never_outlives_the_old_key() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (_, old_id) = t
        .create_key(
            &admin,
            json!({ "name": "short", "expires_in_seconds": 120 }),
        )
        .await;
    let before = column(&t, &old_id, "expires_at").unwrap();
    let r = rotate(&t, &admin, &old_id, json!({ "grace_seconds": 86_400 })).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(column(&t, &old_id, "expires_at"), Some(before));
    // The new key gets the same two-minute lifetime.
    let new_id = r.data()["key"]["id"].as_str().unwrap();
    let new_expiry = column(&t, new_id, "expires_at").unwrap();
    assert!((new_expiry - (now() + 120)).abs() <= 2);
}

#[tokio::test]
async fn a_revoked_or_expired_key_cannot_be_rotated() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (_, revoked) = t.create_key(&admin, json!({ "name": "gone" })).await;
    t.delete(&format!("/v1/keys/{revoked}"), &admin).await;
    let (_, expired) = t.create_key(&admin, json!({ "name": "old" })).await;
    t.sql(&format!(
        "UPDATE api_keys SET expires_at = 1 WHERE id = '{expired}'"
    ));
    for id in [revoked, expired] {
        let r = rotate(&t, &admin, &id, json!({})).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "key_not_active")
        );
    }
}

#[tokio::test]
async fn rotation_follows_the_rules_of_revoke_and_create() {
    let t = TestApp::new();
    let admin = t.user_key("a@b.c", Role::Admin, Some("Acme")).await;
    let dev = t.user_key("d@b.c", Role::Developer, Some("Acme")).await;
    let other_dev = t.user_key("o@b.c", Role::Developer, Some("Acme")).await;
    let member = t.user_key("m@b.c", Role::Member, Some("Acme")).await;
    let (_, dev_key) = t.create_key(&dev, json!({ "name": "dev's" })).await;

    // Another developer does not see it; a member may not manage keys.
    let r = rotate(&t, &other_dev, &dev_key, json!({})).await;
    assert_eq!(r.code(), "not_found");
    let member_id = t.get("/v1/me", &member).await.data()["credential"]["key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = rotate(&t, &member, &member_id, json!({})).await;
    assert_eq!(r.code(), "insufficient_permissions");
    // A read-only key cannot write, a write-only key cannot mint upward.
    let (ro, _) = t
        .create_key(&dev, json!({ "name": "ro", "scopes": ["read"] }))
        .await;
    let r = rotate(&t, &ro, &dev_key, json!({})).await;
    assert_eq!(r.code(), "insufficient_permissions");
    let (wo, _) = t
        .create_key(&dev, json!({ "name": "wo", "scopes": ["write"] }))
        .await;
    let r = rotate(&t, &wo, &dev_key, json!({})).await;
    assert_eq!(r.code(), "insufficient_permissions");
    assert_eq!(
        t.get(&format!("/v1/keys/{dev_key}"), &dev).await.data()["status"],
        "active"
    );
    // An admin may, and the new key stays the developer's.
    let r = rotate(&t, &admin, &dev_key, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let dev_id = t.get("/v1/me", &dev).await.data()["user"]["id"].clone();
    assert_eq!(r.data()["key"]["owner_id"], dev_id);
}

#[tokio::test]
async fn out_of_range_grace_and_lifetimes_are_validation_errors() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (_, id) = t.create_key(&admin, json!({ "name": "k" })).await;
    for body in [
        json!({ "grace_seconds": -1 }),
        json!({ "grace_seconds": 30 * 86_400 + 1 }),
        json!({ "grace_seconds": 1.5 }),
    ] {
        let r = rotate(&t, &admin, &id, body.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_error"),
            "{body}"
        );
        assert!(r.body["error"]["details"]["fields"]["grace_seconds"].is_string());
    }
    let r = rotate(&t, &admin, &id, json!({ "grace": 5 })).await;
    assert_eq!(r.code(), "invalid_request");
    for body in [
        json!({ "name": "k", "expires_in_seconds": 59 }),
        json!({ "name": "k", "expires_in_seconds": 1826 * 86_400 + 1 }),
        json!({ "name": "k", "expires_in_seconds": 60, "expires_in_days": 1 }),
    ] {
        let r = t.post("/v1/keys", Some(&admin), body.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_error"),
            "{body}"
        );
        assert!(r.body["error"]["details"]["fields"]["expires_in_seconds"].is_string());
    }
    // Still a valid key afterwards: nothing was rotated.
    let r = t.get(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(r.data()["replaced_by"], Value::Null);
    let (_, short) = t
        .create_key(&admin, json!({ "name": "k", "expires_in_seconds": 60 }))
        .await;
    let expiry = column(&t, &short, "expires_at").unwrap();
    assert!((expiry - (now() + 60)).abs() <= 2);
}

#[tokio::test]
async fn garbage_on_the_rotate_endpoint_gets_an_envelope_and_never_a_500() {
    let t = TestApp::with(|c| c.limits.anonymous_per_minute_per_ip = 100_000);
    let admin = t.code_login("a@b.c").await;
    let (_, id) = t.create_key(&admin, json!({ "name": "k" })).await;
    let paths = [
        format!("/v1/keys/{id}/rotate"),
        "/v1/keys/key_%00%01/rotate".to_owned(),
        "/v1/keys/%E2%82%AC/rotate".to_owned(),
        "/v1/keys//rotate".to_owned(),
    ];
    let bodies = [
        "",
        "null",
        "[]",
        "{\"grace_seconds\": 1e400}",
        "{\"grace_seconds\": \"7d\"}",
        "{\"grace_seconds\": null}",
        "{\"grace_seconds\": 18446744073709551616}",
        "\u{feff}{}",
        "{}",
    ];
    for path in &paths {
        for body in bodies {
            for token in [None, Some(admin.as_str()), Some("scripto_\u{00e9}")] {
                let mut b = axum::http::Request::builder()
                    .method(axum::http::Method::POST)
                    .uri(path);
                if let Some(tok) = token {
                    b = b.header("authorization", format!("Bearer {tok}"));
                }
                let r = t.raw(b.body(axum::body::Body::from(body)).unwrap()).await;
                assert!(r.status.as_u16() < 500, "{path} {body}: {:?}", r.body);
                assert!(
                    r.body["error"]["code"].is_string() || r.body["data"].is_object(),
                    "{path} {body}: {:?}",
                    r.body
                );
            }
        }
    }
}
