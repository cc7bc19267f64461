//! Evasion attacks with ART's parameter names and semantics, one per file, and their metrics.
