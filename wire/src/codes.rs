//! The machine-readable `error.code`s, one constant each, so a code is
//! spelt once and both programs (and their tests) name the same thing.
//!
//! A code is a promise to scripts (`docs/api.md`, `docs/decisions.md`): a
//! constant here is never renamed or removed, only added to.

/// Codes the server gives (`docs/api.md`); the CLI passes them through
/// and reacts to some (a wrong one-time code asks again).
pub mod server {
    pub const AUTHENTICATION_REQUIRED: &str = "authentication_required";
    pub const INSUFFICIENT_PERMISSIONS: &str = "insufficient_permissions";
    pub const INTERNAL_ERROR: &str = "internal_error";
    pub const INVALID_API_KEY: &str = "invalid_api_key";
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    pub const INVALID_REQUEST: &str = "invalid_request";
    pub const IP_FORBIDDEN: &str = "ip_forbidden";
    pub const KEY_EXPIRED: &str = "key_expired";
    pub const KEY_REVOKED: &str = "key_revoked";
    pub const MFA_CHALLENGE_EXPIRED: &str = "mfa_challenge_expired";
    pub const MFA_INVALID: &str = "mfa_invalid";
    pub const OTP_EXPIRED: &str = "otp_expired";
    pub const OTP_INVALID: &str = "otp_invalid";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const PROJECT_FORBIDDEN: &str = "project_forbidden";
    pub const REQUEST_TIMEOUT: &str = "request_timeout";
    pub const SESSION_EXPIRED: &str = "session_expired";
    pub const VALIDATION_ERROR: &str = "validation_error";
    pub const SERVICE_UNAVAILABLE: &str = "service_unavailable";
    pub const ACCOUNT_REMOVED: &str = "account_removed";
    pub const KEY_NOT_ACTIVE: &str = "key_not_active";
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    /// RFC 8628 (device login): not approved yet; poll again later.
    pub const AUTHORIZATION_PENDING: &str = "authorization_pending";
    /// RFC 8628: polled faster than the interval, which grew.
    pub const SLOW_DOWN: &str = "slow_down";
    /// RFC 8628: the person denied the device login.
    pub const ACCESS_DENIED: &str = "access_denied";
    /// RFC 8628: the device login ran out, was used, or is unknown.
    pub const EXPIRED_TOKEN: &str = "expired_token";
    /// No pending device login has this user code.
    pub const INVALID_USER_CODE: &str = "invalid_user_code";
}

/// The code of each exit-code kind of the CLI, used when nothing more
/// precise is known (`docs/cli.md`, exit codes). The server gives
/// `not_found` and `rate_limited` too, with the same meaning.
pub mod kind {
    pub const UNEXPECTED_ERROR: &str = "unexpected_error";
    pub const USAGE_ERROR: &str = "usage_error";
    pub const NOT_AUTHENTICATED: &str = "not_authenticated";
    pub const FORBIDDEN: &str = "forbidden";
    pub const NOT_FOUND: &str = "not_found";
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const NETWORK_ERROR: &str = "network_error";
    pub const CONFIG_ERROR: &str = "config_error";
    pub const INPUT_NEEDED: &str = "input_needed";
    pub const SERVER_ERROR: &str = "server_error";
    pub const BROKEN_PIPE: &str = "broken_pipe";
}

