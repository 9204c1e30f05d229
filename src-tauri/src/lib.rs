//! Outage Radar: watches status pages and notifies on outages; the engine runs without Tauri.
//!
//! A turn of the loop reads the clock once, then pages and probes, decides, saves, delivers:
//! [`fetch`] gets the bytes, [`sources`] turn them into a [`model::Snapshot`] (driven per
//! service by [`read`]), [`transitions`] compare it with what we knew, [`decide`] turns that
//! into an outcome (next state, events, the pop-up [`alerts`] words, webhook deliveries) as a
//! pure function of what it is given, [`history`] saves the outcome in one transaction, and
//! [`notifier`] and the webhook queue deliver it, while [`watcher`] runs the loop and
//! publishes the overview. [`local`] answers the window and the CLI over a private socket;
//! [`engine`] starts all of it for the [`cli`] and the desktop shell alike. Modules only
//! import ones below them (the order is enforced by `tests/layers.rs`).

pub mod alerts; // events -> notifications, dedup keys, quiet hours
pub mod cli; // command line: check, detect, catalog, watch --headless
pub mod config; // the config file, the built-in catalog, the Settings round-trip
pub mod decide; // pure: a round's outcome (next state, events, pop-up, deliveries)
pub mod demo; // offline replay of a real outage for `outage-radar demo`
pub mod early; // probes and the pure rules that suspect an outage before the page does
pub mod engine; // starts the engine from the command line's options
pub mod fetch; // the one HTTP client and its URL policy
pub mod history; // SQLite: open/migrate, save an outcome, queries for the window
pub mod httpd; // a minimal GET server on loopback: the demo's pages, the metrics
pub mod i18n; // the user's language: message catalog, dates, durations, plurals
pub mod local; // the private channel (Unix socket, Windows pipe) between the engine and its window and CLI
pub mod metrics; // Prometheus text exposition of the overview, and its loopback server
pub mod model; // the normalized snapshot
pub mod notifier; // native notifications off the runtime
pub mod platform; // per-OS: the console of a CLI run, the notification identity, Win32 calls
pub mod read; // one service's read (endpoints, cache, parse) and detection of a pasted URL
pub mod reliability; // pure: incident spans -> availability, MTTR, 90-day strip
pub mod sources; // one module per status-page format: bytes -> Snapshot
pub mod transitions; // pure (state, observation, now) -> (state, events)
pub mod watcher; // the loop: clock, schedule, round, reload, overview, outbox
pub mod webhooks; // forwarding announced changes: targets, bodies, signatures, retries

#[cfg(feature = "desktop")]
pub mod desktop; // the tray process's shell: tray icon, menu, event loop (the window is another binary)

#[cfg(test)]
mod test_support;
