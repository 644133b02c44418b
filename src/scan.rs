//! Finding scripto keys in files: by their prefix and their checksum, so a
//! string that only looks like a key (one character changed, truncated, an
//! example in a README) is never reported. The odds that 38 random
//! characters after `scripto_` pass the CRC-32 check are about 1 in 5·10^10.
//!
//! A tree is walked in name order, without following symbolic links, skipping
//! `.git`, files that are not regular (a FIFO would block the walk), files
//! over [`MAX_FILE_BYTES`] and binary files (a NUL byte, as git decides).

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use scripto_wire::Secret;
use scripto_wire::key::{KEY_LEN, KEY_PREFIX, check_key};

/// Larger files are skipped: keys live in source, config and logs.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// One key found: where, and the key itself (only ever shown masked, and
/// sent to the server by `--revoke`).
#[derive(Debug, Clone)]
pub struct Finding {
    /// The path as it was walked (`-` for standard input).
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters (as editors count).
    pub column: usize,
    pub key: Secret,
}

/// What a scan found, and what it could not read.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files_scanned: usize,
    /// Skipped on purpose: binary, too large, not a regular file.
    pub files_skipped: usize,
    /// Paths that could not be read, with the reason (shown as warnings).
    pub unreadable: Vec<(String, String)>,
}

/// Every well-formed key in `text`, with its line and column.
pub fn find_keys(text: &[u8]) -> Vec<(usize, usize, Secret)> {
    let prefix = KEY_PREFIX.as_bytes();
    let mut found = Vec::new();
    let (mut line, mut line_start) = (1, 0);
    let mut i = 0;
    while i + KEY_LEN <= text.len() {
        if text[i] == b'\n' {
            line += 1;
            line_start = i + 1;
            i += 1;
            continue;
        }
        if !text[i..].starts_with(prefix) {
            i += 1;
            continue;
        }
        let candidate = &text[i..i + KEY_LEN];
        // ASCII only: a multi-byte character cannot hide inside a key.
        let key = std::str::from_utf8(candidate)
            .ok()
            .filter(|k| check_key(k).is_ok());
        match key {
            Some(key) => {
                let column = char_count(&text[line_start..i]) + 1;
                found.push((line, column, Secret::new(key)));
                i += KEY_LEN;
            }
            None => i += prefix.len(),
        }
    }
    found
}

/// Characters in UTF-8 text (bytes that do not continue a character);
/// invalid bytes count as one each.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Scans each path: `-` is standard input, a directory is walked.
pub fn scan_paths(paths: &[PathBuf]) -> Report {
    let mut report = Report::default();
    for path in paths {
        if path.as_os_str() == "-" {
            scan_reader(&mut report, "-".to_owned(), io::stdin().lock());
        } else {
            // A path named on the command line is followed if it is a link.
            match fs::metadata(path) {
                Ok(meta) if meta.is_dir() => walk_dir(&mut report, path),
                Ok(meta) => scan_file(&mut report, path, &meta),
                Err(e) => report.unreadable.push((shown(path), e.to_string())),
            }
        }
    }
    report
}

fn walk_dir(report: &mut Report, dir: &Path) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            report.unreadable.push((shown(dir), e.to_string()));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        // `symlink_metadata`: links inside a tree are not followed, so a
        // loop or a link to `/` cannot make the walk endless.
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if entry.file_name() != ".git" {
                walk_dir(report, &path);
            }
        } else if meta.is_file() {
            scan_file(report, &path, &meta);
        } else {
            report.files_skipped += 1;
        }
    }
}

fn scan_file(report: &mut Report, path: &Path, meta: &fs::Metadata) {
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        report.files_skipped += 1;
        return;
    }
    match File::open(path) {
        // Checked again on the open file: the path may have been swapped.
        Ok(file) if file.metadata().is_ok_and(|m| m.is_file()) => {
            scan_reader(report, shown(path), file);
        }
        Ok(_) => report.files_skipped += 1,
        Err(e) => report.unreadable.push((shown(path), e.to_string())),
    }
}

fn scan_reader(report: &mut Report, name: String, reader: impl Read) {
    let mut bytes = Vec::new();
    if let Err(e) = reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
        report.unreadable.push((name, e.to_string()));
        return;
    }
    let binary = bytes[..bytes.len().min(8000)].contains(&0);
    if bytes.len() as u64 > MAX_FILE_BYTES || binary {
        report.files_skipped += 1;
        return;
    }
    report.files_scanned += 1;
    for (line, column, key) in find_keys(&bytes) {
        report.findings.push(Finding {
            path: name.clone(),
            line,
            column,
            key,
        });
    }
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scripto_wire::key::format_key;

    const RANDOM: &str = "Ab3dEfGhIjKlMnOpQrStUvWxYz012345";

    #[test]
    fn keys_are_found_with_their_line_and_column_in_characters() {
        let key = format_key(RANDOM);
        let text = format!("first line\n  é {key}\n{key}");
        let found = find_keys(text.as_bytes());
        let places: Vec<_> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(places, [(2, 5), (3, 1)]);
        assert_eq!(found[0].2.expose(), key);
    }

    #[test]
    fn a_changed_or_truncated_key_is_not_a_finding() {
        let key = format_key(RANDOM);
        let changed = key.replacen("Ab3d", "Ab4d", 1);
        let truncated = &key[..KEY_LEN - 1];
        let text = format!("{changed}\n{truncated}\nscripto_\n");
        assert!(find_keys(text.as_bytes()).is_empty());
    }

    #[test]
    fn keys_side_by_side_on_a_minified_line_are_each_found() {
        let key = format_key(RANDOM);
        let text = format!("{{\"a\":\"{key}\",\"b\":\"{key}{key}\"}}");
        let columns: Vec<_> = find_keys(text.as_bytes())
            .iter()
            .map(|(_, c, _)| *c)
            .collect();
        assert_eq!(columns, [7, 60, 106]);
    }
}
