//! The `/v1` router, the middleware that gives every response its
//! `X-Request-Id` and `X-RateLimit-*` headers, and the small handlers.

pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod device;
pub(crate) mod keys;
pub(crate) mod leaked;
pub(crate) mod projects;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use scripto_wire::types::{Envelope, Health, Me, Meta, Organization, Pagination};
use serde::Serialize;

use crate::auth::Principal;
use crate::context::{self, CTX, ReqCtx};
use crate::error::ApiErr;
use crate::ip_rules;
use crate::limiter::Bucket;
use crate::service::users::user_json;
use crate::state::AppState;
use crate::util::{new_request_id, now};

pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/health", get(health))
        .route("/health/ready", get(ready))
        .route("/openapi.json", get(openapi_json))
        .route("/auth/login-request", post(auth::login_request))
        .route("/auth/login-complete", post(auth::login_complete))
        .route("/auth/login", post(auth::login))
        .route("/auth/login/mfa", post(auth::login_mfa))
        .route("/auth/device", post(device::start))
        .route("/auth/device/token", post(device::token))
        .route("/auth/device/lookup", post(device::lookup))
        .route("/auth/device/approve", post(device::approve))
        .route("/auth/device/deny", post(device::deny))
        .route("/me", get(me))
        .route("/keys", get(keys::list).post(keys::create))
        .route("/keys/revoke-leaked", post(leaked::revoke_leaked))
        .route("/keys/{id}", get(keys::get_one).delete(keys::revoke))
        .route("/audit-events", get(audit::list))
        .route("/keys/{id}/rotate", post(keys::rotate))
        .route("/projects", get(projects::list))
        .route("/projects/{id}", get(projects::get_one));
    // The web console under `/`; anything else: under `/v1` the API's JSON
    // error, elsewhere a page.
    Router::new()
        .nest("/v1", v1)
        .merge(crate::web::router())
        .fallback(crate::web::not_found_page)
        .method_not_allowed_fallback(crate::web::method_not_allowed_page)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            request_context,
        ))
        .layer(middleware::from_fn(crate::web::security_headers))
        .with_state(state)
}

