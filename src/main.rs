//! The `advlab` command-line interface: parses the arguments and hands over to `cli::run`,
//! which returns a one-line error instead of panicking on bad input (usage errors too).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // Output piped into a reader that stops early (`advlab train ... | head`) ends the command
    // quietly with the status of a process ended by SIGPIPE (128 + 13), as other command-line
    // tools end, instead of panicking on the closed pipe; nothing half-written is left.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.contains("failed printing to stdout") && text.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
    let args = cli::parse_args();
    if let Err(e) = cli::run(args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
