//! A submitted form (`application/x-www-form-urlencoded`): its fields in
//! order, repeated names kept (checkbox groups). Over the body limit, or
//! sent too slowly, it is refused with a page. A page's query string is
//! read the same way ([`Form::from_query`]).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};

use super::errors::WebErr;
use crate::error::ApiErr;
use crate::state::AppState;

pub struct Form(Vec<(String, String)>);

impl Form {
    /// The parameters of a query string (`RawQuery`), none when absent.
    pub fn from_query(query: Option<&str>) -> Form {
        Form(
            form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The first value of `name`, trimmed of nothing (passwords may hold
    /// spaces); empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl FromRequest<AppState> for Form {
    type Rejection = WebErr;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebErr> {
        let limit = state.limits().max_body_bytes;
        let bytes: Bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|e| {
                if crate::conn::is_body_timeout(&e) {
                    ApiErr::request_timeout(state.limits().body_timeout)
                } else {
                    ApiErr::payload_too_large(limit)
                }
            })?;
        Ok(Form(form_urlencoded::parse(&bytes).into_owned().collect()))
    }
}
