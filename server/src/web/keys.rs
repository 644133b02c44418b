//! The API keys page, the "Create API key" dialog and the shown-once key,
//! and the revoke confirmation. Members use keys but do not manage them:
//! they get a page that says so.

use scripto_wire::codes;
use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use scripto_wire::Secret;
use scripto_wire::types::{CreateKey, KeyStatus, KeyType, Role};
use serde_json::json;

use super::errors::WebErr;
use super::form::Form;
use super::layout::{COPY_ICON, PLUS_ICON, WARN_ICON, icon, page};
use super::session::Console;
use crate::error::ApiErr;
use crate::service::{keys, projects};
use crate::state::AppState;
use crate::store::{KeyRow, ProjectRow, StatusFilter};
use crate::util::{now, rfc3339};

/// Keys shown on one page.
const PAGE: usize = 200;

/// The lifetimes offered, in days, and their labels.
const EXPIRATIONS: [(u32, &str); 3] = [(365, "1 year"), (730, "2 years"), (1826, "5 years")];

/// `GET /keys`: the grid.
pub async fn list(
    State(state): State<AppState>,
    console: Console,
    RawQuery(query): RawQuery,
) -> Result<Response, WebErr> {
    let p = &console.principal;
    if !p.is_at_least(Role::Developer) {
        return Ok(member_page(&console));
    }
    let q = Form::from_query(query.as_deref());
    let param = |k: &str| Some(q.get(k)).filter(|v| !v.is_empty());
    let admin = p.is_at_least(Role::Admin);
    let status = match param("status") {
        Some("active") => StatusFilter::Active,
        Some("revoked") => StatusFilter::Revoked,
        Some("expired") => StatusFilter::Expired,
        _ => StatusFilter::All,
    };
    let (rows, more) = keys::list(
        &state,
        p,
        keys::ListKeys {
            status,
            all_owners: admin,
            cursor: None,
            limit: PAGE,
        },
    )
    .await?;
    let owners = keys::owner_emails(&state, p, &rows).await?;
    let projects = project_names(&state, &console).await?;
    let revoked = param("revoked").and_then(|id| rows.iter().find(|k| k.id == id));
    let t = now();
    let body = html! {
        main {
            div.page-head {
                div {
                    h1 { "API keys" }
                    p.caption { "Create and manage API keys for programmatic access" }
                }
                a.button.primary href="/keys/new" { (icon(PLUS_ICON)) "Add key" }
            }
            @if let Some(k) = revoked {
                p.notice.ok role="status" { "Key '" (k.name) "' was revoked. It stops working on the next request." }
            }
            @if admin {
                nav.filters aria-label="Filter by status" {
                    span.tag { "Status:" }
                    @for (value, label) in [("all", "All"), ("active", "Active"), ("revoked", "Revoked"), ("expired", "Expired")] {
                        a href={ "/keys?status=" (value) } aria-current=[(filter_name(status) == value).then_some("page")] { (label) }
                    }
                }
                p.hint { "As an admin you see every key of " (p.org.name) "." }
            }
            div.table-wrap {
                @if rows.is_empty() {
                    p.empty { "No keys yet. Use " strong { "Add key" } " to create one." }
                } @else {
                    table {
                        thead { tr {
                            th scope="col" { "ID" }
                            th scope="col" { "Name" }
                            @if admin { th scope="col" { "Owner" } }
                            th scope="col" { "Key" }
                            th scope="col" { "Type" }
                            th scope="col" { "Scopes" }
                            th scope="col" { "Projects" }
                            th scope="col" { "Expires" }
                            th scope="col" { "Last used" }
                            th scope="col" { "Status" }
                            th scope="col" { span.visually-hidden { "Actions" } }
                        } }
                        tbody {
                            @for k in &rows {
                                (row(k, admin, &owners, &projects, t))
                            }
                        }
                    }
                }
            }
            @if more {
                p.hint { "Showing the newest " (PAGE) " keys." }
            }
        }
    };
    Ok(page("API keys", Some(&console.viewer()), false, body).into_response())
}

fn filter_name(s: StatusFilter) -> &'static str {
    match s {
        StatusFilter::Active => "active",
        StatusFilter::Revoked => "revoked",
        StatusFilter::Expired => "expired",
        StatusFilter::All => "all",
    }
}

