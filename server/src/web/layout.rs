//! The page shell: head (stylesheet and script from `/assets`), the top
//! bar with the signed-in user and "Sign out", and the content.

use axum::response::Html;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::assets;
use crate::auth::Principal;

/// Who the top bar shows, and the CSRF token of its sign-out form.
pub struct Viewer<'a> {
    pub principal: &'a Principal,
    pub csrf: &'a str,
}

/// A whole page. `viewer`: the signed-in user (the top bar then has
/// "Sign out"); `bare`: no top-bar links at all (the shown-once key,
/// which only its own button closes).
pub fn page(title: &str, viewer: Option<&Viewer<'_>>, bare: bool, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · scripto" }
                link rel="stylesheet" href=(assets::css_path());
                link rel="icon" href=(assets::ICON_DATA_URI);
                script src=(assets::js_path()) defer {}
            }
            body {
                header.top {
                    @if bare {
                        span.brand { (icon(KEY_ICON)) "scripto" }
                    } @else {
                        a.brand href="/" { (icon(KEY_ICON)) "scripto" }
                    }
                    @if let (Some(v), false) = (viewer, bare) {
                        div.who {
                            span { (v.principal.user.email) " · " (v.principal.user.role.as_str()) " · " (v.principal.org.name) }
                            form method="post" action="/sign-out" {
                                input type="hidden" name="csrf" value=(v.csrf);
                                button.link type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                (body)
            }
        }
    };
    Html(markup.into_string())
}

/// An inline SVG icon (decorative: hidden from screen readers).
pub fn icon(svg: &'static str) -> Markup {
    PreEscaped(svg.to_owned())
}

pub const KEY_ICON: &str = r#"<svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><circle cx="7.5" cy="15.5" r="4.5"/><path d="M10.7 12.3 21 2m-4 4 3 3m-6-0 3 3"/></svg>"#;
pub const PLUS_ICON: &str = r#"<svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M12 5v14M5 12h14"/></svg>"#;
pub const COPY_ICON: &str = r#"<svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1"/></svg>"#;
pub const WARN_ICON: &str = r#"<svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M12 3 2 21h20L12 3z"/><path d="M12 10v5m0 3v.01"/></svg>"#;
