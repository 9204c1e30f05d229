//! Early warning: probing services' own front doors to suspect an outage before their status page says so.

pub mod probe; // the I/O of one probe
pub mod rules; // pure: verdicts, witnesses, the suspicion state machine
