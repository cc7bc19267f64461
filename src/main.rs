//! The `advlab` command-line interface: parses the arguments and hands over to `cli::run`,
//! which returns a one-line error instead of panicking on bad input (usage errors too).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args = cli::parse_args();
    if let Err(e) = cli::run(args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
