//! Project chores that need the clap trees, run as `cargo xtask <task>`:
//!
//! - `gen`: write `man/*.1`, `completions/*` and `docs/cli.md` from the clap
//!   definitions, and `docs/openapi.json` from the server's route annotations.
//! - `check`: fail, naming the stale files, when the committed ones differ
//!   from what `gen` would write (CI runs this, so a flag change that forgets
//!   to regenerate them cannot land).
//!
//! Both directories are wholly generated: `gen` also deletes files in them
//! that it no longer writes (a removed subcommand's page), and `check` counts
//! such leftovers as stale.

mod completions;
mod man;
mod readme;
mod reference;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{env, fs, io};

/// What `gen` writes, for messages.
const WHAT: &str =
    "man/, completions/, docs/cli.md, docs/openapi.json and the README's environment table";

/// The directories `gen` owns, relative to the workspace root.
const GENERATED_DIRS: [&str; 2] = ["man", "completions"];

/// Generated files by path relative to the workspace root. A `BTreeMap` so
/// every listing comes out in the same order.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  gen     write man/*.1, completions/* and docs/cli.md from the clap definitions,
          and docs/openapi.json from the server's code
  check   fail if the committed ones are not what gen writes
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["gen"] => gen_task(),
        ["check"] => check_task(),
        ["help" | "-h" | "--help"] => {
            print!("{USAGE}");
            Ok(true)
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Everything `gen` writes, in memory.
fn generate() -> io::Result<Files> {
    let mut files = Files::new();
    man::generate(&mut files)?;
    completions::generate(&mut files)?;
    reference::generate(&mut files)?;
    readme::generate(&mut files, &workspace_root())?;
    files.insert(
        PathBuf::from("docs/openapi.json"),
        scripto_server::openapi::json().into_bytes(),
    );
    Ok(files)
}

fn gen_task() -> io::Result<bool> {
    let root = workspace_root();
    let files = generate()?;
    let removed = remove_leftovers(&root, &files)?;
    let mut changed = 0;
    for (path, content) in &files {
        let target = root.join(path);
        if fs::read(&target).ok().as_deref() == Some(content.as_slice()) {
            continue;
        }
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
        }
        fs::write(&target, content).map_err(|e| with_path(e, &target))?;
        println!("wrote {}", path.display());
        changed += 1;
    }
    for path in &removed {
        println!("removed {}", path.display());
    }
    println!(
        "{} files generated ({changed} changed, {} removed): {WHAT}",
        files.len(),
        removed.len(),
    );
    Ok(true)
}

fn check_task() -> io::Result<bool> {
    let root = workspace_root();
    let files = generate()?;
    let mut stale = Vec::new();
    for (path, content) in &files {
        match fs::read(root.join(path)) {
            Ok(committed) if committed == *content => {}
            Ok(_) => stale.push(format!("{} (differs)", path.display())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                stale.push(format!("{} (missing)", path.display()));
            }
            Err(e) => return Err(with_path(e, &root.join(path))),
        }
    }
    for path in leftovers(&root, &files)? {
        stale.push(format!("{} (no longer generated)", path.display()));
    }
    if stale.is_empty() {
        println!("{WHAT} are current ({} files)", files.len());
        return Ok(true);
    }

    // Leave the fresh copies where a reviewer can diff them.
    let fresh = env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
    for (path, content) in &files {
        let target = fresh.join(path);
        fs::create_dir_all(target.parent().unwrap_or(&fresh))?;
        fs::write(&target, content).map_err(|e| with_path(e, &target))?;
    }
    eprintln!("error: generated files are stale:");
    for line in &stale {
        eprintln!("  {line}");
    }
    eprintln!();
    eprintln!(
        "The clap definitions or the server's routes changed without regenerating them. Fix:"
    );
    eprintln!("  cargo xtask gen && git add man completions docs/cli.md docs/openapi.json");
    eprintln!(
        "What gen would write is in {}; compare with:",
        fresh.display()
    );
    for dir in GENERATED_DIRS {
        eprintln!("  diff -ru {dir} {}", fresh.join(dir).display());
    }
    eprintln!(
        "  diff -u docs/openapi.json {}",
        fresh.join("docs/openapi.json").display()
    );
    Ok(false)
}

/// Files in the generated directories that `gen` would not write.
fn leftovers(root: &Path, files: &Files) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for dir in GENERATED_DIRS {
        let entries = match fs::read_dir(root.join(dir)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(with_path(e, &root.join(dir))),
        };
        for entry in entries {
            let relative = Path::new(dir).join(entry?.file_name());
            if !files.contains_key(&relative) {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn remove_leftovers(root: &Path, files: &Files) -> io::Result<Vec<PathBuf>> {
    let found = leftovers(root, files)?;
    for path in &found {
        let full = root.join(path);
        fs::remove_file(&full).map_err(|e| with_path(e, &full))?;
    }
    Ok(found)
}

fn with_path(err: io::Error, path: &Path) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}
