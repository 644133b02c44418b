//! Schemas of the fields whose rules a derive cannot say in one attribute:
//! the exact text the server accepts, as a JSON Schema pattern (ECMA-262),
//! so the OpenAPI document neither promises more nor less than the server.

use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

/// Unicode `White_Space`, which Rust's `trim` and `char::is_whitespace` use.
macro_rules! white_space {
    () => {
        r"\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}

/// Control characters (`char::is_control`: Unicode category Cc).
macro_rules! control {
    () => {
        r"\u0000-\u001f\u007f-\u009f"
    };
}

/// What `normalize_email` accepts: white space around it (trimmed), then
/// one `@` with something on each side, neither white space nor control
/// characters; at most 254 characters as given.
const EMAIL: &str = concat!(
    "^[",
    white_space!(),
    "]*",
    "[^@",
    white_space!(),
    control!(),
    "]+",
    "@",
    "[^@",
    white_space!(),
    control!(),
    "]+",
    "[",
    white_space!(),
    "]*$"
);

/// A key name: not blank (one character that is not white space), no
/// control characters; 1–100 characters.
const KEY_NAME: &str = concat!(
    "^[^",
    control!(),
    "]*",
    "[^",
    white_space!(),
    control!(),
    "]",
    "[^",
    control!(),
    "]*$"
);

pub fn email() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "Trimmed and lower-cased by the server: one `@` with something on each side, \
             no spaces or control characters, at most 254 characters.",
        ))
        .pattern(Some(EMAIL))
        .max_length(Some(254))
        .examples(["alice@example.com"])
        .build()
}

pub fn key_name() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("1–100 characters, not blank, no control characters."))
        .pattern(Some(KEY_NAME))
        .min_length(Some(1))
        .max_length(Some(100))
        .examples(["laptop"])
        .build()
}
