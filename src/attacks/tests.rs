//! Property tests of the attacks on linear classifiers.
