//! Project tasks. `cargo xtask codegen [--check]` regenerates `src/api/generated/` from the
//! vendored botocore models in `xtask/models/`; `--check` fails when the checked-in code is stale.

mod bench;
mod codegen;
mod names;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let check = args.iter().any(|a| a == "--check");
            match codegen::run(&root, check) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("codegen: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("bench") => match bench::run(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask codegen [--check] | cargo xtask bench [--op GetUser|CreateUser] [-c N] [-n N] [--endpoint URL]");
            ExitCode::FAILURE
        }
    }
}
