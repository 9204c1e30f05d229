//! Early warning: probing services' own front doors to suspect an outage before their status page says so.

pub mod probe; // the I/O of one probe
pub mod rules; // pure: the suspicion state machine
pub mod verdict; // pure: one reply judged against its probe's baseline
pub mod witness; // pure: origins, and whether the network worked in a round
