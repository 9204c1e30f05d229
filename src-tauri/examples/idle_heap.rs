//! What the engine's heap holds at rest, piece by piece: a counting allocator reads the live bytes after each part of a tray start (messages, config, runtime, engine, local service) and after a minute of polling.
//!
//! ```text
//! cargo run --release -p outage-radar --example idle_heap [-- --secs 60]
//! ```
//!
//! The engine as the tray process starts it, on the built-in catalog, with a fresh data dir
//! and no config file (XDG dirs pointed into a temp dir). Without a network every page is
//! unreachable, as in `bench-desktop-idle`. Prints one `figure:` line per piece. Only Rust's
//! allocations are counted: SQLite, GTK and GLib call `malloc` themselves (`heaptrack` on the
//! tray binary sees those, BENCHMARKS.md).
#![allow(unsafe_code)] // the counting allocator: a GlobalAlloc is unsafe by definition

use outage_radar::engine::{self, Options};
use outage_radar::history::History;
use outage_radar::i18n::{Catalog, Lang};
use outage_radar::local::service::Service;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Live bytes now, and the difference since the last reading, as one figure line.
struct Meter(usize);

impl Meter {
    fn read(&mut self, piece: &str) {
        let now = LIVE.load(Ordering::Relaxed);
        println!(
            "figure: {piece}: {:+.1} KiB (live {:.1} KiB)",
            (now as f64 - self.0 as f64) / 1024.0,
            now as f64 / 1024.0
        );
        self.0 = now;
    }
}

fn main() {
    let secs: u64 = std::env::args()
        .skip_while(|a| a != "--secs")
        .nth(1)
        .map_or(60, |s| s.parse().expect("--secs takes a number"));
    let home = tempfile::tempdir().expect("a temp home");
    for (var, dir) in [("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")] {
        std::env::set_var(var, home.path().join(dir));
    }
    let mut meter = Meter(LIVE.load(Ordering::Relaxed));
    meter.read("before anything (std, args, temp dir)");
    outage_radar::i18n::init(None);
    let _ = Catalog::get(Lang::ENGLISH).t("tray-open", &[]);
    meter.read("message catalog (the language in force)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    meter.read("tokio runtime, 2 workers");
    let _context = runtime.enter();
    let options = Options {
        config_path: None,
        data_dir: Some(home.path().join("radar")),
        tolerate_broken_config: true,
    };
    let started = engine::start(&options).expect("the engine starts");
    meter.read("engine: config, built-in catalog, history, fetcher, watcher state");
    let service = Service::new(
        started.handle.clone(),
        History::open(&started.data_dir).expect("history"),
        started.config,
        started.config_path,
        false,
    );
    meter.read("local service and its history connection");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = runtime.spawn(started.watcher.run(async {
        let _ = stopped.await;
    }));
    std::thread::sleep(Duration::from_secs(secs));
    meter.read(&format!("after {secs} s of polling (offline)"));
    let _ = stop.send(());
    let _ = runtime.block_on(running);
    drop(service);
    meter.read("engine stopped, service dropped");
}
