//! `scripto-server`: see `scripto_server::cli`.

fn main() -> std::process::ExitCode {
    scripto_server::cli::main()
}
