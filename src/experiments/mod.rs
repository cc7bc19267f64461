//! The report's experiments, end to end (`advlab reproduce`).