/// The CLI's own codes, for what goes wrong before or around a request
/// (`docs/decisions.md`, "The CLI's own error codes").
pub mod cli {
    pub const ALREADY_ROTATED: &str = "already_rotated";
    pub const AMBIGUOUS_KEY_NAME: &str = "ambiguous_key_name";
    pub const BAD_RESPONSE: &str = "bad_response";
    pub const CANCELLED: &str = "cancelled";
    pub const CODE_SENT: &str = "code_sent";
    pub const COMMAND_FAILED_TO_START: &str = "command_failed_to_start";
    pub const COMMAND_NOT_EXECUTABLE: &str = "command_not_executable";
    pub const COMMAND_NOT_FOUND: &str = "command_not_found";
    pub const CONFIG_CORRUPT: &str = "config_corrupt";
    pub const CONFIG_DIR_NOT_DIRECTORY: &str = "config_dir_not_directory";
    pub const CONFIG_DIR_UNKNOWN: &str = "config_dir_unknown";
    pub const CONFIG_LOCKED: &str = "config_locked";
    pub const CONFIG_UNREADABLE: &str = "config_unreadable";
    pub const CONFIG_UNWRITABLE: &str = "config_unwritable";
    pub const CONFIG_VERSION: &str = "config_version";
    pub const CONFIRMATION_NEEDED: &str = "confirmation_needed";
    pub const CREDENTIAL_CORRUPT: &str = "credential_corrupt";
    pub const CREDENTIAL_MISSING: &str = "credential_missing";
    /// `auth login --web` without a terminal, or `login-complete --device`
    /// before the approval: exit 9 with the URL and the code for a person.
    pub const DEVICE_APPROVAL_NEEDED: &str = "device_approval_needed";
    /// The browser login was denied (exit 3).
    pub const DEVICE_LOGIN_DENIED: &str = "device_login_denied";
    /// The browser login ran out before it was approved (exit 3).
    pub const DEVICE_LOGIN_EXPIRED: &str = "device_login_expired";
    pub const DIRECTORY_FILE_REFUSED: &str = "directory_file_refused";
    pub const DIRECTORY_FILE_UNREADABLE: &str = "directory_file_unreadable";
    pub const DIRECTORY_FILE_UNWRITABLE: &str = "directory_file_unwritable";
    pub const DIRECTORY_UNKNOWN: &str = "directory_unknown";
    pub const INSECURE_TRANSPORT: &str = "insecure_transport";
    pub const INVALID_API_URL: &str = "invalid_api_url";
    pub const INVALID_CODE_FORMAT: &str = "invalid_code_format";
    /// An API key whose format or checksum is wrong: a typo or a cut-off
    /// paste, found before it is sent anywhere.
    pub const INVALID_KEY_FORMAT: &str = "invalid_key_format";
    pub const INVALID_KEY_ID: &str = "invalid_key_id";
    pub const INVALID_NAME: &str = "invalid_name";
    pub const INVALID_PROFILE_NAME: &str = "invalid_profile_name";
    pub const KEY_NOT_ACTIVE: &str = "key_not_active";
    pub const KEYRING_AMBIGUOUS: &str = "keyring_ambiguous";
    pub const KEYRING_UNAVAILABLE: &str = "keyring_unavailable";
    pub const MFA_CHALLENGE_EXPIRED: &str = "mfa_challenge_expired";
    pub const MFA_CHALLENGE_USED: &str = "mfa_challenge_used";
    pub const MFA_REQUIRED: &str = "mfa_required";
    pub const NO_CODE_ENTERED: &str = "no_code_entered";
    /// `login-complete --device` with no browser login waiting.
    pub const NO_DEVICE_LOGIN: &str = "no_device_login";
    pub const NO_CREDENTIAL: &str = "no_credential";
    pub const NO_MFA_CHALLENGE: &str = "no_mfa_challenge";
    pub const NO_PROFILE: &str = "no_profile";
    pub const NOT_FOUND: &str = "not_found";
    pub const PROFILE_EXISTS: &str = "profile_exists";
    pub const PROFILE_NOT_FOUND: &str = "profile_not_found";
    pub const PROFILES_FAILED: &str = "profiles_failed";
    pub const REVOKING_OWN_KEY: &str = "revoking_own_key";
    pub const ROTATION_INCOMPLETE: &str = "rotation_incomplete";
    pub const ROTATION_UNKNOWN: &str = "rotation_unknown";
    pub const TIMEOUT: &str = "timeout";
    pub const UNKNOWN_SETTING: &str = "unknown_setting";
}