/// Gives the request its id and client IP, counts requests without a
/// credential against the anonymous per-IP budget, and stamps the headers.
async fn request_context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let ip = ip_rules::client_ip(peer, req.headers(), &state.config().trusted_proxies);
    let ctx = Arc::new(ReqCtx {
        id: new_request_id(),
        ip,
        rate: Mutex::new(None),
    });
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    // Public routes ignore any `Authorization` header, so they always count
    // against the anonymous budget.
    // Looking up, approving and denying a device login are the `/v1/auth/`
    // routes that take a credential: they count against the caller's budget.
    let decides_device = matches!(
        path.as_str(),
        "/v1/auth/device/lookup" | "/v1/auth/device/approve" | "/v1/auth/device/deny"
    );
    let public = path == "/v1/health"
        || path == "/v1/health/ready"
        || path == "/v1/openapi.json"
        || (path.starts_with("/v1/auth/") && !decides_device)
        || path == "/v1/keys/revoke-leaked";
    let anonymous = public || !req.headers().contains_key(header::AUTHORIZATION);
    let anon_limit = state.limits().anonymous_per_minute_per_ip;
    let state2 = state.clone();
    let ip_s = ip.to_string();
    let mut resp = CTX
        .scope(ctx.clone(), async move {
            if anonymous {
                let ip = ip.to_string();
                let check = [(Bucket::AnonymousIp, ip.as_str(), anon_limit, 60)];
                match state.limiter().hit(&check, now()).await {
                    Ok(info) => context::set_rate(info),
                    Err(info) => {
                        state.audit_refusal(
                            crate::audit::Refusal::RateLimited,
                            crate::audit::Refused::anonymous(),
                        );
                        return ApiErr::rate_limited(info).into_response();
                    }
                }
            }
            next.run(req).await
        })
        .await;
    let mut rate = *ctx.rate.lock().unwrap_or_else(|e| e.into_inner());
    if rate.is_none() {
        // An unknown route with a credential: count it as anonymous.
        let check = [(Bucket::AnonymousIp, ip_s.as_str(), anon_limit, 60)];
        rate = Some(match state2.limiter().hit(&check, now()).await {
            Ok(info) | Err(info) => info,
        });
    }
    let headers = resp.headers_mut();
    // Answers may carry a key or a token shown once: no cache keeps them
    // (only the console's assets, named by their content, say otherwise).
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(v) = HeaderValue::from_str(&ctx.id) {
        headers.insert("x-request-id", v);
    }
    if let Some(r) = rate {
        headers.insert("x-ratelimit-limit", HeaderValue::from(r.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(r.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(r.reset));
    }
    if resp.status().is_server_error() {
        tracing::error!(request_id = %ctx.id, %method, path, status = resp.status().as_u16(), "request failed");
    }
    tracing::debug!(
        request_id = %ctx.id,
        %method,
        path,
        status = resp.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    resp
}

pub(crate) fn meta() -> Meta {
    Meta {
        request_id: context::request_id(),
    }
}

/// `{"data": …, "meta": …}` with `status`.
pub(crate) fn ok<T: Serialize>(status: StatusCode, data: T) -> Response {
    (
        status,
        Json(Envelope {
            data,
            meta: meta(),
            pagination: None,
        }),
    )
        .into_response()
}

pub(crate) fn ok_list<T: Serialize>(
    data: Vec<T>,
    has_more: bool,
    next_cursor: Option<String>,
) -> Response {
    Json(Envelope {
        data,
        meta: meta(),
        pagination: Some(Pagination {
            has_more,
            next_cursor,
        }),
    })
    .into_response()
}

/// Whether this instance works: it answers, and so does its database (and
/// Redis, when it has one; without it budgets are per instance, which is
/// no failure).
#[utoipa::path(
    get,
    path = "/v1/health",
    operation_id = "getHealth",
    tag = "meta",
    security(()),
    responses(
        (status = 200, description = "The server and its database answer", body = Envelope<Health>),
        (status = 503, description = "The database does not answer", body = Envelope<Health>),
        crate::openapi::errors::Health,
    )
)]
pub(crate) async fn health(State(state): State<AppState>) -> Response {
    health_answer(&state, false).await
}

/// Whether a load balancer should send this instance requests: as
/// `/v1/health`, and 503 `draining` once it began shutting down.
#[utoipa::path(
    get,
    path = "/v1/health/ready",
    operation_id = "getReadiness",
    tag = "meta",
    security(()),
    responses(
        (status = 200, description = "Ready for requests", body = Envelope<Health>),
        (status = 503, description = "Draining, or the database does not answer", body = Envelope<Health>),
        crate::openapi::errors::Health,
    )
)]
pub(crate) async fn ready(State(state): State<AppState>) -> Response {
    health_answer(&state, true).await
}

async fn health_answer(state: &AppState, readiness: bool) -> Response {
    let database = state.database_answers().await;
    let redis = state.limiter().redis_answers();
    let status = if readiness && state.is_draining() {
        "draining"
    } else if !database {
        "unavailable"
    } else {
        "ok"
    };
    let word = |up: bool| if up { "ok" } else { "unavailable" }.to_owned();
    let code = if status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    ok(
        code,
        Health {
            status: status.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database: Some(word(database)),
            redis: redis.map(word),
        },
    )
}

/// The caller: its user, organization and credential.
#[utoipa::path(
    get,
    path = "/v1/me",
    operation_id = "getMe",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Who is calling", body = Envelope<Me>),
        crate::openapi::errors::Me,
    )
)]
pub(crate) async fn me(p: Principal) -> Response {
    ok(
        StatusCode::OK,
        Me {
            user: user_json(&p.user),
            organization: Organization {
                id: p.org.id.clone(),
                name: p.org.name.clone(),
                plan: p.org.plan.clone(),
            },
            credential: p.credential(),
        },
    )
}

/// This document: the contract as built, OpenAPI 3.1.
#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    operation_id = "getOpenApi",
    tag = "meta",
    security(()),
    responses(
        (status = 200, description = "The OpenAPI 3.1 document of /v1", content_type = "application/json", body = Object),
        crate::openapi::errors::Health,
    )
)]
pub(crate) async fn openapi_json() -> Response {
    crate::openapi::response()
}
