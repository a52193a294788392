//! Procurement methods.