fn row(
    k: &KeyRow,
    admin: bool,
    owners: &HashMap<String, String>,
    projects: &HashMap<String, String>,
    t: i64,
) -> Markup {
    let status = keys::status_of(k, t);
    html! {
        tr {
            td data-label="ID" { code { (k.id) } }
            td data-label="Name" { (k.name) }
            @if admin { td data-label="Owner" { (owners.get(&k.owner_id).map_or(k.owner_id.as_str(), String::as_str)) } }
            td data-label="Key" { code title="The start of the key; the rest was shown once" { (k.start) "…" } }
            td data-label="Type" { span class={ "badge " (k.key_type.as_str()) } { (k.key_type.as_str()) } }
            td.wrap data-label="Scopes" { (k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")) }
            td.wrap data-label="Projects" {
                @if k.project_ids.is_empty() { "All projects" }
                @else { (k.project_ids.iter().map(|id| projects.get(id).map_or(id.as_str(), String::as_str)).collect::<Vec<_>>().join(", ")) }
            }
            td data-label="Expires" {
                @match k.expires_at {
                    Some(e) => time datetime=(rfc3339(e)) title=(rfc3339(e)) { (date(e)) },
                    None => "Never",
                }
            }
            td data-label="Last used" {
                @match k.last_used_at {
                    Some(u) => time datetime=(rfc3339(u)) title=(rfc3339(u)) { (relative(u, t)) },
                    None => "Never",
                }
            }
            td data-label="Status" { span class={ "badge " (status.as_str()) } { (status.as_str()) } }
            td {
                @if status == KeyStatus::Active {
                    a href={ "/keys/" (k.id) "/revoke" } aria-label={ "Revoke key " (k.name) } { "Revoke" }
                }
            }
        }
    }
}

/// `2027-11-30`.
fn date(ts: i64) -> String {
    rfc3339(ts).chars().take(10).collect()
}

/// "just now", "5 minutes ago", "3 days ago".
fn relative(ts: i64, t: i64) -> String {
    let d = (t - ts).max(0);
    let (n, unit) = match d {
        0..60 => return "just now".to_owned(),
        60..3600 => (d / 60, "minute"),
        3600..86_400 => (d / 3600, "hour"),
        86_400..2_592_000 => (d / 86_400, "day"),
        2_592_000..31_536_000 => (d / 2_592_000, "month"),
        _ => (d / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// Members may use keys but not manage them (seed 002: the page needs the
/// developer role).
fn member_page(console: &Console) -> Response {
    let body = html! {
        main {
            div.page-head {
                div {
                    h1 { "API keys" }
                    p.caption { "Create and manage API keys for programmatic access" }
                }
            }
            div.notice.warn role="status" {
                p { strong { "You need the developer role to manage API keys." } }
                p { "Your role in " (console.principal.org.name) " is member: you can use keys an admin or developer gives you, but not create or revoke them. Ask an admin of your organization for the developer role." }
            }
        }
    };
    (
        StatusCode::FORBIDDEN,
        page("API keys", Some(&console.viewer()), false, body),
    )
        .into_response()
}

/// The organization's projects the caller reaches: id → name.
async fn project_names(
    state: &AppState,
    console: &Console,
) -> Result<HashMap<String, String>, ApiErr> {
    Ok(project_rows(state, console)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

async fn project_rows(state: &AppState, console: &Console) -> Result<Vec<ProjectRow>, ApiErr> {
    Ok(projects::list(state, &console.principal, None, 500)
        .await?
        .0)
}

/// What the create form shows again after a refusal.
#[derive(Default)]
struct Draft {
    name: String,
    realtime: bool,
    days: u32,
    read: bool,
    write: bool,
    projects: Vec<String>,
    errors: HashMap<String, String>,
}

/// `GET /keys/new`: the "Create API key" dialog.
pub async fn new_form(State(state): State<AppState>, console: Console) -> Result<Response, WebErr> {
    if !console.principal.is_at_least(Role::Developer) {
        return Ok(member_page(&console));
    }
    let draft = Draft {
        days: 365,
        read: true,
        write: true,
        ..Draft::default()
    };
    create_form(&state, &console, &draft, StatusCode::OK).await
}

async fn create_form(
    state: &AppState,
    console: &Console,
    d: &Draft,
    status: StatusCode,
) -> Result<Response, WebErr> {
    let projects = project_rows(state, console).await?;
    let err = |f: &str| d.errors.get(f).cloned();
    let body = html! {
        div.backdrop {
            div.dialog role="dialog" aria-modal="true" aria-labelledby="dialog-title" {
                h1 #dialog-title { "Create API key" }
                @if let Some(e) = err("form") { p.notice.error role="alert" { (e) } }
                form method="post" action="/keys/new" {
                    input type="hidden" name="csrf" value=(console.csrf);
                    div.field-row {
                        label.field for="name" { "Name" }
                        input #name type="text" name="name" value=(d.name) required maxlength="100" autofocus aria-describedby="name-hint";
                        p.hint #name-hint { "1–100 characters, e.g. “ci-deploy” or “Production integration”." }
                        @if let Some(e) = err("name") { p.field-error role="alert" { (e) } }
                    }
                    fieldset {
                        legend { "Type" }
                        label.choice {
                            input #type-batch type="radio" name="type" value="batch" checked[!d.realtime];
                            span { "Batch" small { "Store the data then process it" } }
                        }
                        label.choice {
                            input #type-realtime type="radio" name="type" value="realtime" checked[d.realtime];
                            span { "Realtime" small { "Process data as it comes" } }
                        }
                        div.notice.info.realtime-info {
                            "Realtime clients send the key with every request, as the header:"
                            br;
                            code { "Authorization: Bearer scripto_…" }
                        }
                    }
                    fieldset {
                        legend { "Expiration" }
                        div.choices-inline {
                            @for (days, label) in EXPIRATIONS {
                                label.choice {
                                    input type="radio" name="expires_in_days" value=(days) checked[d.days == days];
                                    span { (label) @if days == 365 { " " span.tag { "(recommended)" } } }
                                }
                            }
                        }
                    }
                    fieldset {
                        legend { "Scopes" }
                        div.choices-inline {
                            label.choice { input type="checkbox" name="scope" value="read" checked[d.read]; span { "Read" small { "GET requests" } } }
                            label.choice { input type="checkbox" name="scope" value="write" checked[d.write]; span { "Write" small { "Everything else" } } }
                        }
                        @if let Some(e) = err("scopes") { p.field-error role="alert" { (e) } }
                    }
                    fieldset {
                        legend { "Projects" }
                        @if projects.is_empty() {
                            p.hint { "Your organization has no projects yet: the key reaches every project made later." }
                        } @else {
                            @for pr in &projects {
                                label.choice {
                                    input type="checkbox" name="project" value=(pr.id) checked[d.projects.contains(&pr.id)];
                                    span { (pr.name) small { (pr.id) } }
                                }
                            }
                            p.hint { "Tick none for every project of the organization." }
                        }
                        @if let Some(e) = err("project_ids") { p.field-error role="alert" { (e) } }
                    }
                    div.actions {
                        a.button href="/keys" { "Cancel" }
                        button.primary type="submit" { "Create" }
                    }
                }
            }
        }
    };
    Ok((
        status,
        page("Create API key", Some(&console.viewer()), false, body),
    )
        .into_response())
}

/// `POST /keys/new`: creates the key and answers with it, shown once. The
/// answer is this POST's own (no redirect: the key is in no URL, and
/// `Cache-Control: no-store` keeps it out of every cache).
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    console: Console,
    form: Form,
) -> Result<Response, WebErr> {
    console.check_post(&state, &headers, &form)?;
    if !console.principal.is_at_least(Role::Developer) {
        return Ok(member_page(&console));
    }
    let scopes = form.all("scope");
    let draft = Draft {
        name: form.get("name").to_owned(),
        realtime: form.get("type") == "realtime",
        days: form.get("expires_in_days").parse().unwrap_or(365),
        read: scopes.contains(&"read"),
        write: scopes.contains(&"write"),
        projects: form.all("project").into_iter().map(str::to_owned).collect(),
        errors: HashMap::new(),
    };
    // The same checks as `POST /v1/keys`: the form becomes that body.
    let body = json!({
        "name": draft.name,
        "type": if draft.realtime { "realtime" } else { "batch" },
        "scopes": scopes,
        "project_ids": draft.projects,
        "expires_in_days": if EXPIRATIONS.iter().any(|(d, _)| *d == draft.days) { draft.days } else { 365 },
    });
    let parsed = crate::extract::parse_json::<CreateKey>(body.to_string().as_bytes());
    let result = match parsed {
        Ok(req) => keys::create(&state, &console.principal, req).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((secret, row)) => Ok(shown_once(&console, &secret, &row)),
        Err(e)
            if e.code == codes::server::VALIDATION_ERROR
                || e.code == codes::server::PROJECT_FORBIDDEN =>
        {
            let mut draft = draft;
            draft.errors = field_errors(&e);
            create_form(&state, &console, &draft, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `details.fields` of a refusal, in words for the form.
fn field_errors(e: &ApiErr) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(fields) = e
        .details
        .as_ref()
        .and_then(|d| d.get("fields"))
        .and_then(|f| f.as_object())
    {
        for (field, reason) in fields {
            let reason = reason.as_str().unwrap_or("is not valid");
            let text = match field.as_str() {
                "name" => format!("The name {reason}."),
                "scopes" => "Choose at least one scope.".to_owned(),
                other => format!("{other} {reason}."),
            };
            let field = if field.starts_with("scopes") {
                "scopes"
            } else {
                field.as_str()
            };
            out.insert(field.to_owned(), text);
        }
    }
    if out.is_empty() {
        out.insert("form".to_owned(), format!("{}.", e.message));
    }
    out
}

/// The shown-once dialog: the whole key, a Copy button, the warning, and
/// "Done", its only way out.
fn shown_once(console: &Console, secret: &Secret, row: &KeyRow) -> Response {
    let body = html! {
        div.backdrop {
            div.dialog role="dialog" aria-modal="true" aria-labelledby="dialog-title" {
                h1 #dialog-title { "API key created" }
                p { "Key " strong { (row.name) } " " span class={ "badge " (row.key_type.as_str()) } { (row.key_type.as_str()) } }
                label.field for="new-key" { "Your new key" }
                code.secret #new-key { (secret.expose()) }
                button type="button" data-copy="new-key" data-status="copy-status" hidden {
                    (icon(COPY_ICON)) span data-label { "Copy" }
                }
                p #copy-status.hint role="status" aria-live="polite" {}
                div.notice.error role="alert" {
                    (icon(WARN_ICON)) " "
                    strong { "This is the only time you will be able to see this key." }
                    " Copy it and store it securely, e.g. in a password manager or your CI's secrets."
                }
                @if row.key_type == KeyType::Realtime {
                    div.notice.info {
                        "Send it with every request as the header:" br;
                        code { "Authorization: Bearer " (secret.expose()) }
                    }
                }
                div.actions {
                    a.button.primary href="/keys" { "Done" }
                }
            }
        }
    };
    tracing::info!(key_id = %row.id, "key created in the web console");
    page("API key created", Some(&console.viewer()), true, body).into_response()
}

/// `GET /keys/{id}/revoke`: the confirmation.
pub async fn confirm_revoke(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Result<Response, WebErr> {
    if !console.principal.is_at_least(Role::Developer) {
        return Ok(member_page(&console));
    }
    let k = keys::get(&state, &console.principal, id).await?;
    let body = html! {
        div.backdrop {
            div.dialog.narrow role="alertdialog" aria-modal="true" aria-labelledby="dialog-title" aria-describedby="dialog-text" {
                h1 #dialog-title { "Revoke key '" (k.name) "'?" }
                p #dialog-text { "It stops working on the next request. This cannot be undone." }
                form method="post" action={ "/keys/" (k.id) "/revoke" } {
                    input type="hidden" name="csrf" value=(console.csrf);
                    div.actions {
                        a.button href="/keys" { "Cancel" }
                        button.danger type="submit" autofocus { "Revoke" }
                    }
                }
            }
        }
    };
    Ok(page("Revoke key", Some(&console.viewer()), false, body).into_response())
}

/// `POST /keys/{id}/revoke`: revokes, then back to the grid, where the row
/// shows it.
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    console: Console,
    Path(id): Path<String>,
    form: Form,
) -> Result<Response, WebErr> {
    console.check_post(&state, &headers, &form)?;
    let row = keys::revoke(&state, &console.principal, Some(id)).await?;
    Ok(Redirect::to(&format!("/keys?revoked={}", row.id)).into_response())
}
