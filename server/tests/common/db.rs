//! The database a test runs on: a SQLite file in the test's directory, or,
//! with `SCRIPTO_TEST_BACKEND=postgres`, a PostgreSQL database of its own,
//! created through `SCRIPTO_TEST_POSTGRES` (an admin URL; default
//! `postgres://postgres@127.0.0.1:5432/test`) and dropped when the test
//! ends. `scripts/test` runs the server's suites both ways.

use std::path::{Path, PathBuf};

use scripto_server::DbUrl;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Whether this run puts the suites on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("SCRIPTO_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// The admin URL tests create their PostgreSQL databases through.
pub fn admin_url() -> String {
    std::env::var("SCRIPTO_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

/// A database for one test, and a way to look at it behind the server's
/// back.
pub struct TestDb {
    pub url: DbUrl,
    /// PostgreSQL: the database to drop at the end.
    scratch: Option<(String, String)>,
}

impl TestDb {
    /// SQLite at `dir/scripto.db`, or a new PostgreSQL database.
    pub fn new(dir: &Path) -> TestDb {
        if on_postgres() {
            TestDb::postgres()
        } else {
            TestDb {
                url: DbUrl::Sqlite(dir.join("scripto.db")),
                scratch: None,
            }
        }
    }

    /// A new, empty PostgreSQL database.
    pub fn postgres() -> TestDb {
        let admin = admin_url();
        let name = format!("scripto_test_{:016x}", fastrand_u64());
        off_runtime(|| {
            let mut client = postgres::Client::connect(&admin, postgres::NoTls)
                .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin} ({e}); start it or set SCRIPTO_TEST_POSTGRES"));
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
        });
        TestDb {
            url: DbUrl::Postgres(with_database(&admin, &name)),
            scratch: Some((admin, name)),
        }
    }

    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match &self.url {
            DbUrl::Sqlite(p) => Some(p.clone()),
            DbUrl::Postgres(_) => None,
        }
    }

    /// Runs statements written in SQL both backends speak.
    pub fn exec(&self, sql: &str) {
        match &self.url {
            DbUrl::Sqlite(p) => {
                let conn = rusqlite::Connection::open(p).unwrap();
                conn.busy_timeout(std::time::Duration::from_secs(5))
                    .unwrap();
                conn.execute_batch(sql).unwrap();
            }
            DbUrl::Postgres(url) => off_runtime(|| {
                let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
                c.batch_execute(sql).unwrap();
            }),
        }
    }

    /// The rows of a query, every value as text (`None` for NULL).
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match &self.url {
            DbUrl::Sqlite(p) => {
                use rusqlite::types::ValueRef;
                let conn = rusqlite::Connection::open(p).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let n = stmt.column_count();
                stmt.query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            Ok(match r.get_ref(i)? {
                                ValueRef::Null => None,
                                ValueRef::Integer(v) => Some(v.to_string()),
                                ValueRef::Real(v) => Some(v.to_string()),
                                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                                ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
                            })
                        })
                        .collect()
                })
                .unwrap()
                .map(Result::unwrap)
                .collect()
            }
            DbUrl::Postgres(url) => off_runtime(|| {
                let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
                c.simple_query(sql)
                    .unwrap()
                    .into_iter()
                    .filter_map(|m| match m {
                        postgres::SimpleQueryMessage::Row(r) => {
                            Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                        }
                        _ => None,
                    })
                    .collect()
            }),
        }
    }

    /// The one value of a query that returns one row of one column.
    pub fn value(&self, sql: &str) -> Option<String> {
        let rows = self.rows(sql);
        assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
        rows[0][0].clone()
    }

    /// Everything the database holds, as bytes: the SQLite file and its
    /// WAL, or every row of every table.
    pub fn dump(&self) -> Vec<u8> {
        match &self.url {
            DbUrl::Sqlite(p) => {
                let read = |suffix: &str| {
                    std::fs::read(format!("{}{suffix}", p.display())).unwrap_or_default()
                };
                let mut out = read("");
                out.extend(read("-wal"));
                out
            }
            DbUrl::Postgres(_) => {
                let tables = self
                    .rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
                let mut out = Vec::new();
                for t in tables.into_iter().filter_map(|r| r[0].clone()) {
                    // bytea as hex and text as is: what a dump would show.
                    for row in self.rows(&format!("SELECT t::text FROM {t} t")) {
                        out.extend(row[0].clone().unwrap_or_default().into_bytes());
                        out.push(b'\n');
                    }
                }
                out
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.scratch {
            off_runtime(|| {
                if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                    let _ =
                        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            });
        }
    }
}

/// `postgres://…/admin_db?opts` with the database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Runs `f` on a thread of its own: the synchronous PostgreSQL client
/// blocks on a runtime of its own, which tokio forbids on a test's runtime.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap())
}

fn fastrand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}
