//! Outage Radar: watches status pages and notifies on outages; the engine runs without Tauri.

pub mod alerts; // events -> notifications, dedup keys
pub mod cli; // command line: check, watch --headless, desktop hand-over
pub mod config; // config file, built-in catalog, URL rules
pub mod demo; // offline replay of a real outage for `outage-radar demo`
pub mod early; // probes and the pure rules that suspect an outage before the page does
pub mod fetch; // the one HTTP client
pub mod history; // SQLite: incidents, state, announced ledger, outbox
pub mod model; // the normalized snapshot
pub mod notifier; // native notifications off the runtime
pub mod reader; // one service's read: endpoints, cache, parse
pub mod reliability; // pure: incident spans -> availability, MTTR, 90-day strip
pub mod sources; // one module per status-page format
pub mod transitions; // pure (state, observation, now) -> (state, events)
pub mod watcher; // the poll loop

#[cfg(feature = "desktop")]
pub mod desktop; // the Tauri shell: tray, window, IPC

#[cfg(test)]
mod test_support;
