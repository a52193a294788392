//! The decimal-string schemas are the kernel's (next to `Money`): re-exported here so the payload
//! attributes naming this path keep working.

pub(crate) use crate::kernel::money::{decimal_string, optional_decimal_string};
