//! `Secret`: a string that will not print.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::key::{KEY_LEN, KEY_PREFIX, key_start};

/// A key, password, code or token. It has no `Display`; its `Debug` shows only
/// a key's public `start` (and nothing at all of any other secret), so a stray
/// `{:?}` in a log or an error cannot leak it. [`Secret::expose`] marks each
/// place where the value really leaves.
///
/// It serialises as the plain string: it is the wire and file representation,
/// and those are the places where the value must go out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The public part to show in place of the value: a key's `start`
    /// followed by an ellipsis, or `***` for anything else.
    pub fn masked(&self) -> String {
        if self.0.starts_with(KEY_PREFIX) && self.0.len() == KEY_LEN {
            format!("{}…", key_start(&self.0))
        } else {
            "***".to_owned()
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

/// On the wire a secret is a plain string (see the type's doc).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Secret {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::format_key;

    #[test]
    fn debug_shows_only_the_start_of_a_key() {
        let key = format_key("Ab3dEfGhIjKlMnOpQrStUvWxYz012345");
        let shown = format!("{:?}", Secret::new(key.clone()));
        assert_eq!(shown, "Secret(scripto_Ab3d…)");
        assert!(!shown.contains(&key[12..]));
    }

    #[test]
    fn debug_shows_nothing_of_a_password() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(***)");
    }
}
