//! Invariants (proptest). Filled in below.
