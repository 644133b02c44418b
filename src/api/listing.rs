//! Listings that come in pages: [`Client::list`] follows the cursors.

use std::collections::HashSet;

use scripto_wire::types::Pagination;
use serde::de::DeserializeOwned;

use super::client::Client;
use crate::error::{Error, Result};

/// Pages followed by [`Client::list`]: the items, and where the next page
/// starts when there is one left.
#[derive(Debug)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// A server that hands out cursors forever must not keep a listing going.
const MAX_PAGES: usize = 10_000;

impl Client {
    /// A listing under `/v1/<path>`: its first page, or with `every_page`
    /// every page to the end, following `pagination.next_cursor`. A server
    /// that hands out the same cursor twice, or cursors without end, is
    /// stopped rather than followed forever.
    pub fn list<T: DeserializeOwned>(
        &self,
        path: &[&str],
        query: &[(&str, String)],
        every_page: bool,
    ) -> Result<Listing<T>> {
        let mut listing = Listing {
            items: Vec::new(),
            has_more: false,
            next_cursor: None,
        };
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let mut page_query = query.to_vec();
            if let Some(cursor) = &listing.next_cursor {
                page_query.push(("cursor", cursor.clone()));
            }
            let page = self.get::<Vec<T>>(path, &page_query)?;
            listing.items.extend(page.data);
            let pagination = page.pagination.unwrap_or(Pagination {
                has_more: false,
                next_cursor: None,
            });
            listing.has_more = pagination.has_more && pagination.next_cursor.is_some();
            listing.next_cursor = pagination.next_cursor.filter(|_| listing.has_more);
            if !every_page || !listing.has_more {
                return Ok(listing);
            }
            if !seen.insert(listing.next_cursor.clone().unwrap_or_default()) {
                break;
            }
        }
        Err(Error::unexpected(
            "the server kept returning page cursors (the same one twice, or without end); stopped following them",
        ))
    }
}
