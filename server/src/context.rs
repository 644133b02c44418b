//! Per-request context (request id, client IP, the rate-limit state to
//! report), carried in a task-local so any response can reach it.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::limiter::RateInfo;
use crate::util::new_request_id;

pub struct ReqCtx {
    pub id: String,
    pub ip: IpAddr,
    pub rate: Mutex<Option<RateInfo>>,
}

tokio::task_local! {
    pub static CTX: Arc<ReqCtx>;
}

pub fn request_id() -> String {
    CTX.try_with(|c| c.id.clone())
        .unwrap_or_else(|_| new_request_id())
}

pub fn client_ip() -> IpAddr {
    CTX.try_with(|c| c.ip)
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
}

/// Records the limit this request was counted against, for the
/// `X-RateLimit-*` headers.
pub fn set_rate(info: RateInfo) {
    let _ = CTX.try_with(|c| {
        if let Ok(mut r) = c.rate.lock() {
            *r = Some(info);
        }
    });
}
