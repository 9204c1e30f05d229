//! What a poll or probe round means: the events as the world sees them, and the deliveries an announced change queues.

pub mod deliveries;
pub mod events;

pub use deliveries::{deliveries, NewDelivery};
pub use events::WatchEvent;
