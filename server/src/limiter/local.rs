//! The windows of one instance, in memory: all there is without Redis, and
//! the fallback while Redis does not answer.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;

use super::{Bucket, Check, RateInfo};

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    period: i64,
    count: u32,
}

/// Windows are keyed by a 64-bit keyed hash of the subject, so the hot
/// path allocates nothing; a collision (odds of about 1 in 10^9 with a
/// million subjects) would only make two subjects share a window.
#[derive(Default)]
pub struct LocalLimiter {
    windows: Mutex<HashMap<(Bucket, u64), Window>>,
    hasher: std::collections::hash_map::RandomState,
}

impl LocalLimiter {
    /// How many requests the open window of (`bucket`, `subject`) has
    /// counted; 0 when there is none.
    pub fn used(&self, bucket: Bucket, subject: &str, now: i64) -> u32 {
        let h = self.hasher.hash_one(subject);
        let map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&(bucket, h)) {
            Some(w) if now < w.start + w.period => w.count,
            _ => 0,
        }
    }

    /// Counts one request against each check if all of them allow it.
    /// `Ok` carries the tightest window (least remaining); `Err` the refusing
    /// one with the longest wait.
    pub fn hit(&self, checks: &[Check<'_>], now: i64) -> Result<RateInfo, RateInfo> {
        let hashes: Vec<u64> = checks.iter().map(|c| self.hasher.hash_one(c.1)).collect();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, w| now < w.start + w.period);
        }
        let mut refused: Option<RateInfo> = None;
        let mut tightest: Option<RateInfo> = None;
        for (&(bucket, _, limit, period), &h) in checks.iter().zip(&hashes) {
            let period = period.max(1) as i64;
            let w = match map.get(&(bucket, h)) {
                Some(w) if now < w.start + w.period => *w,
                _ => Window {
                    start: now,
                    period,
                    count: 0,
                },
            };
            let reset = w.start + w.period;
            if w.count >= limit {
                let info = RateInfo {
                    limit,
                    remaining: 0,
                    reset,
                    retry_after: Some((reset - now).max(1) as u64),
                };
                if refused.is_none_or(|r| r.retry_after < info.retry_after) {
                    refused = Some(info);
                }
            } else {
                let info = RateInfo {
                    limit,
                    remaining: limit - w.count - 1,
                    reset,
                    retry_after: None,
                };
                if tightest.is_none_or(|t| info.remaining < t.remaining) {
                    tightest = Some(info);
                }
            }
        }
        if let Some(r) = refused {
            return Err(r);
        }
        for (&(bucket, _, _, period), &h) in checks.iter().zip(&hashes) {
            let period = period.max(1) as i64;
            let w = map.entry((bucket, h)).or_insert(Window {
                start: now,
                period,
                count: 0,
            });
            if now >= w.start + w.period {
                *w = Window {
                    start: now,
                    period,
                    count: 0,
                };
            }
            w.count += 1;
        }
        Ok(tightest.unwrap_or(RateInfo {
            limit: 0,
            remaining: 0,
            reset: now,
            retry_after: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_refuses_past_its_limit_and_reopens_after_its_period() {
        let l = LocalLimiter::default();
        let c = [(Bucket::LoginIp, "1.2.3.4", 2, 60)];
        assert_eq!(l.hit(&c, 100).unwrap().remaining, 1);
        assert_eq!(l.hit(&c, 101).unwrap().remaining, 0);
        let refused = l.hit(&c, 110).unwrap_err();
        assert_eq!(refused.retry_after, Some(50));
        assert_eq!(refused.reset, 160);
        assert!(l.hit(&c, 160).is_ok());
    }

    #[test]
    fn a_refusal_by_one_check_counts_against_none() {
        let l = LocalLimiter::default();
        let loose = (Bucket::CodeEmailHour, "a@b.c", 20, 3600);
        let tight = (Bucket::CodeResend, "a@b.c", 1, 30);
        assert!(l.hit(&[loose, tight], 0).is_ok());
        assert!(l.hit(&[loose, tight], 5).is_err());
        // The refused call did not count: 18 left after this second send.
        assert_eq!(l.hit(&[loose], 40).unwrap().remaining, 18);
    }
}
