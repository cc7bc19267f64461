//! The `advlab` command-line interface.

fn main() {
    println!("advlab {}", advlab::VERSION);
}
